-- complaint_list: one row per complaint for lists and drill-downs: status,
-- dates, working days per step, limits and flags. No reporter data; title and
-- body are the redacted ones, and blank for rahasia (confidential) reports.
-- Inputs: complaint_facts, complaints, statuses, calendar.
-- Parameters: $date_from, $date_to (DATE or NULL = no period), $status
--             (VARCHAR[] or NULL), $only (NULL | 'overdue' | 'open' |
--             'due_soon' | 'reopened'), $order ('reported' | 'age' | 'due' |
--             'reopened'), $limit, $offset.

WITH

selected AS (
    SELECT f.*
    FROM complaint_facts AS f
    WHERE (CAST($date_from AS DATE) IS NULL OR f.reported_date >= CAST($date_from AS DATE))
      AND (CAST($date_to AS DATE) IS NULL OR f.reported_date <= CAST($date_to AS DATE))
      AND (CAST($status AS VARCHAR[]) IS NULL OR list_contains(CAST($status AS VARCHAR[]), f.status))
      AND (CAST($only AS VARCHAR) IS NULL
           OR (CAST($only AS VARCHAR) = 'overdue' AND f.is_overdue)
           OR (CAST($only AS VARCHAR) = 'open' AND f.is_open)
           OR (CAST($only AS VARCHAR) = 'due_soon' AND f.is_due_soon)
           OR (CAST($only AS VARCHAR) = 'reopened' AND f.is_reopened))
),

page AS (
    SELECT
        *,
        count(*) OVER () AS total_rows
    FROM selected
    ORDER BY
        CASE WHEN CAST($order AS VARCHAR) = 'age' THEN age_days END DESC NULLS LAST,
        CASE WHEN CAST($order AS VARCHAR) = 'due' THEN next_step_days_left END ASC NULLS LAST,
        CASE WHEN CAST($order AS VARCHAR) = 'reopened' THEN reopened_on END DESC NULLS LAST,
        reported_at DESC,
        complaint_key
    LIMIT CAST($limit AS BIGINT) OFFSET CAST($offset AS BIGINT)
)

SELECT
    p.complaint_key,
    c.source_system,
    c.source_id,
    p.status,
    st.label                                                 AS status_label,
    p.channel,
    p.department,
    p.category,
    p.classification,
    p.kecamatan,
    p.kelurahan,
    CASE WHEN c.is_confidential THEN NULL ELSE c.title END   AS title,
    CASE WHEN c.is_confidential THEN NULL ELSE c.body END    AS body,
    c.is_confidential,
    p.reported_at,
    p.verified_at,
    p.dispatched_at,
    p.first_response_at,
    p.resolved_at,
    p.verification_days,
    p.response_days,
    p.resolution_days,
    p.age_days,
    p.verification_limit,
    p.response_limit,
    p.resolution_limit,
    -- last working day on which the complaint is still resolved on time
    (SELECT min(d.date) FROM calendar AS d
     WHERE d.is_working_day AND d.wd_index = p.wd_reported + p.resolution_limit) AS resolution_due_date,
    -- step states at A (dated | undated | not_done | unknown; verification NULL without the step)
    p.verification_state,
    p.response_state,
    p.resolution_state,
    -- the next step of an open complaint, its limit and the working days left (0: due today)
    p.next_step,
    CASE p.next_step WHEN 'response' THEN 'tindak lanjut pertama' WHEN 'resolution' THEN 'penyelesaian' END
                                                             AS next_step_label,
    p.next_step_days_left,
    (SELECT min(d.date) FROM calendar AS d
     WHERE d.is_working_day AND d.wd_index = p.wd_next_step_due) AS next_step_due_date,
    p.is_due_soon,
    p.reopened_on,
    p.is_reopened,
    p.in_scope,
    p.is_open,
    p.is_overdue,
    p.verification_on_time,
    p.verification_late,
    p.response_on_time,
    p.response_late,
    p.resolution_on_time,
    p.resolution_late,
    p.is_duplicate,
    p.duplicate_cluster,
    p.is_repeat,
    p.satisfaction,
    p.total_rows
FROM page AS p
JOIN complaints AS c USING (complaint_key)
LEFT JOIN statuses AS st ON st.status = p.status
ORDER BY
    CASE WHEN CAST($order AS VARCHAR) = 'age' THEN p.age_days END DESC NULLS LAST,
    CASE WHEN CAST($order AS VARCHAR) = 'due' THEN p.next_step_days_left END ASC NULLS LAST,
    CASE WHEN CAST($order AS VARCHAR) = 'reopened' THEN p.reopened_on END DESC NULLS LAST,
    p.reported_at DESC,
    p.complaint_key
