/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Workflows: the one engine behind every process of the network that moves
 * a case through states taken by different people (membership applications,
 * biennial progress reports, the membership lifecycle; later award
 * nominations and case-study curation).
 *
 * A process is DATA: a struct lc_wf_process lists its states (terminal or
 * not, a deadline counted from entering, reminders before it, and the
 * transition the clock takes when it passes) and its transitions (from, to,
 * the rules-table action whose role may take it, whether a reason is
 * required, who is told). A new process is a new table plus two optional
 * hooks (a guard before a transition, an effect after it), not new control
 * flow.
 *
 * Every transition runs in one transaction: the state changes, a row is
 * appended to wf_history, an audit row "<process>.<transition>" is written,
 * the parties named by the transition get an e-mail in the outbox, and the
 * process's effect runs (making a city a member, say); any failure rolls
 * all of it back. lc_wf_tick, called by the server periodically and by
 * `learncity workflow tick`, sends the reminders that are due and takes the
 * clock's transitions whose deadline has passed, at the exact second.
 *
 * This module owns the wf_items and wf_history tables. The form behind a
 * case (an application's answers, a report's text) belongs to the process's
 * own module and table, keyed by the item id.
 */
#ifndef LC_WORKFLOW_H
#define LC_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/accounts/authz.h"

struct lc_db;
struct lc_diag;

/* Who is told of a transition or reminded of a deadline (bits). */
enum {
	LC_WF_TELL_OWNER = 1u << 0,        /* the item's owner account (an applicant) */
	LC_WF_TELL_COORDINATORS = 1u << 1, /* the coordinators of the item's city */
	LC_WF_TELL_NATCOM = 1u << 2,       /* the National Commission of the item's country */
	LC_WF_TELL_SECRETARIAT = 1u << 3,  /* every admin */
	LC_WF_TELL_EXPERTS = 1u << 4,      /* the expert jury for memberships */
};

/* Flags of a transition. */
enum {
	LC_WF_REASON = 1u << 0, /* a reason (a question, a comment, a ground) is required */
	LC_WF_CLOCK = 1u << 1,  /* taken by lc_wf_tick at a deadline, or by the system actor;
	                           never by a person, admins included */
	LC_WF_OWNER = 1u << 2,  /* the item's owner account may take it, whatever the action */
};

struct lc_wf_transition {
	const char *name;      /* the verb: "endorse"; audit "<process>.<name>" */
	const char *from;      /* state name */
	const char *to;        /* state name; (from, to) is unique within a process */
	enum lc_action action; /* the rule whose roles may take it, scoped by the item */
	unsigned flags;        /* LC_WF_REASON, LC_WF_CLOCK, LC_WF_OWNER */
	unsigned tell;         /* LC_WF_TELL_* bits */
};

#define LC_WF_MAX_REMINDERS 3

struct lc_wf_state {
	const char *name;
	bool terminal; /* no transition leaves it; no deadline */
	long due_days; /* >0: entering sets a deadline so many days later; 0: entering keeps
	                  the item's deadline when keep_due, else clears it */
	bool keep_due; /* with due_days 0: the deadline set at creation (a cohort's) stays */
	long remind_days[LC_WF_MAX_REMINDERS]; /* reminders so many days before the deadline,
	                                          decreasing; 0 ends the list */
	unsigned remind;                       /* who gets the reminders: LC_WF_TELL_* */
	const char *on_due; /* the LC_WF_CLOCK transition taken when the deadline passes, or NULL */
	unsigned waits_on;  /* whose turn it is in this state (LC_WF_TELL_* bits): the people
	                       whose inbox lists the item (inbox.h); 0: nobody's, a steady state */
};

struct lc_wf_item;

struct lc_wf_process {
	const char *name;    /* "application": the audit prefix and the JSON "process" */
	const char *initial; /* the state of a new item */
	const struct lc_wf_state *states;
	size_t nstates;
	const struct lc_wf_transition *transitions;
	size_t ntransitions;
	/* The page of an item, with "%lld" for its id ("/applications/%lld"), for e-mails. */
	const char *path_fmt;
	/* Optional, instead of path_fmt: the page of an item whose address is not its id
	 * ("/cities/cork/data/2025"); writes at most n bytes, "" when it has none. */
	void (*path)(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);
	/*
	 * Optional. Runs inside the transaction before the state changes; refuses
	 * with a negative error (LC_ECONFLICT, LC_EINVAL) and a sentence in d, e.g.
	 * "The call closed on 2025-06-15." or "Three applications are endorsed already."
	 */
	int (*guard)(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
	             const struct lc_wf_transition *t, struct lc_diag *d);
	/*
	 * Optional. Runs inside the transaction after the state changed and the
	 * history row is written (item->state is the new state); an error rolls
	 * the whole transition back.
	 */
	int (*effect)(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
	              const struct lc_wf_transition *t, const char *reason, struct lc_diag *d);
	/* Optional. A one-line title of an item for e-mails ("Application of Tartu (EE)"). */
	void (*title)(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);
	/*
	 * Optional. Who may see an item, when the process says more than
	 * lc_wf_may_view (the default): 0, LC_EAUTH, LC_EPERM, LC_EDB.
	 */
	int (*may_view)(struct lc_db *db, const struct lc_actor *actor,
	                const struct lc_wf_item *item);
	/* Optional. The name of the item's city for e-mails, "" when it has none;
	 * without it, the city the item points at (lc_wf_city_name). */
	void (*city_name)(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);
};

