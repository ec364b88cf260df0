-- breakdown: group_metrics with the rates, the min_sample rule, the rank and
-- the category trend. Groups whose value is unknown (e.g. no department yet)
-- are left out of their breakdown; they still count in the totals.
-- Inputs: group_metrics.
-- Parameters: $min_sample, $league_1..3 (from kpi_settings).

WITH

rated AS (
    SELECT
        g.* EXCLUDE (verification_days_q, response_days_q, resolution_days_q),

        -- rates: a rate with denominator 0 is NULL, never 0 or 1 -----------------
        -- a step whose state is unknown is in neither term
        g.responded / nullif(g.in_scope - g.response_unknown, 0)            AS response_rate,
        g.resolved / nullif(g.in_scope - g.resolution_unknown, 0)           AS resolution_rate,
        g.verification_on_time / nullif(g.verification_on_time + g.verification_late, 0)
                                                                            AS on_time_verification_rate,
        g.response_on_time / nullif(g.response_on_time + g.response_late, 0) AS on_time_response_rate,
        g.resolution_on_time / nullif(g.resolution_on_time + g.resolution_late, 0)
                                                                            AS on_time_resolution_rate,
        g.repeat_complaints / nullif(g.in_scope, 0)                         AS repeat_rate,
        g.reopened / nullif(g.resolved, 0)                                  AS reopen_rate,

        g.verification_days_q[1]                                            AS verification_days_median,
        g.response_days_q[1]                                                AS response_days_median,
        g.response_days_q[2]                                                AS response_days_p90,
        g.resolution_days_q[1]                                              AS resolution_days_median,
        g.resolution_days_q[2]                                              AS resolution_days_p90,

        -- a unit with one complaint answered on time must not top the league
        g.in_scope < CAST($min_sample AS INTEGER)                                           AS insufficient_data,

        -- trend against the previous period of equal length ------------------------
        g.received - g.received_previous                                    AS change,
        (g.received - g.received_previous) / nullif(g.received_previous, 0) AS change_rate,
        CASE
            WHEN greatest(g.received, g.received_previous) < CAST($min_sample AS INTEGER) THEN NULL
            WHEN g.received > g.received_previous THEN 'naik'
            WHEN g.received < g.received_previous THEN 'turun'
            ELSE 'tetap'
        END                                                                 AS trend
    FROM group_metrics AS g
    WHERE g.dimension IN ('total', 'month') OR g.group_value IS NOT NULL
)

SELECT
    *,
    CASE WHEN NOT insufficient_data AND dimension NOT IN ('total', 'month') THEN
        rank() OVER (
            PARTITION BY dimension, insufficient_data, month
            -- the league rule (sla.yaml kpi.league; default kpi-spec.md: on-time response, then
            -- response rate), higher first, NULL last; $league_2/3 NULL = no further tie-break
            ORDER BY
                CASE $league_1
                    WHEN 'on_time_response_rate' THEN on_time_response_rate
                    WHEN 'response_rate' THEN response_rate
                    WHEN 'resolution_rate' THEN resolution_rate
                    WHEN 'on_time_resolution_rate' THEN on_time_resolution_rate
                    WHEN 'on_time_verification_rate' THEN on_time_verification_rate
                END DESC NULLS LAST,
                CASE $league_2
                    WHEN 'on_time_response_rate' THEN on_time_response_rate
                    WHEN 'response_rate' THEN response_rate
                    WHEN 'resolution_rate' THEN resolution_rate
                    WHEN 'on_time_resolution_rate' THEN on_time_resolution_rate
                    WHEN 'on_time_verification_rate' THEN on_time_verification_rate
                END DESC NULLS LAST,
                CASE $league_3
                    WHEN 'on_time_response_rate' THEN on_time_response_rate
                    WHEN 'response_rate' THEN response_rate
                    WHEN 'resolution_rate' THEN resolution_rate
                    WHEN 'on_time_resolution_rate' THEN on_time_resolution_rate
                    WHEN 'on_time_verification_rate' THEN on_time_verification_rate
                END DESC NULLS LAST
        )
    END                                                                     AS rank
FROM rated
