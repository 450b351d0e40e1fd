-- +goose Up
-- Money (PostgreSQL): revolving funds with an append-only ledger, loans from
-- application to maturity, unit-cost norms, annual plans and expenditure.
-- Keep in step with sqlite/00005_money.sql.

CREATE TABLE funds (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    org_path     TEXT COLLATE "C" NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    opened_on    DATE NOT NULL,
    -- The number of the fund's last ledger entry. Every write to the
    -- ledger first raises it: the UPDATE serialises the fund's writers.
    entry_seq    BIGINT NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX funds_org_path ON funds (org_path, name);

-- The ledger: every balance is a sum of these rows, which are never
-- changed nor deleted (the triggers below refuse it).
CREATE TABLE fund_entries (
    id                   TEXT PRIMARY KEY,
    fund_id              TEXT NOT NULL REFERENCES funds (id),
    org_path             TEXT COLLATE "C" NOT NULL,
    seq                  BIGINT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('capital_in', 'disbursement', 'repayment_principal', 'repayment_interest',
                                                       'write_off', 'transfer_out', 'transfer_in', 'principal_reversed', 'interest_reversed')),
    amount               BIGINT NOT NULL CHECK (amount > 0),
    entry_on             DATE NOT NULL,
    source               TEXT NOT NULL DEFAULT '',
    loan_id              TEXT,
    repayment_id         TEXT,
    counterpart_fund_id  TEXT REFERENCES funds (id),
    note                 TEXT NOT NULL DEFAULT '',
    recorded_by          TEXT NOT NULL DEFAULT '',
    recorded_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (fund_id, seq)
);
-- The balance reads only this index.
CREATE INDEX fund_entries_sums ON fund_entries (fund_id, kind, source, amount);
CREATE INDEX fund_entries_day ON fund_entries (fund_id, entry_on, seq);
CREATE INDEX fund_entries_loan ON fund_entries (loan_id);

-- +goose StatementBegin
CREATE FUNCTION money_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER fund_entries_append_only BEFORE UPDATE OR DELETE ON fund_entries
    FOR EACH ROW EXECUTE FUNCTION money_append_only();

CREATE TABLE loans (
    id                TEXT PRIMARY KEY,
    fund_id           TEXT NOT NULL REFERENCES funds (id),
    org_id            TEXT NOT NULL REFERENCES orgs (id),
    org_path          TEXT COLLATE "C" NOT NULL,
    client_id         TEXT NOT NULL REFERENCES clients (id),
    amount            BIGINT NOT NULL CHECK (amount > 0),
    purpose           TEXT NOT NULL,
    term_months       INTEGER NOT NULL,
    method            TEXT NOT NULL CHECK (method IN ('flat', 'declining', 'interest_free')),
    frequency         TEXT NOT NULL CHECK (frequency IN ('monthly', 'custom')),
    rate_bp           INTEGER NOT NULL DEFAULT 0,
    proposed          TEXT NOT NULL DEFAULT '[]',
    applied_on        DATE NOT NULL,
    applied_by        TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('applied', 'appraised', 'approved', 'rejected', 'active', 'matured', 'written_off')),
    appraised_on      DATE,
    appraised_by      TEXT NOT NULL DEFAULT '',
    appraisal_notes   TEXT NOT NULL DEFAULT '',
    recommendation    TEXT NOT NULL DEFAULT '',
    decided_on        DATE,
    decided_by        TEXT NOT NULL DEFAULT '',
    decision          TEXT NOT NULL DEFAULT '',
    decision_note     TEXT NOT NULL DEFAULT '',
    disbursed_on      DATE,
    disbursed_by      TEXT NOT NULL DEFAULT '',
    closed_on         DATE,
    write_off_reason  TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX loans_fund ON loans (fund_id, status);
CREATE INDEX loans_org_path ON loans (org_path, applied_on);
CREATE INDEX loans_client ON loans (client_id);

CREATE TABLE loan_appraisers (
    loan_id  TEXT NOT NULL REFERENCES loans (id),
    user_id  TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (loan_id, user_id)
);

CREATE TABLE loan_installments (
    loan_id    TEXT NOT NULL REFERENCES loans (id),
    no         INTEGER NOT NULL,
    due_on     DATE NOT NULL,
    principal  BIGINT NOT NULL CHECK (principal >= 0),
    interest   BIGINT NOT NULL CHECK (interest >= 0),
    PRIMARY KEY (loan_id, no)
);

