-- +goose Up
-- Services and referrals (SQLite). Keep in step with postgres/00003_services.sql.

-- The directory of service providers: clinics, testing sites, legal-aid
-- centres, vocational schools, employers, shelters, rehabilitation
-- centres… A provider is kept by one organisation (org_id, org_path:
-- typically a provincial department) and is shared with every
-- organisation of that organisation's subtree and with those above it.
--   kind            a caunoi.ProviderKinds code (health_facility, shelter, rehab_centre…)
--   services        the service kinds offered, stored ",a,b," (caunoi.ServiceKinds)
--   name_search     the name folded (lower case, no diacritics), for search
--   admin_unit_code the administrative unit it stands in (optional)
--   lat, lng        optional coordinates (WGS 84), both or neither
--   contact         phone, person or e-mail to reach it
--   opening_hours   as people write them ("7:30–17:00, thứ 2–thứ 6")
--   friendly        true when known to serve the programme's populations without stigma
CREATE TABLE providers (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs (id),
    org_path         TEXT NOT NULL,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_search      TEXT NOT NULL,
    services         TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    admin_unit_code  TEXT REFERENCES admin_units (code),
    lat              REAL,
    lng              REAL,
    contact          TEXT NOT NULL DEFAULT '',
    opening_hours    TEXT NOT NULL DEFAULT '',
    friendly         BOOLEAN NOT NULL DEFAULT FALSE,
    notes            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    voided_at        DATETIME,
    voided_by        TEXT NOT NULL DEFAULT '',
    void_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX providers_org_path ON providers (org_path, name_search);

-- +goose Down
DROP TABLE providers;
