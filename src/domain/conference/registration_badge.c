/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A registration's own badge (registration.h): its facts read here, its
 * current ticket from ticket.h, drawn by formats/badge_pdf.h. Only the
 * person and the organisers may have it; anyone else is told, as for a
 * registration that does not exist, that there is none.
 */
#include "domain/conference/registration.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/ticket.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "formats/badge_pdf.h"

/* The usual categories' colours on badges; any other category prints grey. */
static const struct {
	const char *code;
	uint32_t colour;
} colours[] = {
    {"mayor", 0x1d4ed8u},         {"minister", 0x7c3aedu}, {"delegation", 0x047857u},
    {"international", 0x0e7490u}, {"ngo", 0xb45309u},      {"expert", 0x9d174du},
    {"press", 0xb91c1cu},         {"staff", 0x374151u},
};

static uint32_t colour_of(const char *code)
{
	for (size_t i = 0; i < sizeof colours / sizeof *colours; i++)
		if (code && strcmp(code, colours[i].code) == 0)
			return colours[i].colour;
	return 0x6b7280u;
}

static const char *answer(const json_t *answers, const char *key)
{
	return json_string_value(json_object_get(answers, key));
}

int lc_conf_reg_badge_pdf(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                          int64_t id, struct lc_buf *out)
{
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_conf_reg_process, id, &it);
	if (err)
		return err;
	/* Someone else's registration is answered as one that does not exist. */
	if (actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	bool owner = it.owner_id && actor->account_id == it.owner_id;
	if (!owner && lc_authz_check(actor, LC_ACT_MANAGE_CONFERENCE, NULL) != 0)
		return LC_ENOTFOUND;
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT r.event_id, r.name, r.name_latin, r.lang, r.answers, c.code,"
	    " coalesce(json_extract(c.name, '$.' || r.lang), json_extract(c.name, '$.en'), c.code)"
	    " FROM conference_registrations r"
	    " JOIN conference_events e ON e.id = r.event_id"
	    " JOIN conference_categories c ON c.id = r.category_id"
	    " WHERE r.item_id = ?1 AND e.slug = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, slug);
	int rc = lc_db_step(db, st);
	if (rc <= 0) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	int64_t event_id = sqlite3_column_int64(st, 0);
	json_t *answers = lc_row_object(st, 4);
	const char *name = lc_db_text(st, 1), *latin = lc_db_text(st, 2);
	char name_s[LC_LIMIT_CONF_ANSWER_BYTES + 1], latin_s[LC_LIMIT_CONF_ANSWER_BYTES + 1],
	    lang_s[16], code_s[64], cat_s[LC_LIMIT_CONF_ANSWER_BYTES + 1];
	snprintf(name_s, sizeof name_s, "%s", name ? name : "");
	snprintf(latin_s, sizeof latin_s, "%s", latin && *latin ? latin : name ? name : "");
	snprintf(lang_s, sizeof lang_s, "%s", lc_db_text(st, 3) ? lc_db_text(st, 3) : "en");
	snprintf(code_s, sizeof code_s, "%s", lc_db_text(st, 5) ? lc_db_text(st, 5) : "");
	snprintf(cat_s, sizeof cat_s, "%s", lc_db_text(st, 6) ? lc_db_text(st, 6) : code_s);
	lc_db_release(db, st);
	/* Only a registration that holds its place confirmed has a badge to print. */
	if (strcmp(it.state, "approved") != 0) {
		json_decref(answers);
		return LC_ECONFLICT;
	}
	char ticket[LC_TICKET_CHARS + 1];
	err = lc_ticket_current(db, event_id, id, ticket);
	if (!err) {
		struct lc_badge b = {
		    .name_latin = latin_s,
		    .name_native = strcmp(name_s, latin_s) != 0 ? name_s : NULL,
		    .organisation = answer(answers, "organisation"),
		    .city = answer(answers, "city"),
		    .country = answer(answers, "country"),
		    .category = cat_s,
		    .colour = colour_of(code_s),
		    .language = lang_s,
		    .ticket = ticket,
		};
		err = lc_badge_pdf(&b, 1, true, out);
	}
	json_decref(answers);
	return err;
}
