/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Award nominations (nomination.h): the process table, its guard and
 * effect, starting a nomination, the override and the steps; the dossier,
 * the forms and the views are nomination_form.c's.
 */
#include "domain/award/nomination.h"
#include "domain/award/nomination_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_eligibility.h"
#include "domain/award/award_round.h"
#include "domain/award/jury.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/workflow/workflow.h"

#define DAY 86400

/* ---- the process ---------------------------------------------------------------------------- */

static const struct lc_wf_state states[] = {
    /* The round's National Commission deadline, given at creation, holds until the close. */
    {.name = "draft",
     .keep_due = true,
     .remind_days = {14, 3},
     .remind = LC_WF_TELL_COORDINATORS,
     .on_due = "expire",
     .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "submitted",
     .keep_due = true,
     .remind_days = {7, 2},
     .remind = LC_WF_TELL_NATCOM,
     .on_due = "expire",
     .waits_on = LC_WF_TELL_NATCOM},
    {.name = "nominated", .keep_due = true, .on_due = "close"},
    {.name = "screening", .waits_on = LC_WF_TELL_SECRETARIAT},
    {.name = "returned",
     .due_days = LC_NOMINATION_RETURN_DAYS,
     .remind_days = {7, 2},
     .remind = LC_WF_TELL_COORDINATORS,
     .on_due = "expire",
     .waits_on = LC_WF_TELL_COORDINATORS},
    /* Screened complete: the jury's part of the round continues from here. */
    {.name = "complete"},
    {.name = "declined", .terminal = true},
    {.name = "withdrawn", .terminal = true},
    {.name = "expired", .terminal = true},
    {.name = "ineligible", .terminal = true},
    {.name = "rejected", .terminal = true},
};

#define COORD  LC_WF_TELL_COORDINATORS
#define NATCOM LC_WF_TELL_NATCOM
#define SECR   LC_WF_TELL_SECRETARIAT

static const struct lc_wf_transition transitions[] = {
    {"submit", "draft", "submitted", LC_ACT_PREPARE_NOMINATION, 0, NATCOM},
    {"revise", "submitted", "draft", LC_ACT_ENDORSE_FOR_COUNTRY, LC_WF_REASON, COORD},
    {"nominate", "submitted", "nominated", LC_ACT_ENDORSE_FOR_COUNTRY, 0, COORD | SECR},
    {"decline", "submitted", "declined", LC_ACT_ENDORSE_FOR_COUNTRY, LC_WF_REASON, COORD},
    {"withdraw", "draft", "withdrawn", LC_ACT_PREPARE_NOMINATION, 0, NATCOM},
    {"withdraw", "submitted", "withdrawn", LC_ACT_PREPARE_NOMINATION, 0, NATCOM},
    {"expire", "draft", "expired", LC_ACT_MANAGE_AWARD, LC_WF_CLOCK, COORD | NATCOM},
    {"expire", "submitted", "expired", LC_ACT_MANAGE_AWARD, LC_WF_CLOCK, COORD | NATCOM},
    {"expire", "returned", "expired", LC_ACT_MANAGE_AWARD, LC_WF_CLOCK, COORD | NATCOM | SECR},
    /* No e-mail for the close itself: screening is the secretariat's own queue. */
    {"close", "nominated", "screening", LC_ACT_MANAGE_AWARD, LC_WF_CLOCK, 0},
    {"ineligible", "screening", "ineligible", LC_ACT_MANAGE_AWARD, LC_WF_CLOCK | LC_WF_REASON,
     COORD | NATCOM | SECR},
    {"accept", "screening", "complete", LC_ACT_MANAGE_AWARD, 0, COORD | NATCOM},
    {"return", "screening", "returned", LC_ACT_MANAGE_AWARD, LC_WF_REASON, COORD | NATCOM},
    {"resubmit", "returned", "screening", LC_ACT_PREPARE_NOMINATION, 0, SECR},
    {"reject", "screening", "rejected", LC_ACT_MANAGE_AWARD, LC_WF_REASON, COORD | NATCOM},
};

