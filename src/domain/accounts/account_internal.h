/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What account.c (writing accounts) and account_read.c (reading them) share
 * and no other module includes.
 */
#ifndef LC_ACCOUNT_INTERNAL_H
#define LC_ACCOUNT_INTERNAL_H

#include "domain/accounts/account.h"

/* A Unix time column as ISO 8601 UTC text, in SQL. */
#define LC_ACCOUNT_ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

/* The status named s ("invited", "active", "disabled"): 0, or LC_EINVAL. */
int lc_account_status_parse(const char *s, enum lc_account_status *out);

#endif
