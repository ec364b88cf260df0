-- complaint_facts_all: the per-complaint model. One row per complaint reported
-- on or before the as-of date A, as it stood at the end of that day, with its
-- limits, working-day durations and on-time flags, before any scope filter
-- (complaint_facts applies those). Every KPI, breakdown and list selects from
-- this model; no KPI rule is written anywhere else.
-- The build stores this model for the snapshot's as-of date in the table
-- kpi_complaint_facts (pipelines.kpi.engine.materialize_facts); a query at that
-- as-of date with the stored settings reads the table instead.
-- Inputs: complaints, calendar, categories, classifications, statuses,
--         repeat_flags.
-- Parameters: the kpi_settings row (read first from the warehouse and bound
--             as values): $as_of_end, $wd_as_of, $verification_limit,
--             $response_limit, $resolution_limit, $resolution_pengawasan_limit,
--             $count_duplicates_once, $aging_labels, $aging_bounds.

WITH

-- scope: as-of truncation, likely duplicates --------------------------------
scoped AS (
    SELECT
        c.complaint_key,
        c.source_system,
        c.channel,
        c.department,
        c.category,
        c.classification,
        c.kecamatan,
        c.kelurahan,
        c.status,
        c.has_verification_step,
        c.berkadar_pengawasan,
        c.satisfaction,
        c.is_duplicate,
        c.duplicate_cluster,
        c.reported_at,
        -- a timestamp later than the end of day A has not happened yet
        CASE WHEN c.verified_at       < $as_of_end THEN c.verified_at       END AS verified_at,
        CASE WHEN c.dispatched_at     < $as_of_end THEN c.dispatched_at     END AS dispatched_at,
        CASE WHEN c.first_response_at < $as_of_end THEN c.first_response_at END AS first_response_at,
        CASE WHEN c.resolved_at       < $as_of_end THEN c.resolved_at       END AS resolved_at
    FROM complaints AS c
    WHERE c.reported_at < $as_of_end
      -- the earliest report of a cluster stands for it
      AND NOT ($count_duplicates_once AND c.is_duplicate)
),

-- clock starts and limits --------------------------------------------------
clocked AS (
    SELECT
        k.*,
        CAST(k.reported_at AS DATE)                                        AS reported_date,
        CAST(date_trunc('month', k.reported_at) AS DATE)                   AS month,
        -- the OPD is measured from when it got the complaint
        coalesce(k.dispatched_at, k.verified_at, k.reported_at)            AS response_started_at,
        coalesce(st.is_excluded, false)                                    AS is_excluded,
        k.berkadar_pengawasan OR coalesce(cl.berkadar_pengawasan, false)   AS is_pengawasan,
        CAST($verification_limit AS INTEGER)                               AS verification_limit,
        CAST($response_limit AS INTEGER)                                   AS response_limit,
        CASE
            WHEN k.berkadar_pengawasan OR coalesce(cl.berkadar_pengawasan, false)
                THEN CAST($resolution_pengawasan_limit AS INTEGER)
            ELSE coalesce(cat.resolution_limit_days, CAST($resolution_limit AS INTEGER))
        END                                                                AS resolution_limit
    FROM scoped AS k
    LEFT JOIN statuses        AS st  ON st.status = k.status
    LEFT JOIN categories      AS cat ON cat.category = k.category
    LEFT JOIN classifications AS cl  ON cl.classification = k.classification
),

-- working-day index of each date (HK(a, b) = wd_index[b] - wd_index[a]) -----
indexed AS (
    SELECT
        k.*,
        r.wd_index  AS wd_reported,
        v.wd_index  AS wd_verified,
        rs.wd_index AS wd_response_started,
        fr.wd_index AS wd_first_response,
        rv.wd_index AS wd_resolved
    FROM clocked AS k
    LEFT JOIN calendar AS r  ON r.date  = k.reported_date
    LEFT JOIN calendar AS v  ON v.date  = CAST(k.verified_at AS DATE)
    LEFT JOIN calendar AS rs ON rs.date = CAST(k.response_started_at AS DATE)
    LEFT JOIN calendar AS fr ON fr.date = CAST(k.first_response_at AS DATE)
    LEFT JOIN calendar AS rv ON rv.date = CAST(k.resolved_at AS DATE)
),