CREATE TABLE loan_repayments (
    id           TEXT PRIMARY KEY,
    loan_id      TEXT NOT NULL REFERENCES loans (id),
    fund_id      TEXT NOT NULL REFERENCES funds (id),
    org_path     TEXT COLLATE "C" NOT NULL,
    paid_on      DATE NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount > 0),
    principal    BIGINT NOT NULL CHECK (principal >= 0),
    interest     BIGINT NOT NULL CHECK (interest >= 0),
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL DEFAULT '',
    recorded_at  TIMESTAMPTZ NOT NULL,
    CHECK (principal + interest = amount)
);
CREATE INDEX loan_repayments_loan ON loan_repayments (loan_id, paid_on);
CREATE INDEX loan_repayments_fund ON loan_repayments (fund_id, paid_on);

CREATE TRIGGER loan_repayments_append_only BEFORE UPDATE OR DELETE ON loan_repayments
    FOR EACH ROW EXECUTE FUNCTION money_append_only();

-- A repayment entered by mistake is undone, never deleted: its row stays,
-- this one says why, and the ledger gets entries that undo it.
CREATE TABLE loan_repayment_reversals (
    repayment_id  TEXT PRIMARY KEY REFERENCES loan_repayments (id),
    loan_id       TEXT NOT NULL REFERENCES loans (id),
    reason        TEXT NOT NULL,
    reversed_by   TEXT NOT NULL DEFAULT '',
    reversed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_repayment_reversals_loan ON loan_repayment_reversals (loan_id);
CREATE TRIGGER loan_repayment_reversals_append_only BEFORE UPDATE OR DELETE ON loan_repayment_reversals
    FOR EACH ROW EXECUTE FUNCTION money_append_only();

-- Unit-cost norms, annual plans and what was spent against them.
CREATE TABLE cost_norms (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    org_path       TEXT COLLATE "C" NOT NULL,
    model          TEXT NOT NULL,
    activity       TEXT NOT NULL,
    unit           TEXT NOT NULL,
    max_unit_cost  BIGINT NOT NULL CHECK (max_unit_cost > 0),
    max_per_case   INTEGER NOT NULL DEFAULT 0,
    valid_from     DATE NOT NULL,
    valid_to       DATE,
    notes          TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    voided_at      TIMESTAMPTZ,
    voided_by      TEXT NOT NULL DEFAULT '',
    void_reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cost_norms_model ON cost_norms (model, activity, org_path);

CREATE TABLE budget_plans (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    org_path     TEXT COLLATE "C" NOT NULL,
    model        TEXT NOT NULL,
    year         INTEGER NOT NULL,
    title        TEXT NOT NULL,
    source       TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    voided_at    TIMESTAMPTZ,
    voided_by    TEXT NOT NULL DEFAULT '',
    void_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX budget_plans_org_path ON budget_plans (org_path, year);

CREATE TABLE budget_lines (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES budget_plans (id),
    position    INTEGER NOT NULL,
    activity    TEXT NOT NULL,
    norm_id     TEXT NOT NULL REFERENCES cost_norms (id),
    unit        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    cases       INTEGER NOT NULL DEFAULT 0,
    unit_cost   BIGINT NOT NULL CHECK (unit_cost > 0),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    notes       TEXT NOT NULL DEFAULT '',
    -- Raised by every expenditure on the line: serialises its writers.
    spend_seq   INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (plan_id, position)
);

CREATE TABLE expenditures (
    id               TEXT PRIMARY KEY,
    plan_id          TEXT NOT NULL REFERENCES budget_plans (id),
    line_id          TEXT NOT NULL REFERENCES budget_lines (id),
    org_path         TEXT COLLATE "C" NOT NULL,
    spent_on         DATE NOT NULL,
    amount           BIGINT NOT NULL CHECK (amount > 0),
    quantity         INTEGER NOT NULL DEFAULT 0,
    description      TEXT NOT NULL,
    override_reason  TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    recorded_by      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    voided_at        TIMESTAMPTZ,
    voided_by        TEXT NOT NULL DEFAULT '',
    void_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX expenditures_plan ON expenditures (plan_id, spent_on);
CREATE INDEX expenditures_line ON expenditures (line_id);

-- +goose Down
DROP TABLE expenditures;
DROP TABLE budget_lines;
DROP TABLE budget_plans;
DROP TABLE cost_norms;
DROP TABLE loan_repayment_reversals;
DROP TABLE loan_repayments;
DROP TABLE loan_installments;
DROP TABLE loan_appraisers;
DROP TABLE loans;
DROP TABLE fund_entries;
DROP TABLE funds;
DROP FUNCTION money_append_only();
