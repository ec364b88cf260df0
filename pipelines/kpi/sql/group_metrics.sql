-- group_metrics: the period metrics (cohort: complaints reported in
-- [$date_from, $date_to]), the stock at A and the previous period's count,
-- for the whole scope and for each requested grouping, in one scan of
-- complaint_facts (GROUPING SETS).
-- Inputs: complaint_facts.
-- Parameters: $date_from, $date_to, $prev_from, $prev_to (DATE).
-- Filled in by pipelines.kpi.engine from its fixed list of dimensions (never
-- from user input): the grouping sets, the dimension name, the group value and
-- the grouping columns (department, category, channel, kecamatan, kelurahan,
-- classification, month; NULL where not grouped by).

WITH

facts AS (
    SELECT
        *,
        reported_date BETWEEN CAST($date_from AS DATE) AND CAST($date_to AS DATE) AS in_period,
        reported_date BETWEEN CAST($prev_from AS DATE) AND CAST($prev_to AS DATE) AS in_previous_period
    FROM complaint_facts
)

SELECT
    /*DIMENSION*/                                                          AS dimension,
    /*GROUP_VALUE*/                                                        AS group_value,
    /*GROUP_COLUMNS*/,

    -- cohort counts -------------------------------------------------------------
    count_if(in_period)                                                    AS received,
    count_if(in_period AND is_excluded)                                    AS excluded,
    count_if(in_period AND in_scope)                                       AS in_scope,
    count_if(in_period AND is_verified)                                    AS verified,
    count_if(in_period AND is_responded)                                   AS responded,
    count_if(in_period AND is_resolved)                                    AS resolved,

    -- step states of the in-scope cohort (coverage): dated, undated, not done, unknown
    count_if(in_period AND in_scope AND verification_state = 'dated')      AS verification_dated,
    count_if(in_period AND in_scope AND verification_state = 'undated')    AS verification_undated,
    count_if(in_period AND in_scope AND verification_state = 'not_done')   AS verification_not_done,
    count_if(in_period AND in_scope AND verification_state = 'unknown')    AS verification_unknown,
    count_if(in_period AND in_scope AND response_state = 'dated')          AS response_dated,
    count_if(in_period AND in_scope AND response_state = 'undated')        AS response_undated,
    count_if(in_period AND in_scope AND response_state = 'not_done')       AS response_not_done,
    count_if(in_period AND in_scope AND response_state = 'unknown')        AS response_unknown,
    count_if(in_period AND in_scope AND resolution_state = 'dated')        AS resolution_dated,
    count_if(in_period AND in_scope AND resolution_state = 'undated')      AS resolution_undated,
    count_if(in_period AND in_scope AND resolution_state = 'not_done')     AS resolution_not_done,
    count_if(in_period AND in_scope AND resolution_state = 'unknown')      AS resolution_unknown,

    -- durations (continuous quantiles: [median, p90]) of dated steps only --------
    quantile_cont(verification_days, [0.5, 0.9])
        FILTER (WHERE in_period AND is_verified AND verification_state = 'dated')  AS verification_days_q,
    quantile_cont(response_days, [0.5, 0.9])
        FILTER (WHERE in_period AND is_responded AND response_state = 'dated')     AS response_days_q,
    quantile_cont(resolution_days, [0.5, 0.9])
        FILTER (WHERE in_period AND is_resolved AND resolution_state = 'dated')    AS resolution_days_q,

    -- on time / late --------------------------------------------------------------
    count_if(in_period AND verification_on_time)                           AS verification_on_time,
    count_if(in_period AND verification_late)                              AS verification_late,
    count_if(in_period AND response_on_time)                               AS response_on_time,
    count_if(in_period AND response_late)                                  AS response_late,
    count_if(in_period AND resolution_on_time)                             AS resolution_on_time,
    count_if(in_period AND resolution_late)                                AS resolution_late,

    -- outcome ---------------------------------------------------------------------
    avg(satisfaction) FILTER (WHERE in_period AND in_scope)                AS satisfaction_mean,
    count(satisfaction) FILTER (WHERE in_period AND in_scope)              AS satisfaction_count,
    count_if(in_period AND is_repeat)                                      AS repeat_complaints,
    -- closed is not fixed: resolved, then not resolved in a later export (by A)
    count_if(in_period AND is_reopened)                                    AS reopened,

    -- stock at A (not limited to the period) -----------------------------------
    count_if(is_open)                                                      AS backlog_open,
    count_if(is_overdue)                                                   AS backlog_overdue,
    count_if(is_due_soon)                                                  AS due_soon,
    -- open complaints per aging bucket (slots 1..8; kpi_settings lists the labels)
    count_if(aging_index = 1) AS backlog_aging_1,
    count_if(aging_index = 2) AS backlog_aging_2,
    count_if(aging_index = 3) AS backlog_aging_3,
    count_if(aging_index = 4) AS backlog_aging_4,
    count_if(aging_index = 5) AS backlog_aging_5,
    count_if(aging_index = 6) AS backlog_aging_6,
    count_if(aging_index = 7) AS backlog_aging_7,
    count_if(aging_index = 8) AS backlog_aging_8,

    -- previous period of equal length (category trend) -------------------------
    count_if(in_previous_period)                                           AS received_previous
FROM facts
WHERE in_period OR in_previous_period OR is_open
GROUP BY GROUPING SETS (/*GROUPING_SETS*/)
