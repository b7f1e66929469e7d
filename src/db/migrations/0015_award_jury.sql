-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0015: the Learning City Award's jury (domain/award/jury.c):
-- its panels, its jurors, which nominations each juror reads, and the
-- conflicts of interest that keep a juror away from a nomination.
--
-- A juror is an account with the role jury:YEAR (role_grants); its row
-- here says its panel, the country it is from (for the conflicts the
-- system suggests) and how many nominations it takes at most.

CREATE TABLE award_panels (
	id INTEGER PRIMARY KEY,
	round_year INTEGER NOT NULL REFERENCES award_round_settings (year),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	-- The UNESCO region the panel reads (the default grouping), or NULL.
	region TEXT REFERENCES regions (code),
	UNIQUE (round_year, name)
) STRICT;

CREATE TABLE award_jurors (
	round_year INTEGER NOT NULL REFERENCES award_round_settings (year),
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	panel_id INTEGER REFERENCES award_panels (id),
	country TEXT REFERENCES countries (alpha2),
	-- The most nominations this juror is assigned.
	max_load INTEGER NOT NULL CHECK (max_load BETWEEN 1 AND 1000),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (round_year, account_id)
) STRICT;

CREATE TABLE award_assignments (
	item_id INTEGER NOT NULL REFERENCES award_nominations (item_id),
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	assigned_by TEXT NOT NULL,
	assigned_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, account_id)
) STRICT;
CREATE INDEX award_assignments_juror ON award_assignments (account_id);

-- A conflict of interest of one juror on one nomination. state:
--   suggested  the system saw it (same country, same e-mail domain); the
--              secretariat confirms or dismisses it
--   declared   the juror said it; the juror may withdraw it until confirmed
--   confirmed  the secretariat set or confirmed it; the juror cannot remove it
--   dismissed  the secretariat found no conflict
--   withdrawn  the juror took back an unconfirmed declaration
-- Every state but dismissed and withdrawn keeps the juror away from the
-- nomination. Changes are audit rows ("award.conflict").
CREATE TABLE award_conflicts (
	item_id INTEGER NOT NULL REFERENCES award_nominations (item_id),
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	type TEXT NOT NULL CHECK (type IN ('own_country', 'nominating_body', 'employer_adviser',
		'personal', 'other')),
	state TEXT NOT NULL CHECK (state IN ('suggested', 'declared', 'confirmed', 'dismissed',
		'withdrawn')),
	reason TEXT CHECK (reason IS NULL OR length(reason) <= 4000),
	updated_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, account_id)
) STRICT;
CREATE INDEX award_conflicts_juror ON award_conflicts (account_id, state);

-- Mail domains anyone can have an address at: an address there says
-- nothing about an employer, so no conflict is ever suggested from it.
CREATE TABLE public_mail_domains (
	domain TEXT PRIMARY KEY CHECK (domain = lower(domain) AND length(domain) BETWEEN 3 AND 253)
) STRICT, WITHOUT ROWID;

INSERT INTO public_mail_domains (domain) VALUES
	('gmail.com'), ('googlemail.com'), ('outlook.com'), ('hotmail.com'), ('hotmail.fr'),
	('live.com'), ('live.fr'), ('msn.com'), ('yahoo.com'), ('yahoo.fr'), ('yahoo.co.uk'),
	('ymail.com'), ('aol.com'), ('icloud.com'), ('me.com'), ('mac.com'), ('proton.me'),
	('protonmail.com'), ('gmx.de'), ('gmx.net'), ('gmx.com'), ('web.de'), ('t-online.de'),
	('orange.fr'), ('wanadoo.fr'), ('free.fr'), ('laposte.net'), ('sfr.fr'), ('libero.it'),
	('mail.ru'), ('yandex.ru'), ('yandex.com'), ('qq.com'), ('163.com'), ('126.com'),
	('sina.com'), ('naver.com'), ('daum.net'), ('hanmail.net'), ('rediffmail.com'),
	('zoho.com'), ('fastmail.com'), ('tutanota.com'), ('mail.com'), ('uol.com.br'),
	('bol.com.br'), ('terra.com.br');

-- Scoring. Who sees the other jurors' scores: never, after the juror has
-- submitted its own (the default), or always; blind: jurors do not see the
-- city's name and country.
ALTER TABLE award_round_settings ADD COLUMN score_visibility TEXT NOT NULL DEFAULT 'after_own'
	CHECK (score_visibility IN ('never', 'after_own', 'always'));
ALTER TABLE award_round_settings ADD COLUMN blind INTEGER NOT NULL DEFAULT 0 CHECK (blind IN (0, 1));

-- A juror's sheet for one nomination: a draft it may change, then submitted
-- (final). Its scores, one per criterion of the round; NULL: not scored.
CREATE TABLE award_score_sheets (
	item_id INTEGER NOT NULL REFERENCES award_nominations (item_id),
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
	comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 20000),
	updated_at INTEGER NOT NULL,
	submitted_at INTEGER,
	PRIMARY KEY (item_id, account_id),
	CHECK ((state = 'submitted') = (submitted_at IS NOT NULL))
) STRICT;

CREATE TABLE award_scores (
	item_id INTEGER NOT NULL,
	account_id INTEGER NOT NULL,
	criterion TEXT NOT NULL CHECK (length(criterion) BETWEEN 1 AND 32),
	score REAL CHECK (score IS NULL OR score >= 0),
	PRIMARY KEY (item_id, account_id, criterion),
	FOREIGN KEY (item_id, account_id) REFERENCES award_score_sheets (item_id, account_id)
) STRICT;
