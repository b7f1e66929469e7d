/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Every limit on outside input, each with its reason. Sizes that come from
 * outside are checked against these before anything is allocated.
 */
#ifndef LC_LIMITS_H
#define LC_LIMITS_H

/* HTTP */
#define LC_LIMIT_HTTP_BODY      (1u << 20)  /* 1 MiB: forms and JSON bodies are small */
#define LC_LIMIT_HTTP_UPLOAD    (32u << 20) /* 32 MiB: XLSX/CSV uploads and signed pledges */
#define LC_LIMIT_HTTP_URL       4096        /* longer URLs are attacks or mistakes */
#define LC_LIMIT_HTTP_PARAMS    64          /* query or form fields per request */
#define LC_LIMIT_HTTP_TIMEOUT_S 15          /* idle keep-alive connections are closed */
/* Concurrent connections per server: room for a slow-client attack that the per-address
 * limit and the head deadline are cutting down, beside the real users. */
#define LC_LIMIT_HTTP_CONNECTIONS 4096
/* Connections from one client address at once (not counting the trusted proxy): a browser
 * opens 6 per site, so this lets an office behind one NAT address in, but not a slowloris. */
#define LC_LIMIT_HTTP_PER_ADDRESS 64

/* Rows of the joined route table (web/routes/groups.c): a static array, so that joining the
 * route groups allocates nothing; room for the next modules beside today's ~150 routes. */
#define LC_LIMIT_ROUTES 512
/* Seconds a connection has to send a request's line and headers, counted from its opening or
 * from its previous answer, however slowly it trickles them: the idle timeout alone lets a
 * client holding a connection with one header line every few seconds keep it forever. */
#define LC_LIMIT_HTTP_HEAD_S 10
/* Seconds a connection refused before its body is kept reading (and dropping) what the
 * client still sends: closing a socket with unread bytes resets it, and the client would
 * lose the answer it has not read yet. */
#define LC_LIMIT_HTTP_LINGER_S 2
/* File descriptors kept beside the connections: the database pool (three per connection:
 * file, WAL, shared memory), logs, epoll and pipes; see lc_server_start. */
#define LC_LIMIT_HTTP_FD_RESERVE  128
#define LC_LIMIT_HTTP_DRAIN_S     10 /* graceful stop waits this long for requests in flight */
#define LC_LIMIT_HTTP_RESPONSE    (16u << 20) /* a rendered page or JSON answer */
#define LC_LIMIT_COOKIE_BYTES     4096        /* RFC 6265 user agents send at most ~4 KiB */
#define LC_LIMIT_MULTIPART_PARTS  64          /* parts of a multipart form: fields and files */
#define LC_LIMIT_MULTIPART_HEADER 8192        /* header bytes of one part: browsers send ~200 */
#define LC_LIMIT_MULTIPART_NAME   255 /* a field or file name: file systems stop at 255 bytes */

/* Templates */
#define LC_LIMIT_TEMPLATE_BYTES (256u << 10) /* our own templates are a few KiB */
#define LC_LIMIT_TEMPLATE_DEPTH 32           /* nesting of sections and partials */

/* Text fields */
#define LC_LIMIT_NAME_BYTES   200         /* a city, person or country name */
#define LC_LIMIT_TEXT_BYTES   (64u << 10) /* free text: motivation, evidence, notes */
#define LC_LIMIT_SEARCH_BYTES 100         /* a directory search query */
/* A problem's argument quoting the input (a cell, a field's value): enough to recognise it,
 * while a 64 KiB cell repeated in a thousand problems would make a 64 MiB answer. */
#define LC_LIMIT_DIAG_VALUE_BYTES 200

/* Lists */
#define LC_LIMIT_PER_PAGE 100 /* largest page of a list */
/* Rows of a list's CSV or XLSX download (web/routes/download.c): the directory holds a few
 * hundred cities, an admin list a few thousand rows; past this, narrow the filters. */
