-- +goose Up
-- Hotline cases, shelters and reintegration after rehabilitation (SQLite).
-- Keep in step with postgres/00004_cases.sql.

-- Hotline cases: calls and messages to the hotline of a group, counted by
-- the monitoring engine as they are (count rows; voided rows never count):
--   org_id, org_path  the organisation running the hotline (scope: case.read)
--   code              printed and said on the phone instead of a name
--   received_at       when the call or message came; received_on its day in Vietnam
--   channel           phone | zalo | walk_in
--   caller_type       self | family | friend | peer_educator | service_provider | other
--   client_id         the client the case is about; NULL for an anonymous case,
--                     which keeps anon_sex, anon_population, anon_birth_year (0: unknown)
--   issues            ",a,b," of rights_violation | exploitation | gbv | overdose | health | other
--   rights_violators  ",a,b," of employer | client | police | other (issue rights_violation)
--   violence_types    ",a,b," of the GBVIMS types the incident involves (issue gbv)
--   gbv_type          the GBVIMS type it is classified as: the first of violence_types in
--                     the order rape, sexual_assault, physical_assault, forced_marriage,
--                     denial_of_resources, psychological_abuse; '' without violence
--   violence_contexts ",a,b," of intimate_partner | domestic_violence | by_client | by_employer
--                     | by_police | during_sex_work | trafficking | other (apart from the type)
--   risk, risk_rank   low 1 | medium 2 | high 3 | critical 4
--   actions           ",a,b," of the immediate actions (caunoi.CaseActions)
--   *_enc             summary, safety plan, closing note: encrypted at rest (AES-GCM)
--   status            open | closed; closed_on and outcome (caunoi.CaseOutcomes) when closed
--   taken_by          the user who took the call
CREATE TABLE hotline_cases (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES orgs (id),
    org_path          TEXT NOT NULL,
    code              TEXT NOT NULL,
    received_at       DATETIME NOT NULL,
    received_on       DATE NOT NULL,
    channel           TEXT NOT NULL,
    caller_type       TEXT NOT NULL,
    client_id         TEXT REFERENCES clients (id),
    anon_sex          TEXT NOT NULL DEFAULT '',
    anon_population   TEXT NOT NULL DEFAULT '',
    anon_birth_year   INTEGER NOT NULL DEFAULT 0,
    issues            TEXT NOT NULL,
    rights_violators  TEXT NOT NULL DEFAULT '',
    violence_types    TEXT NOT NULL DEFAULT '',
    gbv_type          TEXT NOT NULL DEFAULT '',
    violence_contexts TEXT NOT NULL DEFAULT '',
    risk              TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high', 'critical')),
    risk_rank         INTEGER NOT NULL,
    actions           TEXT NOT NULL DEFAULT '',
    summary_enc       TEXT NOT NULL DEFAULT '',
    safety_plan_enc   TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closed_on         DATE,
    outcome           TEXT NOT NULL DEFAULT '',
    closing_note_enc  TEXT NOT NULL DEFAULT '',
    taken_by          TEXT NOT NULL REFERENCES users (id),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    voided_at         DATETIME,
    voided_by         TEXT NOT NULL DEFAULT '',
    void_reason       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX hotline_cases_code ON hotline_cases (code);
CREATE INDEX hotline_cases_org_path ON hotline_cases (org_path, received_at);
CREATE INDEX hotline_cases_client ON hotline_cases (client_id);
-- The duty view: open cases by risk, the oldest first.
CREATE INDEX hotline_cases_open ON hotline_cases (org_path, risk_rank, received_at) WHERE status = 'open' AND voided_at IS NULL;

-- Follow-ups of cases: planned for due_on, then done (done_on, channel,
-- reached, note) or cancelled when the case closes. A case has at most one
-- planned follow-up; it is overdue when due_on is before today.
CREATE TABLE case_follow_ups (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES hotline_cases (id),
    org_path    TEXT NOT NULL,
    due_on      DATE NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    done_on     DATE,
    channel     TEXT NOT NULL DEFAULT '',
    reached     BOOLEAN NOT NULL DEFAULT FALSE,
    note_enc    TEXT NOT NULL DEFAULT '',
    done_by     TEXT REFERENCES users (id),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX case_follow_ups_planned ON case_follow_ups (case_id) WHERE status = 'planned';
CREATE INDEX case_follow_ups_case ON case_follow_ups (case_id, due_on);
-- Overdue and due follow-ups of the duty view.
CREATE INDEX case_follow_ups_due ON case_follow_ups (org_path, due_on) WHERE status = 'planned';

-- Referrals made from a case (the referral itself lives in referrals).
CREATE TABLE case_referrals (
    case_id      TEXT NOT NULL REFERENCES hotline_cases (id),
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    org_path     TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (case_id, referral_id)
);
CREATE UNIQUE INDEX case_referrals_referral ON case_referrals (referral_id);

-- Beds of shelters (providers of kind shelter), in use from the day
-- until voided; org_path is the path of the organisation keeping the
-- shelter.
CREATE TABLE shelter_beds (
    id           TEXT PRIMARY KEY,
    provider_id  TEXT NOT NULL REFERENCES providers (id),
    org_path     TEXT NOT NULL,
    label        TEXT NOT NULL,
    in_use_from  DATE NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    voided_at    DATETIME,
    voided_by    TEXT NOT NULL DEFAULT '',
    void_reason  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX shelter_beds_label ON shelter_beds (provider_id, label) WHERE voided_at IS NULL;

-- Stays in shelter beds, counted for occupancy (a stay occupies its bed
-- the nights from admitted_on to the day before discharged_on):
--   org_id, org_path  the organisation that admitted the person (scope: case.read)
--   client_id, case_id the person: a client, a hotline case, or both
--   expected_on       the planned end of the stay
--   reason            violence | risk_of_violence | exploitation | no_safe_place | other
--   discharge_reason  returned_home | with_family | other_shelter | referred | left | other
-- A bed holds one open stay, and a person is in one bed at a time: the
-- partial unique indexes refuse a second, whoever writes it.
CREATE TABLE shelter_stays (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES orgs (id),
    org_path          TEXT NOT NULL,
    provider_id       TEXT NOT NULL REFERENCES providers (id),
    bed_id            TEXT NOT NULL REFERENCES shelter_beds (id),
    client_id         TEXT REFERENCES clients (id),
    case_id           TEXT REFERENCES hotline_cases (id),
    admitted_on       DATE NOT NULL,
    expected_on       DATE NOT NULL,
    reason            TEXT NOT NULL,
    discharged_on     DATE,
    discharge_reason  TEXT NOT NULL DEFAULT '',
    admitted_by       TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    voided_at         DATETIME,
    voided_by         TEXT NOT NULL DEFAULT '',
    void_reason       TEXT NOT NULL DEFAULT '',
    CHECK (client_id IS NOT NULL OR case_id IS NOT NULL),
    CHECK (discharged_on IS NULL OR discharged_on >= admitted_on)
);
CREATE UNIQUE INDEX shelter_stays_open_bed ON shelter_stays (bed_id) WHERE discharged_on IS NULL AND voided_at IS NULL;
CREATE UNIQUE INDEX shelter_stays_open_client ON shelter_stays (client_id) WHERE discharged_on IS NULL AND voided_at IS NULL;
CREATE INDEX shelter_stays_provider ON shelter_stays (provider_id, admitted_on);
CREATE INDEX shelter_stays_org_path ON shelter_stays (org_path, admitted_on);
CREATE INDEX shelter_stays_case ON shelter_stays (case_id);

-- Reintegration of residents of rehabilitation centres (providers of kind
-- rehab_centre), counted for reports (seed 003): residents = rows;
-- mapped = rows with a live influence_people row; received = status
-- returned (returned_on, club_id: the handover).
CREATE TABLE reintegrations (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    org_path       TEXT NOT NULL,
    client_id      TEXT NOT NULL REFERENCES clients (id),
    centre_id      TEXT NOT NULL REFERENCES providers (id),
    expected_on    DATE NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('preparing', 'returned')),
    returned_on    DATE,
    club_id        TEXT REFERENCES orgs (id),
    handover_note  TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    voided_at      DATETIME,
    voided_by      TEXT NOT NULL DEFAULT '',
    void_reason    TEXT NOT NULL DEFAULT ''
);
-- A client is prepared for one return at a time.
CREATE UNIQUE INDEX reintegrations_preparing ON reintegrations (client_id) WHERE status = 'preparing' AND voided_at IS NULL;
CREATE INDEX reintegrations_org_path ON reintegrations (org_path, expected_on);
CREATE INDEX reintegrations_client ON reintegrations (client_id);

-- The influence map (ecomap) of a returnee: relation (caunoi.Relations),
-- influence positive | negative, strength 1..3, contactable; the name is
-- encrypted at rest.
CREATE TABLE influence_people (
    id                TEXT PRIMARY KEY,
    reintegration_id  TEXT NOT NULL REFERENCES reintegrations (id),
    org_path          TEXT NOT NULL,
    name_enc          TEXT NOT NULL,
    relation          TEXT NOT NULL,
    influence         TEXT NOT NULL CHECK (influence IN ('positive', 'negative')),
    strength          INTEGER NOT NULL CHECK (strength BETWEEN 1 AND 3),
    contactable       BOOLEAN NOT NULL DEFAULT FALSE,
    notes_enc         TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    voided_at         DATETIME,
    voided_by         TEXT NOT NULL DEFAULT '',
    void_reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX influence_people_reintegration ON influence_people (reintegration_id);

-- Follow-ups (wellbeing stable | struggling | at_risk | unreachable) and
-- relapses of returnees; a relapse also sets the client's status.
CREATE TABLE reintegration_events (
    id                TEXT PRIMARY KEY,
    reintegration_id  TEXT NOT NULL REFERENCES reintegrations (id),
    org_path          TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('follow_up', 'relapse')),
    happened_on       DATE NOT NULL,
    wellbeing         TEXT NOT NULL DEFAULT '',
    note_enc          TEXT NOT NULL DEFAULT '',
    recorded_by       TEXT NOT NULL DEFAULT '',
    created_at        DATETIME NOT NULL
);
CREATE INDEX reintegration_events_reintegration ON reintegration_events (reintegration_id, happened_on);

-- +goose Down
DROP TABLE reintegration_events;
DROP TABLE influence_people;
DROP TABLE reintegrations;
DROP TABLE shelter_stays;
DROP TABLE shelter_beds;
DROP TABLE case_referrals;
DROP TABLE case_follow_ups;
DROP TABLE hotline_cases;
