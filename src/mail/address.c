/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* E-mail addresses (address.h). */
#include "mail/address.h"

#include <stdbool.h>
#include <string.h>

#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

static bool local_char_ok(unsigned char c)
{
	if (c >= 0x80)
		return true; /* UTF-8 local parts (RFC 6531); validity is checked as a whole */
	if (c <= 0x20 || c == 0x7f)
		return false;
	return !strchr("\"(),:;<>@[\\]", c);
}

static bool domain_ok(const char *d, size_t n)
{
	size_t labels = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && d[i] != '.') {
			unsigned char c = (unsigned char)d[i];
			if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			      c == '-'))
				return false;
			continue;
		}
		size_t len = i - start;
		if (len == 0 || len > 63 || d[start] == '-' || d[i - 1] == '-')
			return false;
		labels++;
		start = i + 1;
	}
	return labels >= 2;
}

int lc_address_normalise(const char *in, size_t len, char *out, size_t n)
{
	if (n)
		out[0] = '\0';
	if (!in)
		return LC_EINVAL;
	while (len && (in[0] == ' ' || in[0] == '\t'))
		in++, len--;
	while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len < 3 || len > LC_LIMIT_EMAIL_BYTES || len + 1 > n || !lc_utf8_valid(in, len))
		return LC_EINVAL;
	char tmp[LC_LIMIT_EMAIL_BYTES + 1];
	size_t at = len;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '@') {
			if (at != len)
				return LC_EINVAL;
			at = i;
		}
		tmp[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	tmp[len] = '\0';
	if (at == len || at == 0 || at > 64 || at + 1 >= len)
		return LC_EINVAL;
	if (tmp[0] == '.' || tmp[at - 1] == '.')
		return LC_EINVAL;
	for (size_t i = 0; i < at; i++)
		if (!local_char_ok((unsigned char)tmp[i]) || (tmp[i] == '.' && tmp[i + 1] == '.'))
			return LC_EINVAL;
	if (!domain_ok(tmp + at + 1, len - at - 1))
		return LC_EINVAL;
	memcpy(out, tmp, len + 1);
	return 0;
}