durations AS (
    SELECT
        *,
        NOT is_excluded                            AS in_scope,
        wd_verified       - wd_reported            AS verification_days,
        wd_first_response - wd_response_started    AS response_days,
        wd_resolved       - wd_reported            AS resolution_days,
        -- HK(clock start, A): how long a still-open step has been waiting
        CAST($wd_as_of AS INTEGER) - wd_reported          AS age_days,
        CAST($wd_as_of AS INTEGER) - wd_response_started  AS response_age_days
    FROM indexed
)

SELECT
    complaint_key,
    source_system,
    channel,
    department,
    category,
    classification,
    kecamatan,
    kelurahan,
    status,
    has_verification_step,
    is_pengawasan,
    is_duplicate,
    duplicate_cluster,
    satisfaction,

    -- dates -----------------------------------------------------------------
    reported_at,
    reported_date,
    month,
    verified_at,
    dispatched_at,
    response_started_at,
    first_response_at,
    resolved_at,
    wd_reported,
    wd_response_started,

    -- limits and durations (hari kerja) ---------------------------------------
    verification_limit,
    response_limit,
    resolution_limit,
    verification_days,
    response_days,
    resolution_days,
    age_days,
    response_age_days,

    -- status at A -------------------------------------------------------------
    is_excluded,
    in_scope,
    in_scope AND verified_at IS NOT NULL                            AS is_verified,
    -- closed is not fixed: only a first response counts as responded
    in_scope AND first_response_at IS NOT NULL                      AS is_responded,
    in_scope AND resolved_at IS NOT NULL                            AS is_resolved,

    -- on time / late (open past the limit is late; open within it is undecided)
    coalesce(in_scope AND verification_days <= verification_limit, false) AS verification_on_time,
    coalesce(in_scope AND CASE
        WHEN verified_at IS NOT NULL THEN verification_days > verification_limit
        -- only sources with a verification step can be late for it
        ELSE has_verification_step AND age_days > verification_limit
    END, false)                                                     AS verification_late,
    coalesce(in_scope AND response_days <= response_limit, false)   AS response_on_time,
    coalesce(in_scope AND CASE
        WHEN first_response_at IS NOT NULL THEN response_days > response_limit
        ELSE response_age_days > response_limit
    END, false)                                                     AS response_late,
    coalesce(in_scope AND resolution_days <= resolution_limit, false) AS resolution_on_time,
    coalesce(in_scope AND CASE
        WHEN resolved_at IS NOT NULL THEN resolution_days > resolution_limit
        ELSE age_days > resolution_limit
    END, false)                                                     AS resolution_late,

    -- stock at A ----------------------------------------------------------------
    in_scope AND resolved_at IS NULL                                AS is_open,
    coalesce(in_scope AND resolved_at IS NULL AND age_days > resolution_limit, false) AS is_overdue,
    -- aging bucket i holds ages above the (i-1)-th upper bound, up to the i-th
    CASE WHEN in_scope AND resolved_at IS NULL THEN
        1 + len(list_filter(CAST($aging_bounds AS INTEGER[]), lambda b : age_days > b))
    END                                                             AS aging_index,
    CASE WHEN in_scope AND resolved_at IS NULL THEN
        CAST($aging_labels AS VARCHAR[])[
            1 + len(list_filter(CAST($aging_bounds AS INTEGER[]), lambda b : age_days > b))
        ]
    END                                                             AS aging_bucket,

    -- outcome -------------------------------------------------------------------
    in_scope AND coalesce(rf.is_repeat, false)                      AS is_repeat
FROM durations
LEFT JOIN repeat_flags AS rf USING (complaint_key)