#define LC_LIMIT_DOWNLOAD_ROWS 20000
#define LC_DEFAULT_PER_PAGE    20
#define LC_LIMIT_PAGE                                                                              \
	1000000 /* a list's page number: past it, a typo or a probe whose                          \
	           OFFSET would walk the whole table for nothing */
/*
 * Workflow steps and value versions a case's page or answer shows inline (the
 * latest); the rest are paged. Without it a case taken back and forth grows
 * every answer about it without bound (the soak saw 35 KB become 165 KB).
 */
#define LC_WF_HISTORY_SHOWN   20
#define LC_OBS_VERSIONS_SHOWN 10
/* The audit trail's list counts its rows up to this many ("more than 10000"); narrow by filter. */
#define LC_LIMIT_AUDIT_COUNT 10000

/* CSV and XLSX input */
#define LC_LIMIT_CSV_BYTES     (256u << 20) /* a data file */
#define LC_LIMIT_CSV_ROWS      1000000      /* rows in one file */
#define LC_LIMIT_CSV_COLS      10000        /* columns in one file */
#define LC_LIMIT_CSV_FIELD     (64u << 10)  /* bytes in one cell */
#define LC_LIMIT_XLSX_MEMBERS  1000         /* zip members in a workbook */
#define LC_LIMIT_XLSX_INFLATED (256u << 20) /* total inflated bytes: zip bombs */
#define LC_LIMIT_XLSX_PART                                                                         \
	(256u << 20) /* inflated bytes of one XML part: a 10^6-row sheet of a few columns is       \
	                ~200 MiB of XML; parts stream through the parser, so this caps time */
#define LC_LIMIT_XLSX_CELLS                                                                        \
	(1u << 23) /* cells of a sheet read as a dense table (24 bytes each: 192 MiB); a           \
	              long-format import of 600,000 values in 6 columns needs 3.6 Mi */
/*
 * The SQLite page cache while one transaction writes a large import: with the
 * default 2 MiB, dirty pages spill to the WAL and are read back, and the import
 * runs several times slower. An import gets it from LC_IMPORT_BIG_BATCH values.
 */
#define LC_LIMIT_IMPORT_CACHE_KIB (256u << 10)
/*
 * The server's page cache per pooled connection (serve --db-cache-kib): the
 * caches fill as the database grows and do not shrink, so (threads + 2) x
 * this bounds what they hold; 1 MiB each fills within the first minutes of
 * load, after which the server's memory stays flat. The most allowed: 1 GiB.
 */
#define LC_DB_CACHE_KIB       1024
#define LC_LIMIT_DB_CACHE_KIB (1L << 20)
#define LC_IMPORT_BIG_BATCH   20000
/* Rows of one file uploaded in the browser for one city-year: the framework has a few
 * hundred measurements, so more is a wrong file, refused before any row is checked. */
#define LC_LIMIT_UPLOAD_ROWS 10000

/* Engine */
#define LC_LIMIT_ENGINE_UNITS  100000 /* rows of a data matrix */
#define LC_LIMIT_ENGINE_CODES  20000  /* indicators and aggregates */
#define LC_LIMIT_ENGINE_LEVELS 16     /* depth of the indicator tree */
#define LC_LIMIT_ENGINE_CELLS                                                                      \
	(1u << 26)                      /* units x codes: 512 MiB of doubles per matrix,           \
	                                   which the pipeline holds a few of */
#define LC_LIMIT_ENGINE_RUNS 10000000   /* Monte Carlo runs in one analysis */
#define LC_LIMIT_SPEC_BYTES  (4u << 20) /* a pipeline spec */
#define LC_LIMIT_SPEC_STEPS  64         /* steps of a spec: six ops, a few repeats */
#define LC_LIMIT_COPELAND_UNITS                                                                    \
	20000                               /* Copeland compares every pair of units:              \
	                                       2e8 pairs x children is minutes, not hours */