#undef COORD
#undef NATCOM
#undef SECR

int lc_nomination_row_of(struct lc_db *db, int64_t item_id, struct lc_nomination_row *n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT round_year, city_id, override_reason IS NOT NULL"
	                                  " FROM award_nominations WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		n->year = (long)sqlite3_column_int64(st, 0);
		n->city_id = sqlite3_column_int64(st, 1);
		n->override = sqlite3_column_int(st, 2) != 0;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

void lc_nomination_dossier_cleanup(struct lc_nomination_dossier *x)
{
	json_decref(x->answers);
	json_decref(x->links);
	lc_free(x->general);
	lc_free(x->plan);
}

int lc_nomination_dossier_of(struct lc_db *db, int64_t item_id, struct lc_nomination_dossier *x)
{
	memset(x, 0, sizeof *x);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT general, plan, answers, links,"
	        " EXISTS (SELECT 1 FROM award_nomination_files f WHERE f.item_id = n.item_id"
	        " AND f.kind = 'mayor_form'), EXISTS (SELECT 1 FROM award_nomination_files f"
	        " WHERE f.item_id = n.item_id AND f.kind = 'consent')"
	        " FROM award_nominations n WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		x->general = lc_xstrdup(lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
		x->plan = lc_xstrdup(lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
		x->answers = json_loads(lc_db_text(st, 2) ? lc_db_text(st, 2) : "{}", 0, NULL);
		x->links = json_loads(lc_db_text(st, 3) ? lc_db_text(st, 3) : "[]", 0, NULL);
		x->mayor_form = sqlite3_column_int(st, 4) != 0;
		x->consent = sqlite3_column_int(st, 5) != 0;
	}
	lc_db_release(db, st);
	if (rc == 1 && (!x->answers || !x->links))
		rc = LC_EDB; /* the CHECKs make this impossible */
	if (rc != 1)
		lc_nomination_dossier_cleanup(x);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

bool lc_nomination_blank(const char *s)
{
	return lc_slice_trim(lc_slice_cstr(s)).len == 0;
}

/* What sending the dossier still needs, one problem each (field, code). */
void lc_nomination_completeness(const struct lc_award_round *r,
                                const struct lc_nomination_dossier *x, struct lc_diag *d)
{
	if (lc_nomination_blank(x->general))
		lc_diag_add(d, NULL, 0, 0, "general", "err_award_general_needed");
	if (lc_nomination_blank(x->plan))
		lc_diag_add(d, NULL, 0, 0, "plan", "err_award_plan_needed");
	size_t i;
	const json_t *c;
	json_array_foreach(r->criteria, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *a = json_string_value(json_object_get(x->answers, id));
		if (json_is_true(json_object_get(c, "required")) &&
		    (!a || lc_nomination_blank(a))) {
			char f[64];
			snprintf(f, sizeof f, "answers.%s", id);
			lc_diag_addf(d, NULL, 0, 0, f, "err_award_answer_needed",
			             LC_ARG_S("id", id));
		}
	}
	if (!x->mayor_form)
		lc_diag_add(d, NULL, 0, 0, "mayor_form", "err_award_mayor_form_needed");
	if (!x->consent)
		lc_diag_add(d, NULL, 0, 0, "consent", "err_award_consent_needed");
}

/* Eligibility of a nomination's city (none checked when overridden). */
static int eligible(struct lc_db *db, const struct lc_nomination_row *n,
                    const struct lc_award_round *r, struct lc_diag *d)
{
	if (n->override)
		return 0;
	return lc_award_eligibility_check(db, r, n->city_id, d);
}

/* The cities the country has nominated in the round, "Limerick, Dublin", and their number. */
static int nominated(struct lc_db *db, long year, const char *country, int64_t except, long *count,
                     struct lc_buf *names)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT json_extract(c.name, '$.en') FROM wf_items i"
	        " JOIN award_nominations n ON n.item_id = i.id JOIN cities c ON c.id = n.city_id"
	        " WHERE i.process = 'nomination' AND i.year = ?1 AND i.country = ?2 AND i.id <> ?3"
	        " AND i.state IN ('nominated', 'screening', 'returned', 'complete', 'rejected',"
	        " 'ineligible') ORDER BY i.id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	lc_db_bind_text(st, 2, country);
	sqlite3_bind_int64(st, 3, except);
	int rc;
	*count = 0;
	while (lc_db_next(db, st, &rc)) {
		if ((*count)++)
			lc_buf_puts(names, ", ");
		lc_buf_puts(names, lc_db_text(st, 0) ? lc_db_text(st, 0) : "?");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int count_returns(struct lc_db *db, int64_t item_id, long *n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM wf_history WHERE item_id = ?1"
	                                  " AND transition = 'return'");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	int rc = lc_db_step(db, st);
	*n = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	(void)actor;
	bool submit = strcmp(t->name, "submit") == 0, resubmit = strcmp(t->name, "resubmit") == 0;
	bool nominate = strcmp(t->name, "nominate") == 0;
	if (strcmp(t->name, "return") == 0) {
		long n = 0;
		int err = count_returns(db, item->id, &n);
		if (!err && n > 0) {
			lc_diag_add(d, NULL, 0, 0, "to", "err_award_returned_once");
			err = LC_ECONFLICT;
		}
		return err;
	}
	if (!submit && !resubmit && !nominate)
		return 0;
	struct lc_nomination_row n;
	struct lc_award_round r;
	int err = lc_nomination_row_of(db, item->id, &n);
	if (err)
		return err;
	err = lc_award_round_load(db, n.year, &r);
	if (err)
		return err;
	struct lc_diag own;
	lc_diag_init(&own);
	if (submit && lc_clock_now() >= lc_award_day_end(r.nominations_close))
		lc_diag_addf(&own, NULL, 0, 0, "to", "err_award_window_closed",
		             LC_ARG_S("date", r.nominations_close));
	if (submit || resubmit) {
		struct lc_nomination_dossier x;
		err = lc_nomination_dossier_of(db, item->id, &x);
		if (!err) {
			lc_nomination_completeness(&r, &x, &own);
			lc_nomination_dossier_cleanup(&x);
		}
	}
	if (!err && (submit || nominate)) {
		err = eligible(db, &n, &r, &own);
		if (err == LC_EINVAL)
			err = 0; /* the problems are in own */
	}
	if (!err && lc_diag_total(&own))
		err = LC_EINVAL;
	if (!err && nominate) {
		/* The cap: the refusal names it and the nominations already made. */
		struct lc_buf names;
		lc_buf_init(&names, 4096);
		long made = 0;
		err = nominated(db, n.year, item->country, item->id, &made, &names);
		if (!err && made >= r.cap_per_natcom) {
			lc_diag_addf(&own, NULL, 0, 0, "to", "err_award_cap",
			             LC_ARG_I("cap", r.cap_per_natcom), LC_ARG_I("year", n.year),
			             LC_ARG_S("made", lc_buf_cstr(&names)));
			err = LC_ECONFLICT;
		}
		lc_buf_cleanup(&names);
	}
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	lc_award_round_cleanup(&r);
	return err;
}

/*
 * The close at the National Commission's deadline checks the eligibility
 * again: a city that lost it since (a lapsed membership, say) leaves the
 * round, with the reasons as the step's reason (in English, the record's
 * language; the e-mail says the step in each reader's).
 */
static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	(void)actor;
	(void)reason;
	if (strcmp(t->name, "close") != 0)
		return 0;
	struct lc_nomination_row n;
	struct lc_award_round r;
	int err = lc_nomination_row_of(db, item->id, &n);
	if (!err)
		err = lc_award_round_load(db, n.year, &r);
	if (err)
		return err;
	struct lc_diag why;
	lc_diag_init(&why);
	err = eligible(db, &n, &r, &why);
	lc_award_round_cleanup(&r);
	if (err == LC_EINVAL) {
		struct lc_buf text;
		lc_buf_init(&text, LC_LIMIT_REASON_BYTES);
		lc_buf_puts(&text, "Not eligible at the deadline: ");
		for (size_t i = 0; i < why.count; i++) {
			if (i)
				lc_buf_puts(&text, "; ");
			lc_buf_puts(&text, why.items[i].message ? why.items[i].message : "");
		}
		struct lc_actor sys;
		lc_actor_system(&sys);
		err = lc_wf_take(db, &sys, &lc_nomination_process, item->id, "ineligible",
		                 lc_buf_error(&text) ? "Not eligible at the deadline"
		                                     : lc_buf_cstr(&text),
		                 d, NULL);
		lc_buf_cleanup(&text);
	}
	lc_diag_cleanup(&why);
	return err;
}

/* "Cork (IE), Learning City Award 2027": the item's title in e-mails and history pages. */
static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	char city[LC_LIMIT_NAME_BYTES + 1];
	lc_wf_city_name(db, item, city, sizeof city);
	snprintf(out, n, "%s (%s), Learning City Award %ld", city, item->country, item->year);
}

