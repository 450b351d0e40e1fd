-- +goose Up
-- Offline sync (SQLite). Keep in step with postgres/00007_sync.sql.

-- The answer given to each operation a phone sent, under the operation's
-- own UUIDv7, written in the same transaction as the record it made: a
-- repeat is answered from here and stores nothing twice.
CREATE TABLE sync_ops (
    op_id        TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'conflict')),
    record_id    TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    received_at  DATETIME NOT NULL
);

-- A worker's own recent clients, for the phone's offline cache.
CREATE INDEX clients_created_by ON clients (created_by, created_at);

-- +goose Down
DROP INDEX clients_created_by;
DROP TABLE sync_ops;