#define LC_LIMIT_UA_INPUTS       64         /* uncertain inputs: Sobol indices need N(d+2) runs */
#define LC_LIMIT_UA_VALUES       10000      /* discrete alternatives of one uncertain input */
#define LC_LIMIT_UA_WEIGHT_SETS  100000     /* noisy weight sets drawn for one input */
#define LC_LIMIT_UA_WEIGHT_CELLS (1u << 23) /* noisy weight sets x codes: 64 MiB of doubles */
#define LC_LIMIT_UA_VARIANT_BYTES                                                                  \
	(64u << 20) /* alternatives x spec size: each whole-step                                   \
	               alternative keeps a parsed copy of the spec */
#define LC_LIMIT_UA_STORED_CELLS                                                                   \
	(1u << 23) /* run x unit values kept for rank/score quantiles:                             \
	              8 Mi cells x 12 bytes = 96 MiB */
#define LC_LIMIT_UA_STORED_COL_CELLS                                                               \
	(1u << 24) /* run x unit x column values kept for the areas' and parts'                    \
	              intervals: 16 Mi cells x 8 bytes = 128 MiB (1,000 cities x 1,000             \
	              runs x 15 codes fits) */

/* The award's jury ranking (engine/award.h): a round has ~100 nominations and a few dozen jurors */
#define LC_LIMIT_AWARD_NOMINATIONS                                                                 \
	1000 /* Schulze's strongest paths are cubic in the nominations: 1e9 steps is about a       \
	        second */
#define LC_LIMIT_AWARD_JURORS   500 /* the pairwise preferences cost nominations^2 x jurors */
#define LC_LIMIT_AWARD_CRITERIA 64  /* a round's form has eight; more is a wrong file */
#define LC_LIMIT_AWARD_CELLS                                                                       \
	(1u << 24) /* nominations x jurors x criteria scores held as doubles: 128 MiB */
#define LC_LIMIT_AWARD_BOOT                                                                        \
	20000 /* bootstrap resamples (the issue fixes 2,000); x nominations ranks kept as doubles: \
	         at most 160 MiB */
/* The largest score, in absolute value: marks are on a small scale (0-10, 0-100), and a bound
 * keeps every weighted sum and spread finite. */
#define LC_LIMIT_AWARD_SCORE 1e6
/* Scores a juror needs for z-scores (issue 13): with fewer, a juror's own mean and spread say
 * too little, so that juror's totals stay raw and are flagged. */
#define LC_AWARD_Z_MIN_SCORES 5

/* Database */
#define LC_LIMIT_DB_BUSY_MS 5000 /* wait for a writer this long, then LC_EBUSY */
#define LC_LIMIT_DB_POOL    64   /* connections in a pool: more only adds lock contention */
/* Cached statements per connection. Our SQL is a fixed set of literals: about 400 call sites,
 * some with a few variants (eight sort orders, a search table per language), and one server
 * connection sees most of them in a day. 1,024 leaves room and still stops SQL built from data. */
#define LC_LIMIT_DB_STMT_CACHE 1024
#define LC_LIMIT_DB_MIGRATIONS 9999        /* migration numbers are four digits */
#define LC_LIMIT_SLUG_BYTES    80          /* a city slug in a URL */
#define LC_LIMIT_DATA_FILE     (16u << 20) /* an embedded or imported JSON data set */
/* Parts, areas, features and measurements of one framework version together (KFLC: ~200). */
#define LC_LIMIT_FRAMEWORK_NODES 20000

/* Backups and restore (db/backup.h) */
#define LC_LIMIT_PATH_BYTES 4096 /* a file path: PATH_MAX on Linux */
/* A backup copies the database in one read transaction, which never blocks the server's
 * writers (WAL); it waits this long for the rare lock (a checkpoint, a recovery), then fails. */
#define LC_LIMIT_BACKUP_BUSY_MS 30000
/* Restore waits this long for exclusive use of the target before calling it in use. */
#define LC_LIMIT_RESTORE_LOCK_MS 2000
#define LC_LIMIT_BACKUP_EVERY_MIN_S                                                                \
	60 /* a scheduled backup copies the whole database: more often than a minute is a          \
	      mistake (a slip of s for h), not a policy */
