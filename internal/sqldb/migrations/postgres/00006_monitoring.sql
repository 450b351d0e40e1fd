-- +goose Up
-- Monitoring (PostgreSQL). Keep in step with sqlite/00006_monitoring.sql.

-- User-defined indicators; the shipped catalogue lives in the program
-- (internal/indicator/catalogue.json). definition is the JSON of the
-- definition; code is never reused, even once voided.
CREATE TABLE indicators (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    org_path     TEXT COLLATE "C" NOT NULL,
    definition   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    voided_at    TIMESTAMPTZ,
    voided_by    TEXT NOT NULL DEFAULT '',
    void_reason  TEXT NOT NULL DEFAULT ''
);

-- Targets per organisation, indicator, model ('' for all) and period.
CREATE TABLE targets (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    indicator     TEXT NOT NULL,
    model         TEXT NOT NULL DEFAULT '',
    period_kind   TEXT NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    voided_at     TIMESTAMPTZ,
    voided_by     TEXT NOT NULL DEFAULT '',
    void_reason   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX targets_live ON targets (org_id, indicator, model, period_start, period_end) WHERE voided_at IS NULL;
CREATE INDEX targets_org_path ON targets (org_path, period_start);

-- The mapping of indicators to DHIS2 data elements (kind 'indicator') and
-- of organisations to DHIS2 org units (kind 'org').
CREATE TABLE dhis2_mappings (
    kind         TEXT NOT NULL CHECK (kind IN ('indicator', 'org')),
    key          TEXT NOT NULL,
    dhis2_id     TEXT NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL DEFAULT '',
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Rollups of the large sources (see internal/indicator/rollup.go). Their
-- keys are codes and ids: byte order ("C") groups them without the cost of
-- a language's collation.
CREATE TABLE monitoring_rollup (
    source       TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    org_path     TEXT COLLATE "C" NOT NULL,
    province     TEXT NOT NULL DEFAULT '',
    models       TEXT NOT NULL DEFAULT '',
    year         INTEGER NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL DEFAULT '',
    detail       TEXT COLLATE "C" NOT NULL DEFAULT '',
    outcome      TEXT COLLATE "C" NOT NULL DEFAULT '',
    client_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
    sex          TEXT COLLATE "C" NOT NULL DEFAULT '',
    birth_year   INTEGER NOT NULL DEFAULT 0,
    populations  TEXT COLLATE "C" NOT NULL DEFAULT '',
    residence    TEXT COLLATE "C" NOT NULL DEFAULT '',
    months       BIGINT NOT NULL DEFAULT 0,
    e1 INTEGER NOT NULL DEFAULT 0, e2 INTEGER NOT NULL DEFAULT 0, e3 INTEGER NOT NULL DEFAULT 0, e4 INTEGER NOT NULL DEFAULT 0,
    e5 INTEGER NOT NULL DEFAULT 0, e6 INTEGER NOT NULL DEFAULT 0, e7 INTEGER NOT NULL DEFAULT 0, e8 INTEGER NOT NULL DEFAULT 0,
    e9 INTEGER NOT NULL DEFAULT 0, e10 INTEGER NOT NULL DEFAULT 0, e11 INTEGER NOT NULL DEFAULT 0, e12 INTEGER NOT NULL DEFAULT 0,
    -- Stored in the order a count reads it: a scope's rows of a year
    -- together, grouped by the client's attributes.
    PRIMARY KEY (source, org_path, year, sex, birth_year, populations, residence, client_id, kind, detail, outcome)
);

CREATE TABLE monitoring_measures (
    source    TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    org_path  TEXT COLLATE "C" NOT NULL,
    province  TEXT NOT NULL DEFAULT '',
    models    TEXT NOT NULL DEFAULT '',
    year      INTEGER NOT NULL,
    month     INTEGER NOT NULL,
    kind      TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '',
    outcome   TEXT NOT NULL DEFAULT '',
    measure   TEXT NOT NULL,
    value     BIGINT NOT NULL,
    PRIMARY KEY (source, org_path, year, month, kind, detail, outcome, measure)
);

-- The organisations whose rollup rows of a source are stale, marked by
-- triggers made from the source declarations (sqldb.ensureRollups), and
-- the sources whose rollups exist: a source met for the first time marks
-- every organisation stale, so the next count builds its rollups.
CREATE TABLE monitoring_stale (
    source  TEXT NOT NULL,
    org_id  TEXT NOT NULL,
    PRIMARY KEY (source, org_id)
);
CREATE TABLE monitoring_sources (
    source  TEXT PRIMARY KEY
);
-- The organisations whose clients also have records of a source in
-- another organisation: where there are none, distinct clients of
-- organisations add up to those of the organisations above them.
CREATE TABLE monitoring_spans (
    source    TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    org_path  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (source, org_id)
);
-- The province and models each organisation's rollup rows were built
-- with: when the organisation tree or the administrative units say
-- otherwise (a merger, a new model), its rows are rebuilt.
CREATE TABLE monitoring_org_keys (
    org_id    TEXT PRIMARY KEY,
    province  TEXT NOT NULL,
    models    TEXT NOT NULL
);

-- +goose Down
-- The triggers sqldb.ensureRollups made from the source declarations.
DROP FUNCTION IF EXISTS monitoring_contacts_contacts_fn() CASCADE;
DROP FUNCTION IF EXISTS monitoring_contacts_clients_fn() CASCADE;
DROP FUNCTION IF EXISTS monitoring_services_services_fn() CASCADE;
DROP FUNCTION IF EXISTS monitoring_services_clients_fn() CASCADE;
DROP TABLE monitoring_org_keys;
DROP TABLE monitoring_spans;
DROP TABLE monitoring_sources;
DROP TABLE monitoring_stale;
DROP TABLE monitoring_measures;
DROP TABLE monitoring_rollup;
DROP TABLE dhis2_mappings;
DROP TABLE targets;
DROP TABLE indicators;