/* A case as stored in wf_items. Plain value. */
struct lc_wf_item {
	int64_t id;
	const struct lc_wf_process *process;
	char state[32];
	int64_t owner_id; /* account, or 0 */
	int64_t city_id;  /* 0 when the item has no city (yet) */
	char country[3];  /* alpha-2 or "" */
	long year;        /* the call's or the cohort's year, or 0 */
	int64_t created_at;
	int64_t entered_at;     /* when the current state was entered */
	int64_t due_at;         /* the deadline of the current state, or 0 */
	int64_t next_remind_at; /* the next reminder, or 0 */
	long reminders_sent;    /* in the current state */
};

/*
 * The variables every e-mail about the item carries (mail/mail.h): process,
 * title, id, country, year, and city, path and due_date when it has them.
 * Caller frees with json_decref. NULL when a read of the process's hooks
 * (title, page, city) failed (lc_db_failures): the caller stops with LC_EDB.
 */
json_t *lc_wf_mail_vars(struct lc_db *db, const struct lc_wf_item *item);

/*
 * The English name of the item's city (for e-mail titles), "a city" when it
 * has none or on error. Writes at most n bytes to out.
 */
void lc_wf_city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);

/*
 * Checks a process table: states and transitions named and unique, every
 * transition's states exist, terminal states have no way out, on_due names
 * a LC_WF_CLOCK transition from that state, (from, to) unique. 0, or
 * LC_EINVAL with the first problem in why (may be NULL). Unit tests call it
 * for every process.
 */
int lc_wf_process_check(const struct lc_wf_process *p, const char **why);

/* The state or transition of that name, or NULL. */
const struct lc_wf_state *lc_wf_state_find(const struct lc_wf_process *p, const char *name);
const struct lc_wf_transition *lc_wf_transition_find(const struct lc_wf_process *p,
                                                     const char *from, const char *to);

/*
 * Creates an item in the process's initial state inside the caller's
 * transaction (or its own): init gives owner_id, city_id, country, year and,
 * for a keep_due initial state, due_at; other fields are ignored. The
 * caller checks the right to create (the process module's rule). Writes
 * the first history row ("create") and the audit row "<process>.create".
 * 0 with *id set; LC_EINVAL, LC_EDB.
 */
int lc_wf_create(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_process *p,
                 const struct lc_wf_item *init, int64_t *id);

/* Loads item id of process p. 0, LC_ENOTFOUND (none, or of another process), LC_EDB. */
int lc_wf_get(struct lc_db *db, const struct lc_wf_process *p, int64_t id, struct lc_wf_item *out);

/*
 * May actor take transition t on item now (state, role and scope; not the
 * guard)? 0, LC_EAUTH, LC_EPERM, or LC_ECONFLICT when the item is not in
 * t->from.
 */
int lc_wf_may(const struct lc_actor *actor, const struct lc_wf_item *item,
              const struct lc_wf_transition *t);

/*
 * May actor see item: admins, the owner, and whoever may take any of the
 * process's transitions on it in some state. 0, LC_EAUTH, LC_EPERM.
 */
int lc_wf_may_view(const struct lc_actor *actor, const struct lc_wf_item *item);

/*
 * Moves item id to state `to`, in one transaction (nested in the caller's
 * when there is one): checks the transition exists from the current state
 * (LC_ECONFLICT otherwise: "An application that is endorsed cannot become
 * draft."), the actor's right (LC_EAUTH/LC_EPERM), the reason when required
 * (LC_EINVAL; trimmed, 1..LC_LIMIT_REASON_BYTES), the guard; then updates
 * the state and deadline, appends history and audit, queues the e-mails,
 * runs the effect. Problems for the user go to d (may be NULL). 0 with
 * *out (may be NULL) holding the item after the change; LC_ENOTFOUND,
 * LC_EBUSY, LC_EDB.
 */
int lc_wf_take(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_process *p,
               int64_t id, const char *to, const char *reason, struct lc_diag *d,
               struct lc_wf_item *out);

/*
 * Sets the deadline of item's current state to due (Unix seconds; 0: none)
 * and its reminders anew, inside the caller's transaction: for a process
 * whose deadline depends on more than the state (a report returned late
 * gets at least a month; an overdue one lapses at the cohort's deadline plus
 * its grace period). A process's effect calls it after the step. 0,
 * LC_EINVAL (a terminal state), LC_EDB.
 */
int lc_wf_set_due(struct lc_db *db, const struct lc_wf_item *item, int64_t due);

