-- Conference registrations' own e-mails carry files: a confirmation its
-- registration as an iCalendar (.ics) attachment. An attachment belongs to
-- one outbox message and goes out with it; the outbox never deletes.
CREATE TABLE outbox_attachments (
	id INTEGER PRIMARY KEY,
	outbox_id INTEGER NOT NULL REFERENCES outbox (id),
	filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100
		AND filename NOT GLOB '*[^A-Za-z0-9._-]*'),
	content_type TEXT NOT NULL CHECK (content_type IN ('text/calendar')),
	data BLOB NOT NULL CHECK (length(data) BETWEEN 1 AND 65536)
) STRICT;
CREATE INDEX outbox_attachments_message ON outbox_attachments (outbox_id);

-- When the reminder before the conference went to a registration's person:
-- one reminder each, however often the organisers send the round.
ALTER TABLE conference_registrations ADD COLUMN reminded_at INTEGER;
