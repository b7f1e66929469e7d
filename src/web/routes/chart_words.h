/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The words a chart draws (web/chart.h), in the request's language. */
#ifndef LC_CHART_WORDS_H
#define LC_CHART_WORDS_H

#include <stdbool.h>

struct lc_req;
struct lc_chart_words;

/* Fills w from the catalogue's chart_* messages in req's language (borrowed strings). */
void lc_chart_words_of(const struct lc_req *req, struct lc_chart_words *w);
/* True when req's page reads right to left. */
bool lc_chart_rtl(const struct lc_req *req);

#endif