#define LC_LIMIT_BACKUP_EVERY_MAX_S (366L * 86400) /* less often than yearly is no schedule */
#define LC_LIMIT_BACKUP_KEEP        1000           /* backups kept: ~3 years of daily ones */
#define LC_LIMIT_BACKUP_RETRY_S     900 /* after a failed scheduled backup, try again this soon */
#define LC_LIMIT_BACKUP_FILES                                                                      \
	100000 /* backup names read from one folder to find the newest and prune: more means       \
	          the folder is not a backup folder */

/* Accounts, sessions and tokens */
#define LC_LIMIT_EMAIL_BYTES 254 /* RFC 5321: the longest forward path */
#define LC_LIMIT_PASSWORD_MIN                                                                      \
	10                           /* characters (code points): shorter ones fall to             \
	                                offline guessing even with argon2id */
#define LC_LIMIT_PASSWORD_BYTES 1024 /* longer is not a password but a CPU attack */
#define LC_LIMIT_PASSWORD_HASHES                                                                   \
	2                              /* concurrent argon2id hashes: 64 MiB each, so a            \
	                                  login flood cannot exhaust memory */
#define LC_LIMIT_ACCOUNT_ROLES      64 /* role grants per account: an actor holds them inline */
#define LC_LIMIT_INBOX_SCAN         2000 /* waiting cases a home page looks at; more are said as "more" */
#define LC_LIMIT_SESSION_IDLE_S     (12 * 3600) /* a session unused this long ends */
#define LC_LIMIT_SESSION_ABSOLUTE_S (7 * 86400) /* and any session ends after a week */
#define LC_LIMIT_SESSION_TOUCH_S    60          /* last_seen is written at most this often */
#define LC_LIMIT_TOKEN_DEFAULT_DAYS 90          /* a personal access token's default lifetime */
#define LC_LIMIT_TOKEN_MAX_DAYS     366         /* and its longest: tokens leak, so they expire */
#define LC_LIMIT_TOKENS_PER_ACCOUNT 50 /* live (unrevoked, unexpired) tokens of one account */
#define LC_LIMIT_INVITE_TTL_S       (7 * 86400) /* an invitation link works for a week */
#define LC_LIMIT_RESET_TTL_S        3600        /* a password reset link for an hour */
#define LC_LIMIT_RESETS_PER_HOUR    3           /* reset e-mails per account: no mail bombing */
#define LC_LIMIT_SIGNUP_TTL_S       (2 * 86400) /* a sign-up confirmation link works 2 days */
#define LC_LIMIT_SIGNUPS_PER_HOUR   3           /* sign-up links per account: no mail bombing */
#define LC_LIMIT_THROTTLE_WINDOW_S  900         /* failed logins count for 15 minutes */
#define LC_LIMIT_THROTTLE_PAIR                                                                     \
	5 /* failures for one account from one client address in the window, then that             \
	     address waits for that account: guessing is slowed, the owner elsewhere is not */
#define LC_LIMIT_THROTTLE_ADDR 20 /* failures per client address in the window, any account */
#define LC_LIMIT_THROTTLE_ACCOUNT                                                                  \
	200 /* failures per account in the window from all addresses together: a ceiling on        \
	       distributed guessing (200 per 15 min), high enough that locking the owner out       \
	       takes 40 addresses at once, and a reset link lifts it */

/* Mail */
#define LC_LIMIT_SMTP_CONNECT_S     10           /* connecting to the SMTP server */
#define LC_LIMIT_SMTP_TIMEOUT_S     60           /* one whole SMTP transaction */
#define LC_LIMIT_MAIL_SUBJECT_BYTES 400          /* a subject line we write ourselves */
#define LC_LIMIT_MAIL_BODY_BYTES    (256u << 10) /* our messages are a few lines */
#define LC_LIMIT_MAIL_HTML_BYTES                                                                   \
	(1u << 20) /* the HTML part: the text part escaped (an entity is up to 5 bytes for 1)      \
	              in a small layout */
