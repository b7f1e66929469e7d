/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * E-mail addresses as we accept them: for an account, for the outbox, for
 * the SMTP envelope. Below the domain, so that the outbox and the accounts
 * share one rule without including each other.
 */
#ifndef LC_ADDRESS_H
#define LC_ADDRESS_H

#include <stddef.h>

/*
 * Validates an e-mail address (outside input: fuzzed) and writes its
 * normalised form (trimmed, lower case; at most LC_LIMIT_EMAIL_BYTES bytes)
 * into out (size n >= LC_LIMIT_EMAIL_BYTES + 1). Accepted: one '@', a local
 * part of printable ASCII without spaces, quotes, commas, angle brackets or
 * backslashes, not starting or ending with '.' nor holding "..", and a domain
 * of dot-separated labels [a-z0-9-] (no leading/trailing '-') with at least
 * one dot; or an IDN domain given as UTF-8 (bytes >= 0x80 allowed in labels).
 * No control characters or CR/LF anywhere (they would inject mail headers).
 * 0 or LC_EINVAL (out is then "").
 */
int lc_address_normalise(const char *in, size_t len, char *out, size_t n);

#endif
