-- by_month: one row per calendar month of reported_at from $date_from to the
-- earlier of $date_to and A, months with nothing included as zeros; with
-- $dimension = 'month' the whole scope, with e.g. 'category_month' one row per
-- group and month (every group seen in those months gets every month).
-- Inputs: breakdown.
-- Parameters: $date_from, $date_to, $as_of (DATE), $dimension (VARCHAR).

WITH

months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series(
        CAST(date_trunc('month', CAST($date_from AS DATE)) AS TIMESTAMP),
        CAST(date_trunc('month', least(CAST($date_to AS DATE), CAST($as_of AS DATE))) AS TIMESTAMP),
        INTERVAL 1 MONTH
    ) AS t(m)
),

monthly AS (
    SELECT * FROM breakdown WHERE dimension = CAST($dimension AS VARCHAR)
),

groups AS (
    SELECT DISTINCT group_value
    FROM monthly
    WHERE group_value IS NOT NULL AND received > 0 AND month IN (SELECT month FROM months)
    UNION ALL
    -- the whole scope has no group value: one skeleton row per month
    SELECT NULL WHERE CAST($dimension AS VARCHAR) = 'month'
),

skeleton AS (
    SELECT groups.group_value, months.month
    FROM groups
    CROSS JOIN months
)

SELECT
    CAST($dimension AS VARCHAR)                         AS dimension,
    sk.group_value,
    sk.month,
    strftime(sk.month, '%Y-%m')                         AS month_key,
    coalesce(b.received, 0)                             AS received,
    coalesce(b.excluded, 0)                             AS excluded,
    coalesce(b.in_scope, 0)                             AS in_scope,
    coalesce(b.verified, 0)                             AS verified,
    coalesce(b.responded, 0)                            AS responded,
    coalesce(b.resolved, 0)                             AS resolved,
    b.response_rate,
    b.resolution_rate,
    b.verification_days_median,
    b.response_days_median,
    b.response_days_p90,
    b.resolution_days_median,
    b.resolution_days_p90,
    coalesce(b.verification_on_time, 0)                 AS verification_on_time,
    coalesce(b.verification_late, 0)                    AS verification_late,
    coalesce(b.response_on_time, 0)                     AS response_on_time,
    coalesce(b.response_late, 0)                        AS response_late,
    coalesce(b.resolution_on_time, 0)                   AS resolution_on_time,
    coalesce(b.resolution_late, 0)                      AS resolution_late,
    b.on_time_verification_rate,
    b.on_time_response_rate,
    b.on_time_resolution_rate,
    b.satisfaction_mean,
    coalesce(b.satisfaction_count, 0)                   AS satisfaction_count,
    coalesce(b.repeat_complaints, 0)                    AS repeat_complaints,
    b.repeat_rate,
    coalesce(b.reopened, 0)                             AS reopened,
    b.reopen_rate,
    coalesce(b.verification_dated, 0)                   AS verification_dated,
    coalesce(b.verification_undated, 0)                 AS verification_undated,
    coalesce(b.verification_not_done, 0)                AS verification_not_done,
    coalesce(b.verification_unknown, 0)                 AS verification_unknown,
    coalesce(b.response_dated, 0)                       AS response_dated,
    coalesce(b.response_undated, 0)                     AS response_undated,
    coalesce(b.response_not_done, 0)                    AS response_not_done,
    coalesce(b.response_unknown, 0)                     AS response_unknown,
    coalesce(b.resolution_dated, 0)                     AS resolution_dated,
    coalesce(b.resolution_undated, 0)                   AS resolution_undated,
    coalesce(b.resolution_not_done, 0)                  AS resolution_not_done,
    coalesce(b.resolution_unknown, 0)                   AS resolution_unknown
FROM skeleton AS sk
LEFT JOIN monthly AS b
    ON b.month = sk.month
   AND b.group_value IS NOT DISTINCT FROM sk.group_value
ORDER BY sk.group_value NULLS FIRST, sk.month
