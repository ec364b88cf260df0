-- Warehouse schema: the contract between the pipeline (the only writer) and
-- every reader (dashboard, notebooks, KPI API, scorecards, exports).
-- All timestamps are local time (WIB, Asia/Jakarta) without zone.

-- ---------------------------------------------------------------- master data
CREATE TABLE departments (
    department      VARCHAR PRIMARY KEY,   -- canonical name, shown everywhere
    short_name      VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,      -- dinas | badan | kecamatan | kelurahan | ...
    kecamatan       VARCHAR
);
CREATE TABLE department_aliases (
    alias_key       VARCHAR PRIMARY KEY,   -- textnorm.norm_key(alias)
    alias           VARCHAR NOT NULL,
    department      VARCHAR NOT NULL
);
CREATE TABLE wilayah (
    kecamatan       VARCHAR NOT NULL,
    kelurahan       VARCHAR NOT NULL,
    PRIMARY KEY (kecamatan, kelurahan)
);
CREATE TABLE categories (
    category                VARCHAR PRIMARY KEY,
    resolution_limit_days   INTEGER NOT NULL   -- effective limit (category override or default)
);
CREATE TABLE classifications (
    classification          VARCHAR PRIMARY KEY,
    berkadar_pengawasan     BOOLEAN NOT NULL
);
CREATE TABLE channels (
    channel         VARCHAR PRIMARY KEY,
    source          VARCHAR NOT NULL       -- lapor | lokal | open311
);
CREATE TABLE status_labels (
    label_key       VARCHAR PRIMARY KEY,
    status          VARCHAR NOT NULL
);
CREATE TABLE statuses (
    status          VARCHAR PRIMARY KEY,   -- canonical
    label           VARCHAR NOT NULL,      -- Indonesian display label
    is_excluded     BOOLEAN NOT NULL       -- archived / not_authority
);
CREATE TABLE sla_limits (
    step            VARCHAR PRIMARY KEY,   -- verification | response | auto_close | resolution | resolution_pengawasan
    limit_days      INTEGER NOT NULL
);
CREATE TABLE settings (
    key             VARCHAR PRIMARY KEY,
    value           VARCHAR
);

-- Working-day calendar (pipelines.calendar). wd_index is the cumulative count
-- of working days up to and including `date`, so
-- HK(start, end) = wd_index[date(end)] - wd_index[date(start)].
CREATE TABLE calendar (
    date            DATE PRIMARY KEY,
    is_working_day  BOOLEAN NOT NULL,
    holiday_name    VARCHAR,               -- Indonesian name, null on ordinary days
    kind            VARCHAR,               -- hari kerja | akhir pekan | libur nasional | cuti bersama | libur daerah
    wd_index        INTEGER NOT NULL
);

-- ---------------------------------------------------------------- curated
-- One row per complaint, merged over every snapshot that mentioned it.
CREATE TABLE complaints (
    complaint_key           VARCHAR PRIMARY KEY,  -- source_system || ':' || source_id
    source_system           VARCHAR NOT NULL,     -- lapor | rekap | open311
    source_id               VARCHAR NOT NULL,
    profile                 VARCHAR NOT NULL,     -- mapping profile that read it
    has_verification_step   BOOLEAN NOT NULL,     -- only LAPOR! exports verify
    reported_at             TIMESTAMP NOT NULL,
    verified_at             TIMESTAMP,
    dispatched_at           TIMESTAMP,
    first_response_at       TIMESTAMP,
    resolved_at             TIMESTAMP,
    archived_at             TIMESTAMP,
    status                  VARCHAR NOT NULL,     -- canonical status (latest snapshot wins)
    status_label            VARCHAR,              -- the source's own label
    classification          VARCHAR,
    category                VARCHAR,
    channel                 VARCHAR NOT NULL,
    department              VARCHAR,              -- canonical name; null = not dispositioned or unmatched
    department_raw          VARCHAR,              -- as written in the source (no personal data)
    kecamatan               VARCHAR,
    kelurahan               VARCHAR,
    title                   VARCHAR,              -- personal-data patterns redacted
    body                    VARCHAR,              -- personal-data patterns redacted
    location                VARCHAR,              -- personal-data patterns redacted
    is_anonymous            BOOLEAN NOT NULL DEFAULT FALSE,
    is_confidential         BOOLEAN NOT NULL DEFAULT FALSE,
    berkadar_pengawasan     BOOLEAN NOT NULL DEFAULT FALSE,
    reporter_hash           VARCHAR,              -- salted hash of the normalised contact; null if none
    satisfaction            INTEGER,              -- 1..5 where the source has ratings
    duplicate_cluster       VARCHAR,              -- likely-duplicate cluster id, null if alone
    is_duplicate            BOOLEAN NOT NULL DEFAULT FALSE,  -- true for cluster members other than the earliest report
    first_snapshot_id       VARCHAR NOT NULL,     -- input file (hash) where it first appeared
    last_snapshot_id        VARCHAR NOT NULL,     -- input file (hash) that gave the current status
    snapshot_date           DATE NOT NULL,        -- export date of that last file
    source_file             VARCHAR NOT NULL,     -- file name of that last file
    source_row              INTEGER NOT NULL      -- 1-based row in that file (as a spreadsheet shows it)
);

