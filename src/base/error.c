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

const char *lc_error_key(int err)
{
	switch (err) {
	case LC_OK: return "err_code_ok";
	case LC_EINVAL: return "err_code_invalid";
	case LC_ENOTFOUND: return "err_code_not_found";
	case LC_ELIMIT: return "err_code_limit";
	case LC_EIO: return "err_code_io";
	case LC_EDB: return "err_code_db";
	case LC_EPERM: return "err_code_perm";
	case LC_ECONFLICT: return "err_code_conflict";
	case LC_EINTERNAL: return "err_code_internal";
	case LC_EAUTH: return "err_code_auth";
	case LC_EBUSY: return "err_code_busy";
	default: return "err_code_unknown";
	}
}
