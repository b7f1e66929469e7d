/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A person's home (see home.h). */
#include "domain/home/home.h"

#include <string.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/role.h"
#include "domain/monitoring/year_review.h"
#include "domain/workflow/application.h"
#include "domain/workflow/inbox.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/progress.h"

/* Moves list's "items" into o[key] and its "total" into o[key_total]. */
static void take_list(json_t *o, const char *key, const char *key_total, json_t *list)
{
	json_object_set(o, key, json_object_get(list, "items"));
	json_object_set(o, key_total, json_object_get(list, "total"));
	json_decref(list);
}

/* A coordinator's city: its data years and its reports. */
static int city_work(struct lc_db *db, const struct lc_actor *actor, const char *lang,
                     const json_t *city, json_t **out)
{
	const char *slug = json_string_value(json_object_get(city, "slug"));
	json_t *c = json_pack("{s:O, s:O}", "slug", json_object_get(city, "slug"), "name",
	                      json_object_get(city, "name"));
	json_t *years = NULL, *reports = NULL;
	struct lc_year_review_query yq = {.city = slug, .lang = lang, .per_page = LC_HOME_PER_CITY};
	int err = lc_year_review_queue(db, actor, &yq, &years);
	if (!err) {
		take_list(c, "years", "years_total", years);
		int64_t id = (int64_t)json_integer_value(json_object_get(city, "id"));
		struct lc_progress_query pq = {.city_id = id, .per_page = LC_HOME_PER_CITY};
		err = lc_progress_list(db, actor, &pq, lang, &reports);
	}
	if (!err)
		take_list(c, "reports", "reports_total", reports);
	if (err) {
		json_decref(c);
		return err;
	}
	*out = c;
	return 0;
}

int lc_home_get(struct lc_db *db, const struct lc_actor *actor, const char *lang, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EAUTH;
	json_t *roles = NULL, *waiting = NULL, *apps = NULL;
	json_t *home = json_pack("{s:[], s:[], s:[], s:b, s:b}", "cities", "countries", "juries",
	                         "admin", lc_actor_has_role(actor, LC_ROLE_ADMIN), "expert",
	                         lc_actor_has_role(actor, LC_ROLE_EXPERT));
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	int err = lc_inbox_list(db, actor, procs, np, LC_HOME_WAITING, &waiting);
	if (!err)
		err = lc_role_list(db, actor->account_id, lang, &roles);
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r)
	{
		if (err)
			break;
		const char *kind = json_string_value(json_object_get(r, "role"));
		if (!kind)
			continue;
		if (!strcmp(kind, "coordinator")) {
			json_t *c = NULL;
			err = city_work(db, actor, lang, json_object_get(r, "city"), &c);
			if (!err)
				json_array_append_new(json_object_get(home, "cities"), c);
		} else if (!strcmp(kind, "natcom")) {
			json_array_append(json_object_get(home, "countries"),
			                  json_object_get(r, "country"));
		} else if (!strcmp(kind, "jury")) {
			json_array_append(json_object_get(home, "juries"),
			                  json_object_get(r, "year"));
		}
	}
	if (!err) {
		struct lc_application_query aq = {.scope = LC_APP_SCOPE_MINE,
		                                  .per_page = LC_HOME_PER_CITY};
		err = lc_application_list(db, actor, &aq, &apps);
	}
	if (err) {
		json_decref(home);
		goto out;
	}
	json_object_set(home, "waiting", waiting);
	take_list(home, "applications", "applications_total", apps);
	apps = NULL;
	*out = home;
out:
	json_decref(roles);
	json_decref(waiting);
	json_decref(apps);
	return err;
}