#define LC_LIMIT_OUTBOX_BATCH 100 /* messages one `outbox send` pass delivers */
#define LC_LIMIT_OUTBOX_ATTEMPTS                                                                   \
	12                                       /* deliveries tried before a message is marked    \
	                                            failed (about two days of backoff); kept */
#define LC_LIMIT_OUTBOX_BACKOFF_MAX_S (6 * 3600) /* longest wait between two attempts */
#define LC_LIMIT_OUTBOX_SENDING_S     600        /* a 'sending' claim older than this was a crash */

/* Audit */
#define LC_LIMIT_AUDIT_EXPORT     100000       /* rows in one JSON export */
#define LC_LIMIT_AUDIT_JSON_BYTES (256u << 10) /* before/after snapshot of one change */

/* Workflows (domain/workflow/workflow.h) */
#define LC_LIMIT_REASON_BYTES 4000 /* a reason, question or comment on a step: a few paragraphs */
#define LC_LIMIT_WF_RECIPIENTS                                                                     \
	50 /* addresses told of one step: a country's commission, the                              \
	      secretariat; more means a misconfigured role list */
#define LC_LIMIT_WF_TICK                                                                           \
	1000 /* reminders or deadline steps one clock pass takes; the                              \
	        rest wait for the next pass, a minute later */

/* Membership applications (domain/workflow/application.h) */
#define LC_LIMIT_PLEDGE_BYTES                                                                      \
	(8u << 20)                     /* a signed, stamped pledge: a scan of one or two pages; a  \
	                                  larger file is a photograph at full resolution, ask for less */
#define LC_LIMIT_APPLICATION_WORDS 200 /* motivation and implementation each (the call's rule) */
#define LC_LIMIT_APPLICATION_LINKS 10  /* links given with the implementation */
#define LC_LIMIT_CALL_CAP          50 /* applications one National Commission may endorse per call */

/* Biennial progress reports (domain/workflow/progress.h, domain/workflow/questionnaire.h) */
/* One answer: 600 words of any script fit (about 4,000 bytes of Latin text, three times more
 * in other scripts). */
#define LC_LIMIT_REPORT_ANSWER_BYTES 20000
/* Questions of a questionnaire: a long survey has 100. */
#define LC_LIMIT_REPORT_QUESTIONS 200
/* Cities in one cohort: the network had 425 members in 2025. */
#define LC_LIMIT_REPORT_COHORT 2000
/* A grace period longer than a year is no deadline. */
#define LC_LIMIT_REPORT_GRACE_DAYS 365

/* Conferences run in learncity (domain/conference/) */
/* A conference's slug: the URL's name, "iclc-2027"; 64 keeps URLs readable. */
#define LC_LIMIT_CONF_SLUG 64
/* An IANA time-zone name: the longest in tzdata is 32 characters. */
#define LC_LIMIT_CONF_TIMEZONE 64

/* Conference registration (domain/conference/category.c, form.c, registration.c) */
/* Participant categories of one conference: the ICLC has eight; a form page lists them all. */
#define LC_LIMIT_CONF_CATEGORIES 30
/* A category's code or a form's field id: a word or two, as in URLs, JSON and CSV headers. */
#define LC_LIMIT_CONF_FORM_ID 32
/* A label, a title or a category's name in one language: a line or two. */
#define LC_LIMIT_CONF_LABEL_BYTES 400
/* Sections, fields of a whole form and options of one choice: a form longer asks too much. */
#define LC_LIMIT_CONF_FORM_SECTIONS 10
#define LC_LIMIT_CONF_FORM_FIELDS   60
#define LC_LIMIT_CONF_FORM_OPTIONS  50
/* One text answer: a paragraph in any script. */
#define LC_LIMIT_CONF_ANSWER_BYTES 2000
/* Places of one category: the largest ICLC had about 2,000 participants in all. */
#define LC_LIMIT_CONF_CAPACITY 100000
/* An offer from the waiting list holds its place at most 30 days. */
#define LC_LIMIT_CONF_OFFER_HOURS 720
/* Tickets, badges, check-in and letters of a conference (domain/conference/ticket.c, ...) */
/* Keys of one conference over its life: a ticket names its key in 16 bits. */
#define LC_LIMIT_CHECKIN_KEYS 65535
/* Badges in one PDF: an ICLC has up to 2,000 participants; a run of 5,000 is about 1,250 pages. */
#define LC_LIMIT_BADGES 5000
/* One text on a badge (a name, an organisation): two lines of the badge hold about 80 characters;
 * 200 bytes leave room for scripts of three bytes a character. */
