-- +goose Up
-- Field work (PostgreSQL). Keep in step with sqlite/00002_field_work.sql.

-- Identifying fields, encrypted outside the database's reach (AES-256-GCM,
-- key id in every value), and keyed blind indexes for exact lookups.
ALTER TABLE clients ADD COLUMN legal_name_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phone_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phone_bidx TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN id_number_enc TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN id_number_bidx TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN uic_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN import_key TEXT;
CREATE INDEX clients_phone_bidx ON clients (phone_bidx);
CREATE INDEX clients_id_number_bidx ON clients (id_number_bidx);
CREATE INDEX clients_uic_hash ON clients (uic_hash);
CREATE UNIQUE INDEX clients_import_key ON clients (import_key);

CREATE TABLE client_status_history (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    org_path    TEXT COLLATE "C" NOT NULL,
    status      TEXT NOT NULL,
    changed_on  DATE NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    changed_by  TEXT NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX client_status_history_client ON client_status_history (client_id, changed_on);

CREATE TABLE consents (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES clients (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    purpose       TEXT NOT NULL,
    given_on      DATE NOT NULL,
    recorded_by   TEXT NOT NULL DEFAULT '',
    recorded_at   TIMESTAMPTZ NOT NULL,
    withdrawn_on  DATE,
    withdrawn_by  TEXT NOT NULL DEFAULT '',
    withdrawn_at  TIMESTAMPTZ
);
CREATE INDEX consents_client ON consents (client_id, purpose);

CREATE TABLE memberships (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    org_path    TEXT COLLATE "C" NOT NULL,
    role        TEXT NOT NULL,
    joined_on   DATE NOT NULL,
    left_on     DATE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX memberships_client ON memberships (client_id);
CREATE INDEX memberships_org_path ON memberships (org_path);

-- Hotspots and at-risk establishments, and the visits made to them.
CREATE TABLE places (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES orgs (id),
    org_path           TEXT COLLATE "C" NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('hotspot', 'establishment')),
    type               TEXT NOT NULL,
    name               TEXT NOT NULL,
    name_search        TEXT NOT NULL,
    address            TEXT NOT NULL DEFAULT '',
    admin_unit_code    TEXT REFERENCES admin_units (code),
    lat                DOUBLE PRECISION,
    lng                DOUBLE PRECISION,
    estimated_workers  INTEGER NOT NULL DEFAULT 0,
    notes              TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    voided_at          TIMESTAMPTZ,
    voided_by          TEXT NOT NULL DEFAULT '',
    void_reason        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX places_org_path ON places (org_path, name_search);

CREATE TABLE place_visits (
    id           TEXT PRIMARY KEY,
    place_id     TEXT NOT NULL REFERENCES places (id),
    org_path     TEXT COLLATE "C" NOT NULL,
    worker_id    TEXT NOT NULL REFERENCES users (id),
    visited_on   DATE NOT NULL,
    purposes     TEXT NOT NULL DEFAULT '',
    commodities  TEXT NOT NULL DEFAULT '{}',
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    voided_at    TIMESTAMPTZ,
    voided_by    TEXT NOT NULL DEFAULT '',
    void_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX place_visits_place ON place_visits (place_id, visited_on);

-- Contacts gain a place and topics; imports get a key so a file imported
-- twice is stored once.
ALTER TABLE contacts ADD COLUMN place_id TEXT REFERENCES places (id);
ALTER TABLE contacts ADD COLUMN topics TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX contacts_import_key ON contacts (import_key);
-- A worker's contacts, newest first, with the count: the index holds every
-- column those queries test (the scope's org_path, voided_at) and the whole
-- ORDER BY (at DESC, id DESC), so neither the count nor a page reads rows
-- it does not return. It replaces the narrower (worker_id, at).
DROP INDEX contacts_worker;
CREATE INDEX contacts_worker ON contacts (worker_id, at, id, org_path, voided_at);

-- Group activities with named attendance and anonymous head counts.
CREATE TABLE activities (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    kind          TEXT NOT NULL,
    held_on       DATE NOT NULL,
    title         TEXT NOT NULL,
    topics        TEXT NOT NULL DEFAULT '',
    place         TEXT NOT NULL DEFAULT '',
    anon_female   INTEGER NOT NULL DEFAULT 0,
    anon_male     INTEGER NOT NULL DEFAULT 0,
    anon_other    INTEGER NOT NULL DEFAULT 0,
    notes         TEXT NOT NULL DEFAULT '',
    import_key    TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    voided_at     TIMESTAMPTZ,
    voided_by     TEXT NOT NULL DEFAULT '',
    void_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activities_org_path ON activities (org_path, held_on);
CREATE UNIQUE INDEX activities_import_key ON activities (import_key);

CREATE TABLE activity_attendance (
    activity_id  TEXT NOT NULL REFERENCES activities (id),
    client_id    TEXT NOT NULL REFERENCES clients (id),
    PRIMARY KEY (activity_id, client_id)
);
CREATE INDEX activity_attendance_client ON activity_attendance (client_id);

-- +goose Down
DROP TABLE activity_attendance;
DROP TABLE activities;
DROP INDEX contacts_worker;
CREATE INDEX contacts_worker ON contacts (worker_id, at);
DROP INDEX contacts_import_key;
ALTER TABLE contacts DROP COLUMN import_key;
ALTER TABLE contacts DROP COLUMN topics;
ALTER TABLE contacts DROP COLUMN place_id;
DROP TABLE place_visits;
DROP TABLE places;
DROP TABLE memberships;
DROP TABLE consents;
DROP TABLE client_status_history;
DROP INDEX clients_import_key;
DROP INDEX clients_uic_hash;
DROP INDEX clients_id_number_bidx;
DROP INDEX clients_phone_bidx;
ALTER TABLE clients DROP COLUMN import_key;
ALTER TABLE clients DROP COLUMN uic_hash;
ALTER TABLE clients DROP COLUMN id_number_bidx;
ALTER TABLE clients DROP COLUMN id_number_enc;
ALTER TABLE clients DROP COLUMN phone_bidx;
ALTER TABLE clients DROP COLUMN phone_enc;
ALTER TABLE clients DROP COLUMN legal_name_enc;