const struct lc_wf_process lc_nomination_process = {
    .name = "nomination",
    .initial = "draft",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .path_fmt = "/nominations/%lld",
    .guard = guard,
    .effect = effect,
    .title = title,
    .may_view = lc_nomination_may_view,
};

/* ---- starting a nomination ------------------------------------------------------------------ */

static int find_city(struct lc_db *db, const char *slug, int64_t *id, char country[3])
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, country FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug ? slug : "");
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(country, 3, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int existing(struct lc_db *db, long year, int64_t city_id, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT item_id FROM award_nominations"
	                                  " WHERE round_year = ?1 AND city_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	sqlite3_bind_int64(st, 2, city_id);
	int rc = lc_db_step(db, st);
	*id = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* Checks a reason: trimmed, 1..LC_LIMIT_REASON_BYTES of valid UTF-8. */
static bool reason_ok(const char *s, const char *field, struct lc_diag *d)
{
	struct lc_slice r = lc_slice_trim(lc_slice_cstr(s));
	if (r.len == 0 || r.len > LC_LIMIT_REASON_BYTES || !lc_utf8_valid(r.ptr, r.len)) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_award_reason",
		             LC_ARG_I("limit", LC_LIMIT_REASON_BYTES));
		return false;
	}
	return true;
}

static int write_override(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                          const char *reason)
{
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE award_nominations SET override_reason = ?2,"
	                                  " override_by = ?3, override_at = ?4, updated_at = ?4"
	                                  " WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, reason);
	lc_db_bind_text(st, 3, actor->email);
	sqlite3_bind_int64(st, 4, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	json_t *after = json_pack("{s:b}", "override", 1);
	rc = lc_audit_append_id(db, actor, "nomination.override", "nomination", id, NULL, after,
	                        reason);
	json_decref(after);
	return rc;
}

int lc_nomination_create(struct lc_db *db, const struct lc_actor *actor, long year,
                         const char *city, const char *override, int64_t *id, struct lc_diag *d)
{
	*id = 0;
	struct lc_award_round r;
	int err = lc_award_round_load(db, year, &r);
	if (err)
		return err;
	int64_t city_id = 0;
	char country[3] = "";
	struct lc_diag own;
	lc_diag_init(&own);
	err = find_city(db, city, &city_id, country);
	if (err == LC_ENOTFOUND) {
		/* Only someone who may nominate somewhere learns that the slug names no city. */
		err = lc_authz_check(actor, LC_ACT_ENDORSE_FOR_COUNTRY, NULL);
		if (err)
			err = lc_authz_check(actor, LC_ACT_PREPARE_NOMINATION, NULL);
		if (!err) {
			lc_diag_addf(&own, NULL, 0, 0, "city", "err_award_city",
			             LC_ARG_S("slug", city ? city : ""));
			err = LC_EINVAL;
		}
		goto out;
	}
	if (err)
		goto out;
	struct lc_authz_object obj = {.city_id = city_id, .country = country};
	err = lc_authz_check(actor, LC_ACT_ENDORSE_FOR_COUNTRY, &obj);
	if (err)
		err = lc_authz_check(actor, LC_ACT_PREPARE_NOMINATION, &obj);
	if (!err && override)
		err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		goto out;
	int64_t now = lc_clock_now();
	if (now < lc_award_day_end(r.nominations_open) - DAY ||
	    now >= lc_award_day_end(r.nominations_close))
		lc_diag_addf(&own, NULL, 0, 0, "year", "err_award_window", LC_ARG_I("year", year),
		             LC_ARG_S("open", r.nominations_open),
		             LC_ARG_S("close", r.nominations_close));
	if (override)
		reason_ok(override, "override", &own);
	else {
		err = lc_award_eligibility_check(db, &r, city_id, &own);
		if (err == LC_EINVAL)
			err = 0;
		if (err)
			goto out;
	}
	int64_t other = 0;
	err = existing(db, year, city_id, &other);
	if (err)
		goto out;
	if (other)
		lc_diag_addf(&own, NULL, 0, 0, "city", "err_award_nominated_already",
		             LC_ARG_S("slug", city), LC_ARG_I("year", year), LC_ARG_I("id", other));
	if (lc_diag_total(&own)) {
		err = LC_EINVAL;
		goto out;
	}
	err = lc_db_begin(db);
	if (err)
		goto out;
	struct lc_wf_item init = {
	    .owner_id = actor->kind == LC_ACTOR_ACCOUNT ? actor->account_id : 0,
	    .city_id = city_id,
	    .year = year,
	    .due_at = lc_award_day_end(r.natcom_deadline),
	};
	snprintf(init.country, sizeof init.country, "%s", country);
	err = lc_wf_create(db, actor, &lc_nomination_process, &init, id);
	sqlite3_stmt *st = NULL;
	if (!err) {
		st = lc_db_stmt(db, "INSERT INTO award_nominations (item_id, round_year, city_id,"
		                    " updated_at) VALUES (?1, ?2, ?3, ?4)");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, year);
		sqlite3_bind_int64(st, 3, city_id);
		sqlite3_bind_int64(st, 4, now);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		err = err < 0 ? err : 0;
	}
	if (!err && override)
		err = write_override(db, actor, *id, override);
	if (!err)
		err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		*id = 0;
	}