#define LC_LIMIT_BADGE_FIELD_BYTES 200
/* The text of a badge's QR code: a ticket is 111 characters; past 512 bytes the code's modules
 * get too small to scan from a printed badge. */
#define LC_LIMIT_BADGE_TICKET_BYTES 512
/* Scans in one check-in upload: a device offline for a morning at a busy door scans about 1,000;
 * 1,000 scans of about 230 bytes stay well under LC_LIMIT_HTTP_BODY. */
#define LC_LIMIT_CHECKIN_BATCH 1000
/* How far ahead of the server a device's clock may be: a day covers a wrong time zone. */
#define LC_LIMIT_CHECKIN_SKEW 86400
/* Devices listed in the organisers' counts: a large venue has a few dozen doors. */
#define LC_LIMIT_CHECKIN_DEVICES 50
/* One text a letter prints (a name as in the passport, an organisation): two lines of a letter. */
#define LC_LIMIT_LETTER_FIELD_BYTES 300
/* The conference programme (domain/conference/programme*.c) */
/* Rooms of one conference: a congress centre has a few dozen. */
#define LC_LIMIT_PROG_ROOMS 100
/* Seats of one room: the largest plenary halls seat a few thousand. */
#define LC_LIMIT_PROG_ROOM_CAPACITY 100000
/* Session types or tracks of one conference: the 12 KF areas and a dozen themes, with room. */
#define LC_LIMIT_PROG_LABELS 100
/* Speakers of one conference: an ICLC has a few hundred. */
#define LC_LIMIT_PROG_SPEAKERS 2000
/* Sessions of one conference: three days of parallel tracks are a few hundred. */
#define LC_LIMIT_PROG_SESSIONS 1000
/* Speakers of one session: a plenary panel has a handful; a forum of mayors a dozen or two. */
#define LC_LIMIT_PROG_SESSION_SPEAKERS 30
/* Languages of a translatable text or of a session's interpretation: the six UN languages, twice.
 */
#define LC_LIMIT_PROG_LANGUAGES 12
/* A name, title or organisation in one language: a line. */
#define LC_LIMIT_PROG_NAME_BYTES 300
/* An abstract or a bio in one language: a page of any script. */
#define LC_LIMIT_PROG_TEXT_BYTES 8000
/* A room's floor ("Level -1"): a word or two. */
#define LC_LIMIT_PROG_FLOOR_BYTES 32
/* A session type's or track's code ("plenary", "kf-3"): as in URLs and the Frab export. */
#define LC_LIMIT_PROG_CODE 32
/* A session's length in minutes: 5 (a pitch) to 12 hours (a study visit). */
#define LC_LIMIT_PROG_MIN_DURATION 5
#define LC_LIMIT_PROG_MAX_DURATION 720
/* A version's name ("v2", "2027-05-01"): in URLs and file names. */
#define LC_LIMIT_PROG_VERSION_NAME 32
/* A release note: a paragraph. */
#define LC_LIMIT_PROG_NOTE_BYTES 2000
/* Releases of one conference: one a day for a year would be 365; the changelog shows them all. */
#define LC_LIMIT_PROG_VERSIONS 500
/* Starred sessions of one person: more than the whole programme of a large conference. */
#define LC_LIMIT_PROG_FAVOURITES 1000
/* Bytes of one export (iCalendar, Frab): a thousand sessions with abstracts in six languages. */
#define LC_LIMIT_PROG_EXPORT_BYTES (32 * 1024 * 1024)
/* An import file (CLI): the same programme as JSON or CSV. */
#define LC_LIMIT_PROG_IMPORT_BYTES (16 * 1024 * 1024)
/* Programme exports and pages (programme_cache.c): parsed released snapshots kept in
   memory, a few per conference being read (the newest and one asked by ?version=);
   a 1,000-session snapshot parses to about 10 MiB. */