-- Every status and timestamp seen, per input file.
CREATE TABLE complaint_status_history (
    complaint_key           VARCHAR NOT NULL,
    snapshot_id             VARCHAR NOT NULL,     -- input file hash
    snapshot_date           DATE NOT NULL,
    source_file             VARCHAR NOT NULL,
    source_row              INTEGER NOT NULL,
    status                  VARCHAR NOT NULL,
    status_label            VARCHAR,
    department              VARCHAR,
    verified_at             TIMESTAMP,
    dispatched_at           TIMESTAMP,
    first_response_at       TIMESTAMP,
    resolved_at             TIMESTAMP,
    archived_at             TIMESTAMP,
    PRIMARY KEY (complaint_key, snapshot_id)
);

-- ---------------------------------------------------------------- lineage
-- One row per published build.
CREATE TABLE snapshot (
    snapshot_id     VARCHAR PRIMARY KEY,   -- e.g. 20251121T101500-3f2a9c1b
    as_of           DATE NOT NULL,         -- data as-of date (latest timestamp seen)
    as_of_ts        TIMESTAMP NOT NULL,
    input_hash      VARCHAR NOT NULL,      -- hash over the sorted input file hashes and the config hash
    config_hash     VARCHAR NOT NULL,
    built_at        TIMESTAMP NOT NULL,
    app_version     VARCHAR NOT NULL,
    complaints      INTEGER NOT NULL,
    files           INTEGER NOT NULL
);

-- One row per input file of the build (identical content is loaded once).
CREATE TABLE input_files (
    file_hash       VARCHAR PRIMARY KEY,   -- sha256 of the bytes (first 16 hex)
    file_name       VARCHAR NOT NULL,
    rel_path        VARCHAR NOT NULL,      -- relative to <data-dir>/raw
    size_bytes      BIGINT NOT NULL,
    profile         VARCHAR NOT NULL,
    source_system   VARCHAR NOT NULL,
    snapshot_date   DATE NOT NULL,         -- export date (from the name, else the latest timestamp inside)
    rows_read       INTEGER NOT NULL,      -- physical rows after the header
    rows_loaded     INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    rows_skipped    INTEGER NOT NULL,      -- title, blank, subtotal, repeated header rows
    rows_warned     INTEGER NOT NULL DEFAULT 0,
    duplicate_of    VARCHAR                -- file name of an identical file already loaded
);

-- Run log: one row per file per run, and one summary row (file_name NULL).
CREATE TABLE run_log (
    run_id          VARCHAR NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    file_name       VARCHAR,
    file_hash       VARCHAR,
    rows_read       INTEGER,
    rows_loaded     INTEGER,
    rows_quarantined INTEGER,
    rows_skipped    INTEGER,
    status          VARCHAR NOT NULL,      -- ok | refused | error
    message         VARCHAR
);
