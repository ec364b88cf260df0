-- The quarantine table: every blocking finding (q_issues) with its status.
--
-- q_issues: blocking findings of the staged rows (file_hash, sheet, source_row,
-- complaint_key, file_order, field, column_name, rule, observed, message).
-- stg_rows: the rows that loaded.
--
-- A held row is released when a later (or same-date) file loaded the same
-- complaint: a corrected export. Released rows stay listed for the record.

INSERT INTO quarantine BY NAME
WITH rel AS (
    SELECT q.file_hash, q.sheet, q.source_row, min_by(s.file_name, s.file_order) AS released_by
    FROM (SELECT DISTINCT file_hash, sheet, source_row, complaint_key, file_order
          FROM q_issues WHERE complaint_key IS NOT NULL) AS q
    INNER JOIN stg_rows AS s
        ON s.complaint_key = q.complaint_key
        AND s.file_hash <> q.file_hash
        AND s.file_order >= q.file_order
    GROUP BY ALL
)

SELECT
    q.file_hash, q.file_name, q.sheet, q.source_row, q.complaint_key, q.source_id, q.field,
    q.column_name, q.rule, q.observed, q.message,
    CASE WHEN rel.released_by IS NULL THEN 'held' ELSE 'released' END AS status,
    rel.released_by
FROM q_issues AS q
LEFT JOIN rel
    ON rel.file_hash = q.file_hash
    AND rel.source_row = q.source_row
    AND rel.sheet IS NOT DISTINCT FROM q.sheet;