#define LC_LIMIT_PROG_CACHED_SNAPSHOTS 8
/* The programme's editor and session sign-up (web/routes/programme.c, programme_signup.c) */
/* Minutes per row of the editor's day x room grid: sessions start on the half hour or between. */
#define LC_LIMIT_PROG_GRID_SLOT 30
/* Days of one conference the editor and the now-and-next view walk: a congress is a week. */
#define LC_LIMIT_PROG_DAYS 31
/* Hours an offered session place is held when the person's category says none: two days. */
#define LC_LIMIT_PROG_SIGNUP_OFFER_HOURS 48
/* Sign-ups one session's list shows the organisers: a study visit's coach or a large workshop. */
#define LC_LIMIT_PROG_SIGNUP_LIST 1000

/* The Learning City Award (domain/award/) */
/* Criteria of a round: 2024 had eight; a form of more than 20 questions asks too much. */
#define LC_LIMIT_AWARD_ROUND_CRITERIA 20
/* A criterion's identifier ("plan"): a word or two, as it appears in JSON and CSV headers. */
#define LC_LIMIT_AWARD_CRITERION_ID 32
/* A criterion's name in one language: a line. */
#define LC_LIMIT_AWARD_CRITERION_NAME 200
/* Words of one criterion's answer: the 2024 form asked for about 500; a round may set less. */
#define LC_LIMIT_AWARD_WORDS 1000
/* The general information and the learning-city plan: a page or two each. */
#define LC_LIMIT_AWARD_TEXT_BYTES 20000
/* One answer's bytes: LC_LIMIT_AWARD_WORDS words of any script. */
#define LC_LIMIT_AWARD_ANSWER_BYTES 30000
/* Evidence links of a dossier: the form asked for a handful. */
#define LC_LIMIT_AWARD_LINKS 20
/* One evidence link: a URL a person can copy. */
#define LC_LIMIT_AWARD_LINK_BYTES 500
/* A signed form (mayor's nomination, consent): a scan, as the pledge. */
#define LC_LIMIT_AWARD_FILE_BYTES LC_LIMIT_PLEDGE_BYTES
/* Nominations one National Commission may make in a round: 2017 allowed 3, 2021 and 2024 2. */
#define LC_LIMIT_AWARD_CAP 50

/* The award's jury (domain/award/jury.c) */
/* Nominations one juror reads in a round: a round has a few hundred at most (CHECK in 0015). */
#define LC_LIMIT_AWARD_JUROR_LOAD 1000
/* A jury panel's name: a line. */
#define LC_LIMIT_AWARD_PANEL_NAME 200

/* The case-study library (domain/library/, db/fts_tokenizer.c) */
/* One search token: longer than any word of any language (German compounds reach ~80 bytes,
 * a CJK run of 60 characters 180); a longer one is indexed as unicode61 made it. */
#define LC_LIMIT_FTS_TOKEN_BYTES 256
/* A case's title in one language: a line. */
#define LC_LIMIT_LIBRARY_TITLE_BYTES 400
/* One section of a case (context, activities, ...) in one language: 2,000 words of any script. */
#define LC_LIMIT_LIBRARY_TEXT_BYTES 40000
/* Words of a summary (the rule: a summary is read in a minute) and of any other section
 * (a case is a few pages, not a report); checked before submission, not when saving a draft. */
