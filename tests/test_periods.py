import datetime as dt

import pytest

from pipelines.periods import Period, PeriodError, parse_period, range_label

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31), "tahun", "Tahun 2025"),
        ("2025-S1", D(2025, 1, 1), D(2025, 6, 30), "semester", "Semester I 2025"),
        ("2025-s2", D(2025, 7, 1), D(2025, 12, 31), "semester", "Semester II 2025"),
        ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30), "triwulan", "Triwulan III 2025"),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "triwulan", "Triwulan I 2024"),
        ("2025-T4", D(2025, 10, 1), D(2025, 12, 31), "triwulan", "Triwulan IV 2025"),
        ("2025-07", D(2025, 7, 1), D(2025, 7, 31), "bulan", "Juli 2025"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "bulan", "Februari 2024"),
        ("2025-07-01..2025-09-30", D(2025, 7, 1), D(2025, 9, 30), "triwulan", "Triwulan III 2025"),
        ("2025-07-01..2025-09-15", D(2025, 7, 1), D(2025, 9, 15), "kustom", "1 Juli – 15 September 2025"),
        ("2025-07-01 .. 2025-07-15", D(2025, 7, 1), D(2025, 7, 15), "kustom", "1 – 15 Juli 2025"),
        ("2024-12-01..2025-01-31", D(2024, 12, 1), D(2025, 1, 31), "kustom", "1 Desember 2024 – 31 Januari 2025"),
        ("2025-07-04", D(2025, 7, 4), D(2025, 7, 4), "kustom", "4 Juli 2025"),
    ],
)
def test_parse(text, start, end, kind, label):
    p = parse_period(text)
    assert (p.start, p.end, p.kind, p.label) == (start, end, kind, label)
    assert str(p) == label
    assert parse_period(p.key) == p


def test_custom_label_example_from_brief():
    assert range_label(D(2025, 7, 1), D(2025, 9, 30)) == "1 Juli – 30 September 2025"
    assert Period.custom(D(2025, 7, 1), D(2025, 9, 30)).label == "1 Juli – 30 September 2025"


@pytest.mark.parametrize(
    ("text", "prev", "last_year"),
    [
        ("2025", "2024", "2024"),
        ("2025-S1", "2024-S2", "2024-S1"),
        ("2025-S2", "2025-S1", "2024-S2"),
        ("2025-Q1", "2024-Q4", "2024-Q1"),
        ("2025-Q3", "2025-Q2", "2024-Q3"),
        ("2025-01", "2024-12", "2024-01"),
        ("2025-03", "2025-02", "2024-03"),
        ("2025-07-10..2025-07-19", "2025-06-30..2025-07-09", "2024-07-10..2024-07-19"),
        ("2024-02-29", "2024-02-28", "2023-02-28"),
    ],
)
def test_previous_and_same_period_last_year(text, prev, last_year):
    p = parse_period(text)
    assert p.previous() == parse_period(prev)
    assert p.same_period_last_year() == parse_period(last_year)
    if p.kind == "kustom":
        assert p.previous().days == p.days
        assert p.previous().end == p.start - dt.timedelta(days=1)


@pytest.mark.parametrize(
    "text", ["", "2025-Q5", "2025-S3", "2025-13", "25", "2025/07", "2025-02-30", "2025-09-30..2025-07-01", "Juli"]
)
def test_bad_periods_explain_the_formats(text):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    msg = str(exc.value)
    assert isinstance(exc.value, ValueError)
    assert any(w in msg for w in ("tidak dikenali", "tidak ada", "terbalik"))


def test_from_dates_detects_calendar_units():
    assert Period.from_dates(D(2024, 4, 1), D(2024, 6, 30)).kind == "triwulan"
    assert Period.from_dates(D(2024, 2, 1), D(2024, 4, 30)).kind == "kustom"  # three months, not a quarter
    assert Period.from_dates(D(2024, 7, 1), D(2024, 12, 31)).label == "Semester II 2024"
    assert Period.from_dates(D(2024, 1, 1), D(2024, 12, 31)).previous() == Period.year(2023)
    assert Period.from_dates(D(2024, 3, 1), D(2024, 3, 31)).previous() == Period.month(2024, 2)
    assert Period.from_dates(D(2024, 3, 1), D(2024, 3, 30)).previous().days == 30
