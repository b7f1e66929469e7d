-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0018: signed tickets and their keys (domain/conference/ticket.c).
--
-- A conference signs its participants' tickets with an Ed25519 key of its
-- own. A key is known by a small number, its key id, that every ticket
-- carries, so a key can be rotated while the tickets it signed stay
-- verifiable: a retired key keeps its public half and loses its secret.
-- A registration (registrations.id, held here as a plain integer) has at
-- most one current ticket; a change of name or category or a cancellation
-- revokes it, and the revoked serials are the conference's revocation list.

CREATE TABLE checkin_keys (
	id INTEGER PRIMARY KEY,
	conference_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- The number a ticket names its key by, 1, 2, ... per conference.
	key_id INTEGER NOT NULL CHECK (key_id BETWEEN 1 AND 65535),
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	-- The signing seed of the active key; erased (NULL) when the key retires.
	secret_seed BLOB CHECK (secret_seed IS NULL OR length(secret_seed) = 32),
	active INTEGER NOT NULL CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	retired_at INTEGER,
	CHECK (active = 1 OR (secret_seed IS NULL AND retired_at IS NOT NULL)),
	CHECK (active = 0 OR secret_seed IS NOT NULL),
	UNIQUE (conference_id, key_id)
) STRICT;
-- One signing key per conference at a time.
CREATE UNIQUE INDEX checkin_keys_active ON checkin_keys (conference_id) WHERE active = 1;

CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	conference_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- registrations (id): the foreign key comes with registration.
	registration_id INTEGER NOT NULL CHECK (registration_id >= 1),
	-- What the QR code carries, 1, 2, ... per conference.
	serial INTEGER NOT NULL CHECK (serial >= 1),
	key_id INTEGER NOT NULL,
	-- The Ed25519 signature, kept so that the ticket can be printed again
	-- after its key has retired.
	signature BLOB NOT NULL CHECK (length(signature) = 64),
	issued_at INTEGER NOT NULL,
	revoked_at INTEGER,
	revoked_why TEXT CHECK (revoked_why IN ('changed', 'cancelled')),
	CHECK ((revoked_at IS NULL) = (revoked_why IS NULL)),
	UNIQUE (conference_id, serial),
	FOREIGN KEY (conference_id, key_id) REFERENCES checkin_keys (conference_id, key_id)
) STRICT;
-- A registration's current ticket is unique.
CREATE UNIQUE INDEX tickets_current ON tickets (conference_id, registration_id)
	WHERE revoked_at IS NULL;
-- The revocation list of a conference.
CREATE INDEX tickets_revoked ON tickets (conference_id, revoked_at) WHERE revoked_at IS NOT NULL;