/*
 * The item as JSON for pages and the API (no view check: callers check
 * lc_wf_may_view first):
 * {"id": 7, "process": "application", "state": "submitted", "terminal": false,
 *  "owner_id": 5 | null, "city_id": 3 | null, "country": "EE" | null, "year": 2025 | null,
 *  "created_at": "...Z", "entered_at": "...Z", "due_at": "...Z" | null, "overdue": false,
 *  "next": [{"name": "endorse", "to": "endorsed", "reason_required": false}, ...],
 *  "history": [{"transition": "create", "from": null, "to": "draft",
 *               "actor": "someone@example.org", "reason": null, "at": "...Z"}, ...],
 *  "history_total": 1, "history_more": false}
 * "next" lists the transitions this actor may take now (not the clock's).
 * "history" holds the latest LC_WF_HISTORY_SHOWN steps, oldest first, so that
 * an item taken back and forth for years costs the same to show as a new one;
 * "history_total" counts them all, "history_more" says some are left out,
 * and lc_wf_history pages through them.
 * 0 (caller owns *out), LC_EDB.
 */
int lc_wf_item_json(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                    json_t **out);

/*
 * One page of an item's whole history, newest first (no view check: callers
 * check lc_wf_may_view first), of one transition ("return") or of all (NULL):
 * {"items": [<history rows as in lc_wf_item_json>], "total": 57, "page": 1,
 *  "per_page": 20, "pages": 3}
 * page 0 means 1, per_page 0 means LC_DEFAULT_PER_PAGE. 0 (caller owns *out),
 * LC_EINVAL (page or per_page out of range), LC_EDB.
 */
int lc_wf_history(struct lc_db *db, const struct lc_wf_item *item, const char *transition,
                  long page, long per_page, json_t **out);

/*
 * lc_wf_history of item id of process p for an actor who may see it (the
 * process's may_view, else lc_wf_may_view; anonymous callers get LC_EAUTH
 * before anything is read), with "item": {"id", "process", "state", "title",
 * "path"} added for the page's heading and its way back. Errors as
 * lc_wf_history, and LC_EAUTH, LC_EPERM, LC_ENOTFOUND.
 */
int lc_wf_history_of(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_process *p,
                     int64_t id, long page, long per_page, json_t **out);

/* True when the item has a deadline and it has passed at now. */
bool lc_wf_overdue(const struct lc_wf_item *it, int64_t now);

/*
 * The item's deadline as people read it: the last day still on time
 * ("2027-06-30" for a deadline at the end of that day, due_at being the
 * midnight after it); "" without a deadline. out holds 11 bytes.
 */
void lc_wf_due_day(const struct lc_wf_item *it, char out[11]);
/* The item's one-line title (the process's title hook, else "<process> #<id>"). */
void lc_wf_title(struct lc_db *db, const struct lc_wf_item *it, char *out, size_t n);
/* The item's page (the process's path hook, else its path_fmt with the id), or "" when none. */
void lc_wf_path(struct lc_db *db, const struct lc_wf_item *it, char *out, size_t n);

/* A filter over the items of one process, for queues and pipelines. */
struct lc_wf_query {
	const char *state;   /* or NULL: every state */
	const char *country; /* or NULL */
	int64_t owner_id;    /* or 0 */
	int64_t city_id;     /* or 0 */
	long year;           /* or 0 */
	bool open_only;      /* leave out terminal states */
	bool waiting_only;   /* leave out the states that are nobody's turn too (waits_on 0) */
	long page;           /* 1-based; 0 means 1 */
	long per_page;       /* 0 means LC_DEFAULT_PER_PAGE; at most LC_LIMIT_PER_PAGE */
};

/*
 * The ids matching q, overdue first, then by deadline, then oldest first,
 * with counts per state over the whole filter (without the state filter):
 * *ids (caller frees with lc_free) has *n entries of this page; *total is
 * the number matching; by_state (may be NULL) gets {"draft": 3, ...}. The
 * caller sets the filter the actor's role allows. 0, LC_EINVAL, LC_EDB.
 */
int lc_wf_list(struct lc_db *db, const struct lc_wf_process *p, const struct lc_wf_query *q,
               int64_t **ids, size_t *n, long *total, json_t **by_state);

struct lc_wf_tick_report {
	long reminders; /* reminder e-mails queued (items reminded) */
	long moved;     /* clock transitions taken */
	long failed;    /* clock transitions refused by a guard or an error (logged) */
};

/*
 * Does what the clock owes at time now (Unix seconds) for every process of
 * procs: a reminder for every item whose next reminder is due, and the
 * on_due transition of every item whose deadline is <= now (as the system
 * actor, reason "The deadline of <date> passed."). Each item in its own
 * transaction. 0 (r filled; may be NULL), LC_EDB.
 */
int lc_wf_tick(struct lc_db *db, const struct lc_wf_process *const *procs, size_t nprocs,
               int64_t now, struct lc_wf_tick_report *r);

#endif
