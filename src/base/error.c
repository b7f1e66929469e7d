/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Phrases for the error codes of error.h. */
#include "base/error.h"

const char *lc_strerror(int err)
{
	switch (err) {
	case LC_OK: return "success";
	case LC_EINVAL: return "invalid input";
	case LC_ENOTFOUND: return "not found";
	case LC_ELIMIT: return "limit exceeded";
	case LC_EIO: return "input/output error";
	case LC_EDB: return "database error";
	case LC_EPERM: return "permission denied";
	case LC_ECONFLICT: return "conflict";
	case LC_EINTERNAL: return "internal error";
	case LC_EAUTH: return "authentication required";
	case LC_EBUSY: return "busy, try again later";
	default: return "unknown error";
	}
}
