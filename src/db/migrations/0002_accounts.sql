-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0002: accounts, scoped role grants, sessions, personal access
-- tokens, one-time tokens (invitations, password resets), login throttling,
-- the e-mail outbox, settings and the append-only audit trail.
--
-- Times are INTEGER Unix seconds (UTC): expiry checks compare numbers and
-- the JSON views format them as ISO 8601. Secrets are never stored in clear:
-- sessions, tokens and one-time tokens keep the SHA-256 of their random
-- value, passwords an argon2id hash. The only exception is an outbox
-- message's secret (the link token), kept until the message is delivered and
-- erased then (see domain/outbox.h).

CREATE TABLE accounts (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	-- The normalised (trimmed, lower-case) address: uniqueness and lookups.
	email_norm TEXT NOT NULL UNIQUE CHECK (email_norm = lower(email_norm)),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	lang TEXT NOT NULL DEFAULT 'en' CHECK (length(lang) BETWEEN 2 AND 7),
	status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
	password_hash TEXT CHECK (password_hash IS NULL OR password_hash GLOB '$argon2id$*'),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (status <> 'active' OR password_hash IS NOT NULL)
) STRICT;

-- One grant of a role, with the scope its kind needs and no other.
CREATE TABLE role_grants (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'natcom', 'jury', 'participant')),
	city_id INTEGER REFERENCES cities (id),
	country TEXT REFERENCES countries (alpha2),
	year INTEGER REFERENCES award_rounds (year),
	created_at INTEGER NOT NULL,
	CHECK ((role = 'coordinator') = (city_id IS NOT NULL)),
	CHECK ((role = 'natcom') = (country IS NOT NULL)),
	CHECK ((role = 'jury') = (year IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX role_grants_unique
	ON role_grants (account_id, role, coalesce(city_id, 0), coalesce(country, ''), coalesce(year, 0));
CREATE INDEX role_grants_city ON role_grants (city_id) WHERE city_id IS NOT NULL;

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	id_hash BLOB NOT NULL UNIQUE CHECK (length(id_hash) = 32),
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	idle_expires_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	addr TEXT,
	user_agent TEXT CHECK (user_agent IS NULL OR length(user_agent) <= 200)
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE access_tokens (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	prefix TEXT NOT NULL CHECK (length(prefix) = 8),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at INTEGER
) STRICT;
CREATE INDEX access_tokens_account ON access_tokens (account_id);

CREATE TABLE onetime_tokens (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
	token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
) STRICT;
CREATE INDEX onetime_tokens_account ON onetime_tokens (account_id);

-- Failed logins: kind 'account' (key: normalised e-mail) or 'addr' (key: client address).
CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('account', 'addr')),
	key TEXT NOT NULL,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures (kind, key, at);

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	to_addr TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	-- Replaces the placeholder at delivery; NULL once sent or failed for good.
	secret TEXT,
	state TEXT NOT NULL DEFAULT 'queued'
		CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	created_at INTEGER NOT NULL,
	next_attempt_at INTEGER,
	claimed_at INTEGER,
	sent_at INTEGER,
	CHECK (state NOT IN ('sent', 'failed') OR secret IS NULL)
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE settings (
	key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64 AND key NOT GLOB '*[^a-z0-9._-]*'),
	value TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	-- The actor: an account (id and e-mail at the time), or NULL with
	-- actor_email 'system' (command line) or 'anonymous' (a token holder).
	actor_id INTEGER,
	actor_email TEXT NOT NULL,
	action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
	object_type TEXT NOT NULL,
	object_id TEXT,
	before TEXT CHECK (before IS NULL OR json_valid(before)),
	after TEXT CHECK (after IS NULL OR json_valid(after)),
	reason TEXT,
	addr TEXT
) STRICT;
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_actor ON audit (actor_id, at);
CREATE INDEX audit_object ON audit (object_type, object_id, at);

-- Nobody edits or deletes the audit trail, not even through SQL.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
