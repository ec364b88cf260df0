-- early_warning: open steps of complaints that pass their limit on the next
-- working day after A (HK(clock start, A) = limit today), one row per step.
-- Inputs: complaint_facts, complaints, calendar.

WITH

steps AS (
    SELECT complaint_key, 'verification' AS step, age_days AS days_elapsed, verification_limit AS limit_days,
           wd_reported AS wd_start
    FROM complaint_facts
    WHERE in_scope AND NOT is_verified AND has_verification_step AND age_days = verification_limit
    UNION ALL
    SELECT complaint_key, 'response', response_age_days, response_limit, wd_response_started
    FROM complaint_facts
    WHERE in_scope AND NOT is_responded AND response_age_days = response_limit
    UNION ALL
    SELECT complaint_key, 'resolution', age_days, resolution_limit, wd_reported
    FROM complaint_facts
    WHERE in_scope AND NOT is_resolved AND age_days = resolution_limit
)

SELECT
    s.complaint_key,
    c.source_id,
    s.step,
    CASE s.step
        WHEN 'verification' THEN 'verifikasi'
        WHEN 'response' THEN 'tindak lanjut pertama'
        ELSE 'penyelesaian'
    END                                                       AS step_label,
    s.days_elapsed,
    s.limit_days,
    (SELECT min(d.date) FROM calendar AS d
     WHERE d.is_working_day AND d.wd_index = s.wd_start + s.limit_days)     AS due_date,
    (SELECT min(d.date) FROM calendar AS d
     WHERE d.is_working_day AND d.wd_index = s.wd_start + s.limit_days + 1) AS late_from,
    f.status,
    f.department,
    f.category,
    f.channel,
    f.kecamatan,
    f.kelurahan,
    f.reported_at,
    CASE WHEN c.is_confidential THEN NULL ELSE c.title END    AS title
FROM steps AS s
JOIN complaint_facts AS f USING (complaint_key)
JOIN complaints AS c USING (complaint_key)
ORDER BY due_date, s.complaint_key, s.step
