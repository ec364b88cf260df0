-- repeat_flags: an in-scope complaint is a repeat when the same reporter
-- (reporter_hash) filed an earlier in-scope complaint in the same category at
-- most 60 calendar days before it (by reported date; "earlier" orders by
-- reported_at, then complaint_key).
-- Computed over every complaint: scope filters never change the rule.
-- Likely duplicates are the same complaint, not a repeat: they neither are nor
-- make repeats. Complaints without a reporter_hash or category are never repeats.
-- Only complaints reported from $repeat_from on get a flag (NULL: all), so a
-- query about one period does not sort the whole history.
-- Inputs: complaints, statuses.
-- Parameters: $repeat_from (DATE or NULL).

WITH

excluded_statuses AS (
    SELECT status FROM statuses WHERE is_excluded
),

candidates AS (
    SELECT
        complaint_key,
        reporter_hash,
        category,
        reported_at
    FROM complaints
    WHERE reporter_hash IS NOT NULL
      AND category IS NOT NULL
      AND NOT is_duplicate
      AND status NOT IN (SELECT status FROM excluded_statuses)
      AND (CAST($repeat_from AS DATE) IS NULL
           OR reported_at >= CAST($repeat_from AS DATE) - INTERVAL 60 DAY)
),

with_previous AS (
    SELECT
        complaint_key,
        reported_at,
        lag(reported_at) OVER (
            PARTITION BY reporter_hash, category
            ORDER BY reported_at, complaint_key
        ) AS previous_reported_at
    FROM candidates
)

SELECT
    complaint_key,
    true AS is_repeat
FROM with_previous
WHERE previous_reported_at IS NOT NULL
  AND (CAST($repeat_from AS DATE) IS NULL OR reported_at >= CAST($repeat_from AS DATE))
  AND date_diff('day', CAST(previous_reported_at AS DATE), CAST(reported_at AS DATE)) <= 60
