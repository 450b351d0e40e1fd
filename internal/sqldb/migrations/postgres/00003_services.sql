-- +goose Up
-- Services and referrals (PostgreSQL). Keep in step with sqlite/00003_services.sql.

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
    org_path         TEXT COLLATE "C" NOT NULL,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_search      TEXT NOT NULL,
    services         TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    admin_unit_code  TEXT REFERENCES admin_units (code),
    lat              DOUBLE PRECISION,
    lng              DOUBLE PRECISION,
    contact          TEXT NOT NULL DEFAULT '',
    opening_hours    TEXT NOT NULL DEFAULT '',
    friendly         BOOLEAN NOT NULL DEFAULT FALSE,
    notes            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    voided_at        TIMESTAMPTZ,
    voided_by        TEXT NOT NULL DEFAULT '',
    void_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX providers_org_path ON providers (org_path, name_search);

-- Services given to clients, one row each, counted by the monitoring
-- engine as they are (count rows, count distinct client_id, sum quantity
-- or amount_vnd; voided rows never count):
--   org_id, org_path the organisation that gave or recorded it (scope)
--   client_id        the client who received it
--   kind             a caunoi.ServiceKinds code: counselling, hiv_test, sti_exam, art,
--                    methadone, hepatitis, health_insurance, legal_aid, identity_papers,
--                    vocational_training, job_placement, material_support, housing
--   detail           the sub-kind from caunoi.ServiceRules, '' when none: art start |
--                    continuation; methadone enrolment | continuation; hepatitis
--                    hbv_screening | hcv_screening | hbv_treatment | hcv_treatment;
--                    health_insurance new | renewed; legal_aid advice | documents |
--                    representation; identity_papers id_card | birth_certificate |
--                    residence | other; vocational_training enrolled | completed;
--                    material_support nutrition_package | rice | gift | cash; housing
--                    built | repaired; hiv_test facility | community | self_test;
--                    sti_exam examination | treatment
--   result           the result or outcome, '' while unknown: hiv_test negative |
--                    reactive | positive | indeterminate; hepatitis screening negative |
--                    positive; job_placement stable | not_stable (after the follow-up)
--   trade            vocational_training: the trade (caunoi.Trades); job_placement: the
--                    job type (caunoi.JobTypes); '' otherwise
--   quantity         material_support: units given (packages, kg of rice), >= 1; else 0
--   amount_vnd       material_support, housing: money given or spent, whole đồng; else 0
--   given_on         the day it was given (never in the future, nor before the birth year)
--   provider_id      the provider of the directory that gave it; NULL when the group did
--   worker_id        the user who gave or recorded it
CREATE TABLE services (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    org_path     TEXT COLLATE "C" NOT NULL,
    client_id    TEXT NOT NULL REFERENCES clients (id),
    kind         TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL DEFAULT '',
    trade        TEXT NOT NULL DEFAULT '',
    quantity     INTEGER NOT NULL DEFAULT 0,
    amount_vnd   BIGINT NOT NULL DEFAULT 0,
    given_on     DATE NOT NULL,
    provider_id  TEXT REFERENCES providers (id),
    worker_id    TEXT NOT NULL REFERENCES users (id),
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    voided_at    TIMESTAMPTZ,
    voided_by    TEXT NOT NULL DEFAULT '',
    void_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX services_org_path ON services (org_path, given_on);
CREATE INDEX services_client ON services (client_id, given_on);
CREATE INDEX services_kind ON services (kind, given_on);

-- Referrals of clients to providers, a closed loop: referred, then
-- reached (service_id names the service received), declined or lost.
--   service_kind     what the client is referred for; the provider offers it
--   referred_on      the day of the referral; due_on the day an outcome is expected
--   referred_by      the user who referred
--   code             printed on the slip (with the UIC, all it shows without consent)
--   status           referred | reached | declined | lost
--   closed_on        the day of the outcome; outcome a note on it
CREATE TABLE referrals (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    client_id     TEXT NOT NULL REFERENCES clients (id),
    provider_id   TEXT NOT NULL REFERENCES providers (id),
    service_kind  TEXT NOT NULL,
    referred_on   DATE NOT NULL,
    due_on        DATE NOT NULL,
    referred_by   TEXT NOT NULL REFERENCES users (id),
    code          TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('referred', 'reached', 'declined', 'lost')),
    closed_on     DATE,
    service_id    TEXT REFERENCES services (id),
    outcome       TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    voided_at     TIMESTAMPTZ,
    voided_by     TEXT NOT NULL DEFAULT '',
    void_reason   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX referrals_code ON referrals (code);
CREATE UNIQUE INDEX referrals_service ON referrals (service_id);
CREATE INDEX referrals_org_path ON referrals (org_path, referred_on);
CREATE INDEX referrals_client ON referrals (client_id);
-- The overdue lists (a group's, a worker's): open referrals only, by due day.
CREATE INDEX referrals_open_org ON referrals (org_path, due_on) WHERE status = 'referred' AND voided_at IS NULL;
CREATE INDEX referrals_open_worker ON referrals (referred_by, due_on) WHERE status = 'referred' AND voided_at IS NULL;

-- +goose Down
DROP TABLE referrals;
DROP TABLE services;
DROP TABLE providers;
