/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference programme as a file, for `learncity conference programme
 * export|import`: JSON (the programme document of domain/conference/
 * programme.h: rooms, types, tracks, speakers, sessions) and CSV (the
 * sessions only, one row each, with their rooms, chairs and speakers by id).
 * The parsers check the file's shape only (a list of objects, known members
 * and columns, numbers where ids go) and put every problem, with its row and
 * field, into a struct lc_diag; what the values mean is the domain's to say
 * (domain/conference/programme_io.h). Each element of the parsed document
 * carries "row": its position in its list (JSON, 1-based) or its line (CSV).
 *
 * CSV columns (a header row; any order; unknown columns are refused):
 *   id, start, duration, room, type, track, languages, chair, speakers,
 *   cancelled, title.<lang>, abstract.<lang>
 * languages and speakers are separated by spaces; room, chair, speakers are
 * ids (empty: none); cancelled is yes/no (or true/false, 1/0, empty for no).
 */
#ifndef LC_PROGRAMME_FILE_H
#define LC_PROGRAMME_FILE_H

#include <stddef.h>

#include <jansson.h>

struct lc_buf;
struct lc_diag;

/*
 * Parses n bytes of JSON into *doc (caller owns it). 0; LC_EINVAL with
 * every problem in d (nothing in *doc); LC_ELIMIT for a file larger than
 * LC_LIMIT_PROG_IMPORT_BYTES.
 */
int lc_prog_file_parse_json(const char *data, size_t n, json_t **doc, struct lc_diag *d);

/* Parses n bytes of CSV into *doc ({"sessions": [...]}). As lc_prog_file_parse_json. */
int lc_prog_file_parse_csv(const char *data, size_t n, json_t **doc, struct lc_diag *d);

/*
 * Appends the sessions of doc as CSV (the columns above, title and abstract
 * in each language of langs, a JSON array of codes) to out. Cells are
 * neutralised against formula injection. 0 or LC_ELIMIT when out is full.
 */
int lc_prog_file_write_csv(const json_t *doc, const json_t *langs, struct lc_buf *out);

#endif
