-- Merge the validated rows of every snapshot (stg_rows) into the curated tables.
--
-- stg_rows: one row per loaded file row, with file_hash, file_name,
-- file_order (files ordered by snapshot date, then name), snapshot_date,
-- profile, source_system, has_verification_step and the canonical fields.
--
-- Rules (complaint-lifecycle.md): the latest snapshot wins for status, label,
-- department, category and channel; each timestamp takes the value of the
-- latest snapshot where it is not null (a later null never erases it, a later
-- different value corrects it); descriptive fields take the latest non-null.
-- times_<step> and status_implies come with the status, from the latest snapshot.
-- Reopened: an open status (not resolved, not archived/not_authority) in an
-- export whose profile dates resolution (times_resolution) means the closing
-- date no longer holds, so resolved_at takes only values from that export on
-- (a closing date written in that same export still counts and is flagged by
-- the curated rule resolved_date_open_status). pipelines/build/contradictions.py
-- applies the same cut before checking the merged dates.

INSERT INTO complaint_status_history BY NAME
SELECT
    complaint_key,
    file_hash AS snapshot_id,
    snapshot_date,
    file_name AS source_file,
    source_row,
    status,
    status_label,
    department,
    verified_at,
    dispatched_at,
    first_response_at,
    resolved_at,
    archived_at,
    times_verification,
    times_response,
    times_resolution,
    status_implies
FROM stg_rows;

INSERT INTO complaints BY NAME
WITH ordered AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY complaint_key ORDER BY file_order, sheet NULLS FIRST, source_row) AS seq
    FROM stg_rows
),

reopened AS (
    -- the last export that reopened the complaint: open status, resolution dated by the profile
    SELECT complaint_key, max(seq) AS reopened_seq
    FROM ordered
    WHERE times_resolution
      AND status <> 'resolved'
      AND status IN (SELECT status FROM statuses WHERE NOT is_excluded)
    GROUP BY complaint_key
),

latest AS (
    SELECT *
    FROM ordered
    QUALIFY seq = max(seq) OVER (PARTITION BY complaint_key)
),

merged AS (
    SELECT
        complaint_key,
        -- ---- timestamps: latest non-null
        arg_max(reported_at, seq) FILTER (WHERE reported_at IS NOT NULL) AS reported_at,
        arg_max(verified_at, seq) FILTER (WHERE verified_at IS NOT NULL) AS verified_at,
        arg_max(dispatched_at, seq) FILTER (WHERE dispatched_at IS NOT NULL) AS dispatched_at,
        arg_max(first_response_at, seq) FILTER (WHERE first_response_at IS NOT NULL) AS first_response_at,
        arg_max(resolved_at, seq) FILTER (WHERE resolved_at IS NOT NULL AND seq >= coalesce(r.reopened_seq, 0))
            AS resolved_at,
        arg_max(archived_at, seq) FILTER (WHERE archived_at IS NOT NULL) AS archived_at,
        -- ---- descriptive fields: latest non-null
        arg_max(classification, seq) FILTER (WHERE classification IS NOT NULL) AS classification,
        arg_max(berkadar_pengawasan, seq) FILTER (WHERE classification IS NOT NULL) AS berkadar_pengawasan,
        arg_max(kecamatan, seq) FILTER (WHERE kecamatan IS NOT NULL) AS kecamatan,
        arg_max(kelurahan, seq) FILTER (WHERE kelurahan IS NOT NULL) AS kelurahan,
        arg_max(title, seq) FILTER (WHERE title IS NOT NULL) AS title,
        arg_max(body, seq) FILTER (WHERE body IS NOT NULL) AS body,
        arg_max(location, seq) FILTER (WHERE location IS NOT NULL) AS location,
        arg_max(is_anonymous, seq) FILTER (WHERE is_anonymous IS NOT NULL) AS is_anonymous,
        arg_max(is_confidential, seq) FILTER (WHERE is_confidential IS NOT NULL) AS is_confidential,
        arg_max(reporter_hash, seq) FILTER (WHERE reporter_hash IS NOT NULL) AS reporter_hash,
        arg_max(satisfaction, seq) FILTER (WHERE satisfaction IS NOT NULL) AS satisfaction,
        arg_max(source_category_id, seq) FILTER (WHERE source_category_id IS NOT NULL) AS source_category_id,
        arg_max(parent_agency, seq) FILTER (WHERE parent_agency IS NOT NULL) AS parent_agency,
        arg_max(province, seq) FILTER (WHERE province IS NOT NULL) AS province,
        arg_max(regency, seq) FILTER (WHERE regency IS NOT NULL) AS regency,
        -- ---- lineage
        arg_min(file_hash, seq) AS first_snapshot_id
    FROM ordered
    LEFT JOIN reopened AS r USING (complaint_key)
    GROUP BY complaint_key
)

SELECT
    l.complaint_key,
    l.source_system,
    l.source_id,
    l.profile,
    l.has_verification_step,
    m.reported_at,
    m.verified_at,
    m.dispatched_at,
    m.first_response_at,
    m.resolved_at,
    m.archived_at,
    -- ---- latest snapshot wins
    l.status,
    l.status_label,
    m.classification,
    l.category,
    l.channel,
    l.department,
    l.department_raw,
    l.source_department_id,
    m.parent_agency,
    m.source_category_id,
    m.province,
    m.regency,
    l.status_reason,
    m.kecamatan,
    m.kelurahan,
    m.title,
    m.body,
    m.location,
    coalesce(m.is_anonymous, FALSE) AS is_anonymous,
    coalesce(m.is_confidential, FALSE) AS is_confidential,
    coalesce(m.berkadar_pengawasan, FALSE) AS berkadar_pengawasan,
    m.reporter_hash,
    m.satisfaction,
    NULL AS duplicate_cluster,
    FALSE AS is_duplicate,
    m.first_snapshot_id,
    l.file_hash AS last_snapshot_id,
    l.snapshot_date,
    l.file_name AS source_file,
    l.source_row,
    -- ---- which steps the source of the current status dates, and what its label implies
    l.times_verification,
    l.times_response,
    l.times_resolution,
    l.status_implies
FROM latest AS l
INNER JOIN merged AS m USING (complaint_key);
