/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The learncity binary: everything happens in src/cli/. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return lc_cli_main(argc, argv);
}
