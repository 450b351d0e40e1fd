-- +goose Up
-- The count rollup (SQLite). Keep in step with postgres/00008_counts.sql.

-- For each organisation, year, kept period (Y, H1, H2, Q1…Q4, and
-- M01…M12 in total only) and the filter of each indicator counting events
-- or clients of a rollup source (see internal/indicator/counts.go): the
-- events and distinct clients in total (dim '') and by each value of one
-- client dimension. Built from the organisation's monitoring_rollup rows
-- whenever they are rebuilt.
CREATE TABLE monitoring_counts (
    source    TEXT NOT NULL,
    year      INTEGER NOT NULL,
    period    TEXT NOT NULL,
    dim       TEXT NOT NULL,
    org_path  TEXT NOT NULL,
    value     TEXT NOT NULL,
    filter    TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    events    BIGINT NOT NULL,
    clients   BIGINT NOT NULL,
    -- In the order a report reads it: a period's rows of a dimension,
    -- by organisation.
    PRIMARY KEY (source, year, period, dim, org_path, value, filter)
) WITHOUT ROWID;
CREATE INDEX monitoring_counts_org ON monitoring_counts (org_id, source);

-- The filters the count rollup is built for, by source; ready once every
-- organisation's counts hold them, and only then read.
CREATE TABLE monitoring_count_filters (
    source  TEXT NOT NULL,
    filter  TEXT NOT NULL,
    ready   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source, filter)
);

-- +goose Down
DROP TABLE monitoring_count_filters;
DROP TABLE monitoring_counts;
