/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the award's routes (award_rounds.c) lend the pipeline: a nomination's states for people. */
#ifndef LC_AWARD_ROUNDS_H
#define LC_AWARD_ROUNDS_H

#include "web/routes/label.h"

extern const struct lc_label lc_nomination_states[];

#endif
