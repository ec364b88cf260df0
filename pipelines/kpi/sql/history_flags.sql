-- history_flags: what the status history (complaint_status_history, one row
-- per complaint and input file) says about each complaint, independent of the
-- as-of date:
--   status_since  the export date of the first file of the trailing run of
--                 files carrying the complaint's current canonical status
--                 (the export that carried that status first);
--   label_since   the same for the current status label (its implied steps);
--   reopened_on   the export date of the first file carrying a non-resolved,
--                 non-excluded status after a file carrying `resolved`
--                 ("closed is not fixed": reopened by A when reopened_on <= A).
-- Files are ordered as the build merges them: by export date, then file name.
-- Complaints without history rows get no row (the facts fall back to
-- complaints.snapshot_date and "never reopened").
-- Inputs: complaint_status_history, complaints, statuses.

WITH

ordered AS (
    SELECT
        h.complaint_key,
        h.snapshot_date,
        h.status,
        h.status_label,
        coalesce(st.is_excluded, false)                                       AS is_excluded,
        h.status IS DISTINCT FROM c.status                                    AS other_status,
        h.status IS DISTINCT FROM c.status OR h.status_label IS DISTINCT FROM c.status_label
                                                                              AS other_label,
        row_number() OVER (
            PARTITION BY h.complaint_key ORDER BY h.snapshot_date, h.source_file, h.source_row
        )                                                                     AS seq
    FROM complaint_status_history AS h
    JOIN complaints AS c USING (complaint_key)
    LEFT JOIN statuses AS st ON st.status = h.status
),

marked AS (
    SELECT
        *,
        -- a file before this one carried `resolved`
        coalesce(bool_or(status = 'resolved') OVER (
            PARTITION BY complaint_key ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ), false)                                                             AS resolved_before,
        -- the last file carrying another status (label) than the current one
        coalesce(max(CASE WHEN other_status THEN seq END) OVER (PARTITION BY complaint_key), 0) AS last_other_status,
        coalesce(max(CASE WHEN other_label THEN seq END) OVER (PARTITION BY complaint_key), 0)  AS last_other_label
    FROM ordered
)

SELECT
    complaint_key,
    min(snapshot_date) FILTER (WHERE seq > last_other_status)                 AS status_since,
    min(snapshot_date) FILTER (WHERE seq > last_other_label)                  AS label_since,
    min(snapshot_date) FILTER (WHERE resolved_before AND status <> 'resolved' AND NOT is_excluded) AS reopened_on
FROM marked
GROUP BY complaint_key
