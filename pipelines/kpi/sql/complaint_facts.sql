-- complaint_facts: complaint_facts_all within the scope filters. Filters only
-- select complaints; they never change a complaint's facts (repeats, for one,
-- are found over every complaint).
-- Inputs: complaint_facts_all (the model, or the build's kpi_complaint_facts
--         table at the snapshot's as-of date).
-- Parameters: $f_department, $f_category, $f_channel, $f_kecamatan,
--             $f_kelurahan, $f_classification (VARCHAR[]; NULL = no filter).

SELECT *
FROM complaint_facts_all AS f
WHERE (CAST($f_department AS VARCHAR[]) IS NULL
       OR list_contains(CAST($f_department AS VARCHAR[]), f.department))
  AND (CAST($f_category AS VARCHAR[]) IS NULL
       OR list_contains(CAST($f_category AS VARCHAR[]), f.category))
  AND (CAST($f_channel AS VARCHAR[]) IS NULL
       OR list_contains(CAST($f_channel AS VARCHAR[]), f.channel))
  AND (CAST($f_kecamatan AS VARCHAR[]) IS NULL
       OR list_contains(CAST($f_kecamatan AS VARCHAR[]), f.kecamatan))
  AND (CAST($f_kelurahan AS VARCHAR[]) IS NULL
       OR list_contains(CAST($f_kelurahan AS VARCHAR[]), f.kelurahan))
  AND (CAST($f_classification AS VARCHAR[]) IS NULL
       OR list_contains(CAST($f_classification AS VARCHAR[]), f.classification))
