-- complaint_facts_all: the per-complaint model. One row per complaint reported
-- on or before the as-of date A, as it stood at the end of that day, with its
-- limits, working-day durations and on-time flags, before any scope filter
-- (complaint_facts applies those). Every KPI, breakdown and list selects from
-- this model; no KPI rule is written anywhere else.
-- The build stores this model for the snapshot's as-of date in the table
-- kpi_complaint_facts (pipelines.kpi.engine.materialize_facts); a query at that
-- as-of date with the stored settings reads the table instead.
-- "Status says whether, dates say when" (kpi-spec.md): every step
-- (verification, response, resolution) gets a state at A: 'dated' (its
-- timestamp <= A), 'undated' (no timestamp, but the current status, or the
-- source's label, implies the step, and an export dated <= A carried it),
-- 'not_done' (the status says it has not happened, or the source times the
-- step and has no date by A) or 'unknown'; sources without a verification
-- step have no verification state (NULL). Done = dated or undated; durations
-- and on-time terms use dated steps only, and only sources that time a step
-- can be late for it.
-- Inputs: complaints, calendar, categories, classifications, statuses,
--         repeat_flags, history_flags.
-- Parameters: the kpi_settings row (read first from the warehouse and bound
--             as values): $as_of, $as_of_end, $wd_as_of, $verification_limit,
--             $response_limit, $resolution_limit, $resolution_pengawasan_limit,
--             $count_duplicates_once, $aging_labels, $aging_bounds,
--             $due_soon_days.

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
        -- what the source of the current status can tell (profile timed_steps; the
        -- label's implied steps), and when an export first carried that status
        c.times_verification OR c.verified_at IS NOT NULL                 AS times_verification,
        c.times_response OR c.first_response_at IS NOT NULL               AS times_response,
        c.times_resolution OR c.resolved_at IS NOT NULL                   AS times_resolution,
        c.verified_at IS NULL                                             AS no_verified_date,
        c.first_response_at IS NULL                                       AS no_response_date,
        c.resolved_at IS NULL                                             AS no_resolved_date,
        coalesce(h.status_since, c.snapshot_date) <= CAST($as_of AS DATE) AS status_seen,
        coalesce(h.label_since, c.snapshot_date) <= CAST($as_of AS DATE)  AS label_seen,
        coalesce(c.status_implies, CAST([] AS VARCHAR[]))                 AS status_implies,
        h.reopened_on,
        -- a timestamp later than the end of day A has not happened yet
        CASE WHEN c.verified_at       < $as_of_end THEN c.verified_at       END AS verified_at,
        CASE WHEN c.dispatched_at     < $as_of_end THEN c.dispatched_at     END AS dispatched_at,
        CASE WHEN c.first_response_at < $as_of_end THEN c.first_response_at END AS first_response_at,
        CASE WHEN c.resolved_at       < $as_of_end THEN c.resolved_at       END AS resolved_at
    FROM complaints AS c
    LEFT JOIN history_flags AS h USING (complaint_key)
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

-- step states at A (see the header) ------------------------------------------
stated AS (
    SELECT
        *,
        CASE
            WHEN NOT has_verification_step THEN NULL
            WHEN verified_at IS NOT NULL THEN 'dated'
            WHEN no_verified_date AND (
                (status IN ('in_progress', 'resolved') AND status_seen)
                OR (list_contains(status_implies, 'verification') AND label_seen)) THEN 'undated'
            WHEN status = 'unverified' OR times_verification THEN 'not_done'
            ELSE 'unknown'
        END                                                              AS verification_state,
        CASE
            WHEN first_response_at IS NOT NULL THEN 'dated'
            WHEN no_response_date AND (
                (status = 'in_progress' AND status_seen)
                OR (list_contains(status_implies, 'response') AND label_seen)) THEN 'undated'
            WHEN status IN ('unverified', 'awaiting_response', 'postponed') OR times_response THEN 'not_done'
            ELSE 'unknown'
        END                                                              AS response_state,
        CASE
            WHEN resolved_at IS NOT NULL THEN 'dated'
            WHEN no_resolved_date AND (
                (status = 'resolved' AND status_seen)
                OR (list_contains(status_implies, 'resolution') AND label_seen)) THEN 'undated'
            WHEN status IN ('unverified', 'awaiting_response', 'postponed', 'in_progress') OR times_resolution
                THEN 'not_done'
            ELSE 'unknown'
        END                                                              AS resolution_state
    FROM indexed
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
    FROM stated
),

-- stock at A: open, and the next step's limit (response while it is not done
-- in a source that times it, else resolution) -----------------------------------
stock AS (
    SELECT
        *,
        in_scope AND resolution_state = 'not_done'                      AS open_at_as_of,
        CASE
            WHEN NOT in_scope OR resolution_state <> 'not_done' THEN NULL
            WHEN response_state = 'not_done' AND times_response THEN 'response'
            ELSE 'resolution'
        END                                                             AS next_step
    FROM durations
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

    -- step states at A: dated | undated | not_done | unknown (verification: NULL
    -- for sources without the step) and whether the source times the step -----
    verification_state,
    response_state,
    resolution_state,
    times_verification,
    times_response,
    times_resolution,

    -- limits and durations (hari kerja) ---------------------------------------
    verification_limit,
    response_limit,
    resolution_limit,
    verification_days,
    response_days,
    resolution_days,
    age_days,
    response_age_days,

    -- status at A: done = dated or undated -----------------------------------
    is_excluded,
    in_scope,
    in_scope AND verification_state IN ('dated', 'undated')         AS is_verified,
    -- closed is not fixed: only a first response (or a status implying one) counts as responded
    in_scope AND response_state IN ('dated', 'undated')             AS is_responded,
    in_scope AND resolution_state IN ('dated', 'undated')           AS is_resolved,

    -- on time / late: dated steps, and not-done steps of sources that time them
    -- (open past the limit is late; open within it is undecided)
    coalesce(in_scope AND verification_state = 'dated' AND verification_days <= verification_limit, false)
                                                                    AS verification_on_time,
    coalesce(in_scope AND CASE verification_state
        WHEN 'dated' THEN verification_days > verification_limit
        WHEN 'not_done' THEN times_verification AND age_days > verification_limit
    END, false)                                                     AS verification_late,
    coalesce(in_scope AND response_state = 'dated' AND response_days <= response_limit, false)
                                                                    AS response_on_time,
    coalesce(in_scope AND CASE response_state
        WHEN 'dated' THEN response_days > response_limit
        WHEN 'not_done' THEN times_response AND response_age_days > response_limit
    END, false)                                                     AS response_late,
    coalesce(in_scope AND resolution_state = 'dated' AND resolution_days <= resolution_limit, false)
                                                                    AS resolution_on_time,
    coalesce(in_scope AND CASE resolution_state
        WHEN 'dated' THEN resolution_days > resolution_limit
        WHEN 'not_done' THEN times_resolution AND age_days > resolution_limit
    END, false)                                                     AS resolution_late,

    -- stock at A ----------------------------------------------------------------
    open_at_as_of                                                   AS is_open,
    coalesce(open_at_as_of AND age_days > resolution_limit, false)  AS is_overdue,
    -- aging bucket i holds ages above the (i-1)-th upper bound, up to the i-th
    CASE WHEN open_at_as_of THEN
        1 + len(list_filter(CAST($aging_bounds AS INTEGER[]), lambda b : age_days > b))
    END                                                             AS aging_index,
    CASE WHEN open_at_as_of THEN
        CAST($aging_labels AS VARCHAR[])[
            1 + len(list_filter(CAST($aging_bounds AS INTEGER[]), lambda b : age_days > b))
        ]
    END                                                             AS aging_bucket,
    -- the next step, the working days left to its limit (0: the limit is today;
    -- late from the next working day) and due_soon: not late, limit within N HK
    next_step,
    CASE next_step
        WHEN 'response' THEN response_limit - response_age_days
        WHEN 'resolution' THEN resolution_limit - age_days
    END                                                             AS next_step_days_left,
    CASE next_step
        WHEN 'response' THEN wd_response_started + response_limit
        WHEN 'resolution' THEN wd_reported + resolution_limit
    END                                                             AS wd_next_step_due,
    coalesce(CASE next_step
        WHEN 'response' THEN response_limit - response_age_days
        WHEN 'resolution' THEN resolution_limit - age_days
    END BETWEEN 0 AND CAST($due_soon_days AS INTEGER), false)       AS is_due_soon,

    -- outcome -------------------------------------------------------------------
    in_scope AND coalesce(rf.is_repeat, false)                      AS is_repeat,
    -- closed is not fixed: resolved in one export, not resolved (nor excluded) in a later one, by A
    CASE WHEN reopened_on <= CAST($as_of AS DATE) THEN reopened_on END AS reopened_on,
    coalesce(in_scope AND reopened_on <= CAST($as_of AS DATE), false) AS is_reopened
FROM stock
LEFT JOIN repeat_flags AS rf USING (complaint_key)
