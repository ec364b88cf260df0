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
    source_department_id    VARCHAR,              -- the source's own id of that unit (LAPOR! ID Instansi Terdisposisi)
    parent_agency           VARCHAR,              -- LAPOR! Instansi Induk, as written
    source_category_id      VARCHAR,              -- LAPOR! ID Kategori (national category id)
    province                VARCHAR,              -- LAPOR! Provinsi of the reported location, as written
    regency                 VARCHAR,              -- LAPOR! Kota/Kabupaten of the reported location (may be another pemda)
    status_reason           VARCHAR,              -- LAPOR! Alasan Tunda/Arsip (personal-data patterns redacted)
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
    source_row              INTEGER NOT NULL,     -- 1-based row in that file (as a spreadsheet shows it)
    -- "Status says whether, dates say when" (kpi-spec.md): what the source of the current status can tell.
    times_verification      BOOLEAN NOT NULL DEFAULT TRUE,  -- that source records the verification date (profile timed_steps)
    times_response          BOOLEAN NOT NULL DEFAULT TRUE,  -- ... the first-response date
    times_resolution        BOOLEAN NOT NULL DEFAULT TRUE,  -- ... the resolution date
    status_implies          VARCHAR[]                       -- steps ('verification', 'response', 'resolution') the source's
                                                            -- status label implies beyond its canonical status; NULL = none
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
    times_verification      BOOLEAN NOT NULL DEFAULT TRUE,   -- as in complaints, for this snapshot
    times_response          BOOLEAN NOT NULL DEFAULT TRUE,
    times_resolution        BOOLEAN NOT NULL DEFAULT TRUE,
    status_implies          VARCHAR[],
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
    status          VARCHAR NOT NULL,      -- ok | refused | error | interrupted (a build killed earlier)
    message         VARCHAR
);

-- ---------------------------------------------------------------- data quality
-- (pipelines.validate; written by the build, read by `monev check` and the dashboard)

-- Rows held back by a blocking rule: they are not in `complaints`. A row is
-- released when a file of the same or a later snapshot loads the same
-- complaint (a corrected export); released rows stay listed for the record.
CREATE TABLE quarantine (
    file_hash       VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    sheet           VARCHAR,               -- XLSX sheet, null for CSV/JSON
    source_row      INTEGER NOT NULL,      -- 1-based row as a spreadsheet shows it
    complaint_key   VARCHAR,               -- null when the row has no usable id
    source_id       VARCHAR,
    field           VARCHAR NOT NULL,      -- canonical field the rule is about
    column_name     VARCHAR NOT NULL,      -- the column header as written in the file
    rule            VARCHAR NOT NULL,
    observed        VARCHAR,               -- what was written (personal data redacted)
    message         VARCHAR NOT NULL,      -- Bahasa Indonesia: file, row, column, problem, what to do
    status          VARCHAR NOT NULL,      -- held | released
    released_by     VARCHAR                -- file name that loaded the complaint later
);

-- Non-blocking findings: the row (or complaint) loaded. layer: staging (one
-- row of a file), file (a whole column of a file), curated (a merged complaint
-- whose status or timestamps contradict each other).
CREATE TABLE warnings (
    layer           VARCHAR NOT NULL,
    file_hash       VARCHAR,
    file_name       VARCHAR,
    sheet           VARCHAR,
    source_row      INTEGER,
    complaint_key   VARCHAR,
    source_id       VARCHAR,
    field           VARCHAR NOT NULL,
    column_name     VARCHAR NOT NULL,
    rule            VARCHAR NOT NULL,
    observed        VARCHAR,
    message         VARCHAR NOT NULL
);

-- Names in the exports that match no master-data entry (department, category,
-- kelurahan, kecamatan), with the three closest suggestions.
CREATE TABLE unmatched_names (
    kind            VARCHAR NOT NULL,      -- department | category | kelurahan | kecamatan
    raw_value       VARCHAR NOT NULL,      -- as written (personal data redacted)
    rows            INTEGER NOT NULL,
    files           VARCHAR[] NOT NULL,
    suggestions     VARCHAR[] NOT NULL,
    PRIMARY KEY (kind, raw_value)
);

-- Per input file: reconciliation and the publish gate.
CREATE TABLE quality_files (
    file_hash       VARCHAR PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    profile         VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,      -- lapor | rekap:<channel> | open311
    snapshot_date   DATE NOT NULL,
    rows_read       INTEGER NOT NULL,
    rows_loaded     INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,     -- held + released
    rows_released   INTEGER NOT NULL,
    rows_skipped    INTEGER NOT NULL,
    rows_warned     INTEGER NOT NULL,      -- loaded rows with at least one warning
    warnings        INTEGER NOT NULL,      -- warning findings (a row can have several)
    blocking_share  DOUBLE NOT NULL,       -- held rows / data rows
    gate            VARCHAR NOT NULL       -- ok | over_limit
);

-- Findings per file and rule (blocking and warning).
CREATE TABLE quality_rules (
    file_hash       VARCHAR,               -- null for curated findings
    file_name       VARCHAR,
    rule            VARCHAR NOT NULL,
    severity        VARCHAR NOT NULL,
    rows            INTEGER NOT NULL
);

-- Freshness per source: the latest export date; stale after N days (config/ingest.yaml).
CREATE TABLE quality_sources (
    source          VARCHAR PRIMARY KEY,   -- lapor | rekap:<channel> | open311
    label           VARCHAR NOT NULL,
    files           INTEGER NOT NULL,
    complaints      INTEGER NOT NULL,
    latest_export   DATE NOT NULL,
    reference_date  DATE NOT NULL,         -- the build date
    days_since      INTEGER NOT NULL,
    is_stale        BOOLEAN NOT NULL
);

CREATE VIEW quality_contradictions AS
SELECT w.complaint_key, w.file_name, w.source_row, w.rule, w.field, w.observed, w.message
FROM warnings w
WHERE w.layer = 'curated'
UNION ALL
-- contradictions between exports are held in quarantine (pipelines/build/contradictions.py)
SELECT q.complaint_key, q.file_name, q.source_row, q.rule, q.field, q.observed, q.message
FROM quarantine q
WHERE q.rule IN ('same_date_conflict', 'merged_date_conflict');