#define LC_LIMIT_LIBRARY_SUMMARY_WORDS 300
#define LC_LIMIT_LIBRARY_SECTION_WORDS 1500
/* Entries of one list of a case (partners, indicators, target groups, ...): a case with more
 * partners than this names them in its text. */
#define LC_LIMIT_LIBRARY_LIST 40
/* One short field (a partner's name, an indicator's source, a keyword list entry). */
#define LC_LIMIT_LIBRARY_FIELD_BYTES 500
/* A search query: 2,000 characters of any script (what a person pastes), and the words of it
 * that are searched: beyond 32 words a query matches nothing more useful and costs more. */
#define LC_LIMIT_LIBRARY_QUERY_BYTES 8000
#define LC_LIMIT_LIBRARY_QUERY_TERMS 32
/* Values selected in one facet (OR): more than the 17 SDGs is not a selection. */
#define LC_LIMIT_LIBRARY_FACET_VALUES 20
/* The library's files (domain/library/library_files.c): an image for the web or a brochure
 * (a photograph at full resolution is larger: ask for less), and the files of one case (a few
 * pictures and a report; more belong on the city's own site). */
#define LC_LIMIT_LIBRARY_FILE_BYTES (5u << 20)
#define LC_LIMIT_LIBRARY_FILES      20

/* The library's feeds, sitemap and OAI-PMH repository (domain/library/library_harvest.c,
 * formats/oai_pmh.c, web/routes/library_feeds.c) */
/* Records of one OAI-PMH list page, entries of the Atom feed, and rows of one export page: a page
 * of whole records (each a few kB of text in six languages) stays well under a megabyte. */
#define LC_LIMIT_LIBRARY_HARVEST 100
/* One OAI-PMH argument's value: an identifier, a date, a set or our resumption token, each far
 * shorter; anything longer is not one of them. */
#define LC_LIMIT_OAI_ARG_BYTES 256
/* The sitemap's case URLs: the sitemaps.org protocol's limit for one file is 50,000. */
#define LC_LIMIT_SITEMAP_URLS 50000

/* The award's ranking on the web (web/routes/award_jury.c, award_rounds.c) */
/* Bootstrap threads one request uses: the server's cores are shared with every other request. */
#define LC_LIMIT_AWARD_RANKING_THREADS 2

/* Conference people: registrations' own e-mails (domain/conference/registration_mail.c) */
/* An e-mail's attachments: a confirmation carries one .ics; a few leave room, more is a bug. */
#define LC_LIMIT_MAIL_ATTACHMENTS 4
/* One attachment's bytes: a registration's calendar is under 2 KB; the table's CHECK agrees. */
#define LC_LIMIT_MAIL_ATTACHMENT_BYTES 65536
/* The award's jury pages and decision (web/routes/award_jury.c, domain/award/award_decision.c) */
/* One mark as typed in the scoring form ("7.5", "10"): longer is not a mark on any scale. */
#define LC_LIMIT_JURY_MARK_BYTES 16
/* The library's import and export (domain/library/library_io.c, cli/cmd_library.c) */
/* An import file: 20,000 cases with two languages of full text are about 300 MB, and the
 * parsed tree takes a few times the file in memory; 1 GiB keeps that well inside a server's. */
#define LC_LIMIT_LIBRARY_IMPORT_BYTES (1024u << 20)
/* Cases in one import: five times the largest library we plan for (bench/library: 20,000). */
#define LC_LIMIT_LIBRARY_IMPORT_CASES 100000
/* Versions of one case in an import: a case revised every week for twenty years. */
#define LC_LIMIT_LIBRARY_IMPORT_VERSIONS 1000
/* The import's SQLite page cache in KiB (a string, for the PRAGMA): the whole library is one
 * transaction, and 512 MiB keeps its pages in memory instead of spilling them to the WAL. */
#define LC_LIMIT_LIBRARY_IMPORT_CACHE_KIB "524288"
/* An export in memory before it is written: the import's limit, plus indentation. */
#define LC_LIMIT_LIBRARY_EXPORT_BYTES (1536u << 20)

#endif
