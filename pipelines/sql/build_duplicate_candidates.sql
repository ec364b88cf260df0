-- Candidate pairs for likely duplicates: a complaint kept by hand (a profile with
-- `duplicates: {role: local}`, e.g. a rekap) that was also typed into the central system
-- (`role: central`, SP4N-LAPOR!, normally through "Form Manual").
--
-- dup_roles: one row per mapping profile that takes part (profile, role, channels), written
-- by pipelines/build/duplicates.py from config/profiles/*.yaml. Pairs are always local x central.
--
-- Blocking keeps this linear: only pairs with the same department and
-- category whose reported dates are at most $window days apart (a day bucket
-- of $window days joined with its neighbours). Pairs whose kelurahan are both
-- known and differ are not the same complaint. (Reporter hashes are not used:
-- one source may hold the phone and the other the email of the same person.) Texts are scored afterwards (rapidfuzz, in Python, on these
-- pairs only).

CREATE TEMP TABLE dup_base AS
SELECT
    row_number() OVER (ORDER BY c.complaint_key) - 1 AS i,
    c.complaint_key,
    c.source_system,
    r.role AS dup_role,
    c.channel,
    c.department,
    c.category,
    c.kelurahan,
    c.reported_at,
    CAST(c.reported_at AS DATE) AS reported_date,
    (date_diff('day', DATE '1970-01-01', CAST(c.reported_at AS DATE))) // $window AS bucket,
    substr(trim(regexp_replace(lower(coalesce(c.title, '')), '[^a-z0-9]+', ' ', 'g')), 1, 300) AS dup_title,
    substr(trim(regexp_replace(lower(coalesce(c.body, '')), '[^a-z0-9]+', ' ', 'g')), 1, 300) AS dup_body
FROM complaints AS c
INNER JOIN dup_roles AS r ON r.profile = c.profile
WHERE c.department IS NOT NULL
    AND c.category IS NOT NULL
    AND (r.role = 'local' OR len(r.channels) = 0 OR list_contains(r.channels, c.channel));

CREATE TEMP TABLE dup_pairs AS
WITH local_rows AS (
    SELECT
        *,
        unnest([bucket - 1, bucket, bucket + 1]) AS join_bucket
    FROM dup_base
    WHERE dup_role = 'local'
)

SELECT
    r.i AS ia,
    l.i AS ib,
    abs(date_diff('day', r.reported_date, l.reported_date)) AS days
FROM local_rows AS r
INNER JOIN dup_base AS l
    ON r.department = l.department
    AND r.category = l.category
    AND r.join_bucket = l.bucket
WHERE l.dup_role = 'central'
    AND abs(date_diff('day', r.reported_date, l.reported_date)) <= $window
    AND NOT (r.kelurahan IS NOT NULL AND l.kelurahan IS NOT NULL AND r.kelurahan <> l.kelurahan)
    AND length(r.dup_title || r.dup_body) > 0
    AND length(l.dup_title || l.dup_body) > 0;
