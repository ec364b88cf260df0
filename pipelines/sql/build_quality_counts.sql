-- Per-file reconciliation counts (rows_read = loaded + quarantined + skipped is checked in
-- pipelines/build/quality.py) and the rule counts of quality_rules.
--
-- Inputs: stg_rows, q_issues, quarantine, warnings. Output: temp table quality_counts and
-- the rows of quality_rules.

CREATE TEMP TABLE quality_counts AS
SELECT
    f.file_hash,
    (SELECT count(*) FROM stg_rows s WHERE s.file_hash = f.file_hash) AS loaded,
    (SELECT count(*) FROM (SELECT DISTINCT sheet, source_row FROM quarantine q WHERE q.file_hash = f.file_hash))
        AS quarantined,
    (SELECT count(*) FROM (SELECT DISTINCT sheet, source_row FROM quarantine q
                           WHERE q.file_hash = f.file_hash AND q.status = 'released')) AS released,
    (SELECT count(*) FROM (SELECT DISTINCT sheet, source_row FROM warnings w
                           WHERE w.file_hash = f.file_hash AND w.layer = 'staging')) AS warned,
    (SELECT count(*) FROM warnings w WHERE w.file_hash = f.file_hash AND w.layer <> 'curated') AS n_warnings
FROM (SELECT DISTINCT file_hash FROM stg_rows UNION SELECT DISTINCT file_hash FROM q_issues) AS f;

INSERT INTO quality_rules
SELECT file_hash, file_name, rule, 'blocking', count(DISTINCT (sheet, source_row)) FROM quarantine
GROUP BY ALL
UNION ALL
SELECT file_hash, file_name, rule, 'warning', count(*) FROM warnings GROUP BY ALL;
