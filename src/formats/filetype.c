/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * File types from content (filetype.h). Every read is bounds-checked
 * against n: the input is an upload from anyone.
 */
#include "formats/filetype.h"

#include <stdint.h>
#include <string.h>

#include "base/error.h"

static int refuse(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return LC_EINVAL;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int sniff_pdf(const unsigned char *d, size_t n, const char **why)
{
	if (n < 16)
		return refuse(why, "err_filetype_too_short_pdf_document");
	size_t from = n > 1024 ? n - 1024 : 0;
	for (size_t i = n - 5 + 1; i-- > from;)
		if (memcmp(d + i, "%%EOF", 5) == 0)
			return 0;
	return refuse(why, "err_filetype_starts_pdf_document_has_no_end_of_file_m");
}

static int sniff_png(const unsigned char *d, size_t n, const char **why)
{
	/* Signature (8), then chunks: length (4), type (4), data, CRC (4). */
	if (n < 8 + 25 + 12)
		return refuse(why, "err_filetype_too_short_png_image");
	if (be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return refuse(why, "err_filetype_starts_png_image_header_chunk_malformed");
	if (be32(d + 16) == 0 || be32(d + 20) == 0)
		return refuse(why, "err_filetype_png_image_without_width_or_height");
	size_t off = 8;
	while (off + 12 <= n) {
		uint32_t len = be32(d + off);
		if (len > 0x7fffffffu || (size_t)len > n - off - 12)
			return refuse(why, "err_filetype_png_image_chunk_running_past_end");
		for (int k = 4; k < 8; k++) {
			unsigned char c = d[off + (size_t)k];
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
				return refuse(why, "err_filetype_png_image_malformed_chunk");
		}
		if (memcmp(d + off + 4, "IEND", 4) == 0)
			return len == 0 ? 0 : refuse(why, "err_filetype_png_image_malformed_end");
		off += 12 + (size_t)len;
	}
	return refuse(why, "err_filetype_png_image_that_cut_short_no_end_chunk");
}

static int sniff_jpeg(const unsigned char *d, size_t n, const char **why)
{
	while (n > 4 && d[n - 1] == 0)
		n--;
	if (n < 4 || d[n - 2] != 0xFF || d[n - 1] != 0xD9)
		return refuse(why, "err_filetype_starts_jpeg_image_cut_short_no_end_marke");
	return 0;
}

int lc_filetype_sniff(const unsigned char *data, size_t n, const char **type, const char **why)
{
	static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (why)
		*why = NULL;
	*type = NULL;
	int err;
	if (!data || n == 0)
		return refuse(why, "err_filetype_empty");
	if (n >= 8 && (memcmp(data, "%PDF-1.", 7) == 0 || memcmp(data, "%PDF-2.", 7) == 0)) {
		err = sniff_pdf(data, n, why);
		if (!err)
			*type = "application/pdf";
		return err;
	}
	if (n >= 8 && memcmp(data, png_sig, 8) == 0) {
		err = sniff_png(data, n, why);
		if (!err)
			*type = "image/png";
		return err;
	}
	if (n >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
		err = sniff_jpeg(data, n, why);
		if (!err)
			*type = "image/jpeg";
		return err;
	}
	return refuse(why, "err_filetype_not_pdf_document_png_image_or_jpeg_image");
}

const char *lc_filetype_ext(const char *type)
{
	if (!type)
		return "bin";
	if (strcmp(type, "application/pdf") == 0)
		return "pdf";
	if (strcmp(type, "image/png") == 0)
		return "png";
	if (strcmp(type, "image/jpeg") == 0)
		return "jpg";
	return "bin";
}
