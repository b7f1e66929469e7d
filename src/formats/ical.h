/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * iCalendar (RFC 5545) for a conference programme, written through libical:
 * one VEVENT per session of a programme document (domain/conference/
 * programme.h's shape), with the VTIMEZONE of the conference's zone
 * (truncated to the conference's year), DTSTART/DTEND in that zone, DTSTAMP
 * in UTC, a UID that stays the same across releases, the session's
 * SEQUENCE, and STATUS:CANCELLED for a cancelled session. Lines are folded
 * at 75 octets without splitting a UTF-8 character (libical folds by
 * characters, so its output is refolded by lc_ical_fold).
 *
 * The Frab exports (frab.h) share the description of the export and the
 * time-zone arithmetic.
 */
#ifndef LC_ICAL_H
#define LC_ICAL_H

#include <stdint.h>

#include <jansson.h>

struct lc_buf;

/* What an export needs beside the document. Strings borrowed. */
struct lc_prog_export {
	const char *slug;       /* the conference's slug */
	const char *title;      /* its title in lang */
	const char *timezone;   /* IANA name of its zone */
	const char *start_date; /* its first and last day, YYYY-MM-DD */
	const char *end_date;
	const char *lang;     /* the language of titles and texts (English when a text lacks it) */
	const char *base_url; /* "https://host" for links, or NULL */
	const char *version;  /* the release's name */
	const char *calname;  /* the calendar's name (X-WR-CALNAME), or NULL for title */
	int64_t dtstamp;      /* the release's time, Unix seconds */
	const json_t *only;   /* the session ids to include (a JSON array), or NULL for all */
};

/*
 * Appends the iCalendar text of doc's sessions to out. 0; LC_EINVAL (an
 * unknown time zone), LC_ELIMIT (out is full), LC_EINTERNAL (libical).
 */
int lc_ical_programme(const json_t *doc, const struct lc_prog_export *x, struct lc_buf *out);

/* One person's registration for a conference, as a calendar entry. Strings borrowed. */
struct lc_ical_registration {
	int64_t id;             /* the registration's id: its UID */
	const char *title;      /* the conference's title in the reader's language */
	const char *start_date; /* first and last day, YYYY-MM-DD (an all-day entry) */
	const char *end_date;
	const char *location; /* the venue, or NULL */
	const char *summary;  /* a line about the registration (category), or NULL */
	const char *url;      /* the registration's page, or NULL */
	int64_t dtstamp;      /* Unix seconds */
};

/*
 * Appends a VCALENDAR (METHOD:PUBLISH) with the registration's all-day
 * VEVENT to out. 0; LC_EINVAL (bad dates), LC_ELIMIT, LC_EINTERNAL.
 */
int lc_ical_registration(const struct lc_ical_registration *r, struct lc_buf *out);

/*
 * The local wall time of Unix time t in zone tzid: day "YYYY-MM-DD" and
 * time "HH:MM". 0; LC_EINVAL (unknown zone).
 */
int lc_ical_local(const char *tzid, int64_t t, char day[11], char hm[6]);

/*
 * Refolds iCalendar text in[0..n): unfolds every line, then folds each at
 * 75 octets (CRLF, continuation lines start with one space) without cutting
 * a UTF-8 sequence. Lines may end in LF or CRLF; output ends lines in CRLF.
 */
void lc_ical_fold(const char *in, size_t n, struct lc_buf *out);

/*
 * The offset from UTC, in seconds, of local time "YYYY-MM-DDTHH:MM" in zone
 * tzid, into *seconds. 0; LC_EINVAL (unknown zone or bad time).
 */
int lc_ical_utc_offset(const char *tzid, const char *local, int *seconds);

/*
 * The local day count days after day (YYYY-MM-DD) into out, and whether
 * it is at most last. 0 or LC_EINVAL.
 */
int lc_ical_day_add(const char *day, int days, char out[11]);

#endif
