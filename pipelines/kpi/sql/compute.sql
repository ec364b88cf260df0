-- compute: every row the KPI contract needs, in one statement: the whole
-- scope ('total'), each breakdown, and the zero-filled months.
-- Inputs: breakdown, by_month.

SELECT * FROM breakdown WHERE dimension <> 'month'
UNION ALL BY NAME
SELECT * FROM by_month
