-- +goose Up
-- Cầu Nối foundation schema (SQLite). Keep in step with postgres/00001_foundation.sql.

CREATE TABLE admin_units (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_search     TEXT NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('province', 'commune')),
    parent_code     TEXT REFERENCES admin_units (code),
    valid_from      DATE NOT NULL,
    valid_to        DATE,
    successor_code  TEXT REFERENCES admin_units (code)
);
CREATE INDEX admin_units_parent ON admin_units (parent_code);

CREATE TABLE orgs (
    id               TEXT PRIMARY KEY,
    parent_id        TEXT REFERENCES orgs (id),
    kind             TEXT NOT NULL CHECK (kind IN ('national', 'province', 'ngo', 'group')),
    group_kind       TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL,
    name_search      TEXT NOT NULL,
    admin_unit_code  TEXT REFERENCES admin_units (code),
    models           TEXT NOT NULL DEFAULT '',
    founded          DATE,
    path             TEXT NOT NULL UNIQUE,
    depth            INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    voided_at        DATETIME,
    voided_by        TEXT NOT NULL DEFAULT '',
    void_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    lang           TEXT NOT NULL DEFAULT 'vi',
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    session_epoch  INTEGER NOT NULL DEFAULT 1,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    last_login_at  DATETIME
);

CREATE TABLE grants (
    user_id     TEXT NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (user_id, role, org_id)
);
CREATE INDEX grants_org ON grants (org_id);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    secret_hash   TEXT NOT NULL UNIQUE,
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    last_used_at  DATETIME,
    revoked_at    DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    token   TEXT PRIMARY KEY,
    data    BLOB NOT NULL,
    expiry  DATETIME NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          DATETIME NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    org_path    TEXT NOT NULL DEFAULT '',
    before      TEXT,
    after       TEXT,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_org_path ON audit_log (org_path);

CREATE TABLE clients (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs (id),
    org_path         TEXT NOT NULL,
    nickname         TEXT NOT NULL,
    nickname_search  TEXT NOT NULL,
    birth_year       INTEGER NOT NULL DEFAULT 0,
    sex              TEXT NOT NULL,
    populations      TEXT NOT NULL,
    uic              TEXT NOT NULL DEFAULT '',
    residence        TEXT NOT NULL,
    status           TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    voided_at        DATETIME,
    voided_by        TEXT NOT NULL DEFAULT '',
    void_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX clients_org_path ON clients (org_path, nickname_search);
CREATE INDEX clients_uic ON clients (uic);

CREATE TABLE contacts (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs (id),
    org_path         TEXT NOT NULL,
    worker_id        TEXT NOT NULL REFERENCES users (id),
    client_id        TEXT REFERENCES clients (id),
    anon_sex         TEXT NOT NULL DEFAULT '',
    anon_population  TEXT NOT NULL DEFAULT '',
    at               DATETIME NOT NULL,
    channel          TEXT NOT NULL,
    place            TEXT NOT NULL DEFAULT '',
    commodities      TEXT NOT NULL DEFAULT '{}',
    notes            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    voided_at        DATETIME,
    voided_by        TEXT NOT NULL DEFAULT '',
    void_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contacts_org_path_at ON contacts (org_path, at);
CREATE INDEX contacts_client ON contacts (client_id);
CREATE INDEX contacts_worker ON contacts (worker_id, at);

-- +goose Down
DROP TABLE contacts;
DROP TABLE clients;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE grants;
DROP TABLE users;
DROP TABLE orgs;
DROP TABLE admin_units;