out:
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	lc_award_round_cleanup(&r);
	return err;
}

/* ---- the override and the steps ------------------------------------------------------------- */

int lc_nomination_override(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                           const char *reason, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_wf_item it;
	err = lc_wf_get(db, &lc_nomination_process, id, &it);
	if (err)
		return err;
	if (!reason_ok(reason, "override", d))
		return LC_EINVAL;
	const struct lc_wf_state *s = lc_wf_state_find(&lc_nomination_process, it.state);
	if (s && s->terminal) {
		char key[64];
		snprintf(key, sizeof key, "nomination_state_%s", it.state);
		lc_diag_addf(d, NULL, 0, 0, "override", "err_award_final", LC_ARG_K("state", key));
		return LC_ECONFLICT;
	}
	err = lc_db_begin(db);
	if (err)
		return err;
	err = write_override(db, actor, id, reason);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_nomination_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                       const char *reason, struct lc_diag *d)
{
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_nomination_process, id, &it);
	if (err)
		return err;
	/* A juror learns nothing of a nomination it does not read, not even that it exists. */
	if (lc_jury_is_juror(actor, it.year) && lc_wf_may_view(actor, &it) != 0) {
		err = lc_nomination_may_view(db, actor, &it);
		if (err)
			return err;
	}
	return lc_wf_take(db, actor, &lc_nomination_process, id, to, reason, d, NULL);
}
