-- kpi_settings: one row holding the as-of date and every limit and setting the
-- KPI rules use. Everything is read from the warehouse itself, so a published
-- snapshot gives the same numbers later, whatever the config says by then.
-- Parameters: $as_of (DATE).

SELECT
    CAST($as_of AS DATE)                                   AS as_of,
    -- a timestamp before this instant (the end of the as-of day) has happened
    CAST(CAST($as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS as_of_end,
    (SELECT wd_index FROM calendar WHERE date = CAST($as_of AS DATE)) AS wd_as_of,

    -- limits in hari kerja --------------------------------------------------
    (SELECT limit_days FROM sla_limits WHERE step = 'verification')          AS verification_limit,
    (SELECT limit_days FROM sla_limits WHERE step = 'response')              AS response_limit,
    (SELECT limit_days FROM sla_limits WHERE step = 'resolution')            AS resolution_limit,
    (SELECT limit_days FROM sla_limits WHERE step = 'resolution_pengawasan') AS resolution_pengawasan_limit,

    -- settings ----------------------------------------------------------------
    coalesce(
        (SELECT TRY_CAST(value AS INTEGER) FROM settings WHERE key = 'min_sample'), 5
    )                                                      AS min_sample,
    coalesce(
        (SELECT lower(trim(value)) IN ('true', '1', 'ya', 'yes') FROM settings WHERE key = 'count_duplicates_once'),
        true
    )                                                      AS count_duplicates_once,
    coalesce(
        (SELECT lower(trim(value)) IN ('true', '1', 'ya', 'yes') FROM settings WHERE key = 'cuti_bersama_is_day_off'),
        true
    )                                                      AS cuti_bersama_is_day_off,
    -- due_soon: the next limit falls within this many working days after A
    coalesce(
        (SELECT TRY_CAST(value AS INTEGER) FROM settings WHERE key = 'due_soon_days'), 2
    )                                                      AS due_soon_days,
    -- the league rule: rate keys ranked by, higher first (validated in masterdata.parse_league)
    coalesce(
        (SELECT from_json(value, '["VARCHAR"]') FROM settings WHERE key = 'league'),
        ['on_time_response_rate', 'response_rate']
    )                                                      AS league,
    -- backlog aging buckets: inclusive upper bounds, ascending; the last one open
    coalesce(
        (SELECT from_json(value, '[{"label": "VARCHAR", "max": "INTEGER"}]')
         FROM settings WHERE key = 'backlog_aging_buckets'),
        [{'label': '0-5', 'max': 5}, {'label': '6-14', 'max': 14},
         {'label': '15-60', 'max': 60}, {'label': '>60', 'max': NULL}]
    )                                                      AS aging_buckets
