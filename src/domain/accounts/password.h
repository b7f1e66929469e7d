/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Passwords: the strength policy, argon2id hashing (libsodium
 * crypto_pwhash_str, t = 3, 64 MiB) and verification with rehash detection.
 * At most LC_LIMIT_PASSWORD_HASHES hashes or verifications run at once in the
 * process (a counting semaphore): the others wait, so a login flood costs
 * time, not memory. It owns no table and never logs a password.
 *
 * The common-password list is data/common-passwords.txt (from Debian's
 * john-data, see scripts/gen-common-passwords.sh), embedded in the binary
 * and compared case-insensitively.
 */
#ifndef LC_PASSWORD_H
#define LC_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* Room for an encoded hash ("$argon2id$v=19$m=65536,t=3,p=1$...") with its NUL. */
#define LC_PASSWORD_HASH_BYTES 128

/*
 * Checks the policy: valid UTF-8, at least LC_LIMIT_PASSWORD_MIN characters,
 * at most LC_LIMIT_PASSWORD_BYTES bytes, not in the common-password list (any
 * case), not the account's own e-mail address (email may be NULL).
 * 0, or LC_EINVAL with *why set to the catalogue key of the reason
 * ("err_password_short": "is shorter than 10 characters", ...), for a
 * problem about the password field; why may be NULL.
 */
int lc_password_check(const char *pw, const char *email, const char **why);

/* True when pw (any case) is in the embedded common-password list. */
bool lc_password_is_common(const char *pw);

/*
 * Hashes pw into out (NUL-terminated encoded string). Does not check the
 * policy. Waits for a hashing slot. 0, LC_ELIMIT (pw longer than
 * LC_LIMIT_PASSWORD_BYTES) or LC_EINTERNAL (out of memory in libsodium).
 */
int lc_password_hash(const char *pw, char out[LC_PASSWORD_HASH_BYTES]);

/*
 * Verifies pw against an encoded hash. 0 when it matches, with
 * *needs_rehash set when the hash was made with other parameters than the
 * current ones (the caller then stores lc_password_hash(pw)); LC_EAUTH when
 * it does not match or the hash is malformed. Waits for a hashing slot.
 */
int lc_password_verify(const char *hash, const char *pw, bool *needs_rehash);

/*
 * Spends the time of one verification without a real hash: called for an
 * unknown e-mail address so that a login's duration does not tell whether
 * the account exists.
 */
void lc_password_dummy_verify(const char *pw);

/*
 * Test hook: light = true makes hashing use libsodium's interactive minimum
 * (ops 1, 8 KiB) so tests run fast; false restores t = 3, 64 MiB. Nothing in
 * the product calls it. Hashes made in light mode "need rehash" in normal
 * mode, which is how the rehash test works.
 */
void lc_password_set_light(bool light);

#endif
