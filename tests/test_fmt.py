import datetime as dt

from pipelines import fmt


def test_number_uses_indonesian_separators():
    assert fmt.number(1234.5, 1) == "1.234,5"
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(None) == "–"


def test_percent_and_null_rate():
    assert fmt.percent(0.8754) == "87,5%"
    assert fmt.percent(2 / 3, 2) == "66,67%"
    assert fmt.percent(None) == "–"


def test_dates_in_bahasa_indonesia():
    assert fmt.date_long(dt.date(2024, 7, 8)) == "8 Juli 2024"
    assert fmt.date_long("2025-08-17") == "17 Agustus 2025"
    assert fmt.month_label("2024-12") == "Desember 2024"
    assert fmt.month_label("2024-08", short=True) == "Agu 2024"


def test_signed_and_days():
    assert fmt.signed(3.14) == "+3,1"
    assert fmt.signed(-2) == "−2,0"
    assert fmt.days(3.5) == "3,5 HK"
    assert fmt.days(5.0) == "5 HK"
