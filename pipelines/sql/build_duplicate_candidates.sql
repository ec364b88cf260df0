-- Candidate pairs for likely duplicates: a complaint from a hand-kept rekap
-- that was also typed into SP4N-LAPOR! (normally through "Form Manual").
--
-- Blocking keeps this linear: only pairs with the same department and
-- category whose reported dates are at most $window days apart (a day bucket
-- of $window days joined with its neighbours). Pairs whose kelurahan are both
-- known and differ are not the same complaint. (Reporter hashes are not used:
-- one source may hold the phone and the other the email of the same person.) Texts are scored afterwards (rapidfuzz, in Python, on these
-- pairs only).

CREATE TEMP TABLE dup_base AS
SELECT
    row_number() OVER (ORDER BY complaint_key) - 1 AS i,
    complaint_key,
    source_system,
    channel,
    department,
    category,
    kelurahan,
    reported_at,
    CAST(reported_at AS DATE) AS reported_date,
    (date_diff('day', DATE '1970-01-01', CAST(reported_at AS DATE))) // $window AS bucket,
    substr(trim(regexp_replace(lower(coalesce(title, '')), '[^a-z0-9]+', ' ', 'g')), 1, 300) AS dup_title,
    substr(trim(regexp_replace(lower(coalesce(body, '')), '[^a-z0-9]+', ' ', 'g')), 1, 300) AS dup_body
FROM complaints
WHERE department IS NOT NULL
    AND category IS NOT NULL
    AND (
        source_system = 'rekap'
        OR (source_system = 'lapor' AND (len($lapor_channels) = 0 OR list_contains($lapor_channels, channel)))
    );

CREATE TEMP TABLE dup_pairs AS
WITH rekap AS (
    SELECT
        *,
        unnest([bucket - 1, bucket, bucket + 1]) AS join_bucket
    FROM dup_base
    WHERE source_system = 'rekap'
)

SELECT
    r.i AS ia,
    l.i AS ib,
    abs(date_diff('day', r.reported_date, l.reported_date)) AS days
FROM rekap AS r
INNER JOIN dup_base AS l
    ON r.department = l.department
    AND r.category = l.category
    AND r.join_bucket = l.bucket
WHERE l.source_system = 'lapor'
    AND abs(date_diff('day', r.reported_date, l.reported_date)) <= $window
    AND NOT (r.kelurahan IS NOT NULL AND l.kelurahan IS NOT NULL AND r.kelurahan <> l.kelurahan)
    AND length(r.dup_title || r.dup_body) > 0
    AND length(l.dup_title || l.dup_body) > 0;
