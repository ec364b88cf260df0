-- kpi_settings: one row holding the as-of date and every limit and setting the
-- KPI rules use. Everything is read from the warehouse itself, so a published
-- snapshot gives the same numbers later, whatever the config says by then.
-- Parameters: $as_of (DATE).
-- (Each table is read once, its rows turned into columns: a dozen scalar subqueries cost ~30 ms
-- a call at 1M complaints, and every KPI query starts here.)

WITH
lim AS (
    SELECT
        any_value(limit_days) FILTER (WHERE step = 'verification')          AS verification_limit,
        any_value(limit_days) FILTER (WHERE step = 'response')              AS response_limit,
        any_value(limit_days) FILTER (WHERE step = 'resolution')            AS resolution_limit,
        any_value(limit_days) FILTER (WHERE step = 'resolution_pengawasan') AS resolution_pengawasan_limit
    FROM sla_limits
),
s AS (
    SELECT
        any_value(value) FILTER (WHERE key = 'min_sample')              AS min_sample,
        any_value(value) FILTER (WHERE key = 'count_duplicates_once')   AS count_duplicates_once,
        any_value(value) FILTER (WHERE key = 'cuti_bersama_is_day_off') AS cuti_bersama_is_day_off,
        any_value(value) FILTER (WHERE key = 'due_soon_days')           AS due_soon_days,
        any_value(value) FILTER (WHERE key = 'league')                  AS league,
        any_value(value) FILTER (WHERE key = 'backlog_aging_buckets')   AS backlog_aging_buckets
    FROM settings
    WHERE key IN ('min_sample', 'count_duplicates_once', 'cuti_bersama_is_day_off', 'due_soon_days', 'league',
                  'backlog_aging_buckets')
)
SELECT
    CAST($as_of AS DATE)                                   AS as_of,
    -- a timestamp before this instant (the end of the as-of day) has happened
    CAST(CAST($as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS as_of_end,
    (SELECT wd_index FROM calendar WHERE date = CAST($as_of AS DATE)) AS wd_as_of,

    -- limits in hari kerja --------------------------------------------------
    lim.verification_limit,
    lim.response_limit,
    lim.resolution_limit,
    lim.resolution_pengawasan_limit,

    -- settings ----------------------------------------------------------------
    coalesce(TRY_CAST(s.min_sample AS INTEGER), 5)         AS min_sample,
    coalesce(lower(trim(s.count_duplicates_once)) IN ('true', '1', 'ya', 'yes'), true) AS count_duplicates_once,
    coalesce(lower(trim(s.cuti_bersama_is_day_off)) IN ('true', '1', 'ya', 'yes'), true) AS cuti_bersama_is_day_off,
    -- due_soon: the next limit falls within this many working days after A
    coalesce(TRY_CAST(s.due_soon_days AS INTEGER), 2)      AS due_soon_days,
    -- the league rule: rate keys ranked by, higher first (validated in masterdata.parse_league)
    coalesce(from_json(s.league, '["VARCHAR"]'), ['on_time_response_rate', 'response_rate']) AS league,
    -- backlog aging buckets: inclusive upper bounds, ascending; the last one open
    coalesce(
        from_json(s.backlog_aging_buckets, '[{"label": "VARCHAR", "max": "INTEGER"}]'),
        [{'label': '0-5', 'max': 5}, {'label': '6-14', 'max': 14},
         {'label': '15-60', 'max': 60}, {'label': '>60', 'max': NULL}]
    )                                                      AS aging_buckets
FROM lim, s
