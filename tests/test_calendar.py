import datetime as dt
import shutil

import duckdb
import pytest

from pipelines.calendar import build_calendar, read_overrides, working_days_between
from pipelines.masterdata import ConfigError, load_master_data
from pipelines.settings import DEFAULT_CONFIG_DIR
from pipelines.warehouse import create_schema, load_master_tables

D = dt.date
START, END = D(2024, 1, 1), D(2025, 12, 31)


def _calendar(md=None, off=True, start=START, end=END):
    md = md or load_master_data(DEFAULT_CONFIG_DIR)
    con = duckdb.connect()
    create_schema(con)
    load_master_tables(con, md)
    build_calendar(con, md, start, end, cuti_bersama_is_day_off=off)
    return con


@pytest.fixture(scope="module")
def cal_default():
    return _calendar(off=True)


@pytest.fixture(scope="module")
def cal_cuti_worked():
    return _calendar(off=False)


def _day(con, d):
    return con.execute("SELECT is_working_day, holiday_name, kind FROM calendar WHERE date = ?", [d]).fetchone()


def test_holiday_check_of_the_spec_under_both_settings(cal_default, cal_cuti_worked):
    # Friday 2024-03-08 -> Wednesday 2024-03-13: Nyepi on 11th, cuti bersama on 12th
    assert working_days_between(cal_default, D(2024, 3, 8), D(2024, 3, 13)) == 1
    assert working_days_between(cal_cuti_worked, D(2024, 3, 8), D(2024, 3, 13)) == 2
    assert _day(cal_default, D(2024, 3, 11)) == (False, "Hari Suci Nyepi", "libur nasional")
    assert _day(cal_default, D(2024, 3, 12)) == (False, "Cuti Bersama Hari Suci Nyepi", "cuti bersama")
    # cuti bersama that are worked keep their kind and name
    assert _day(cal_cuti_worked, D(2024, 3, 12)) == (True, "Cuti Bersama Hari Suci Nyepi", "cuti bersama")
    assert _day(cal_cuti_worked, D(2024, 3, 11)) == (False, "Hari Suci Nyepi", "libur nasional")


def test_working_day_semantics_of_the_spec(cal_default):
    hk = working_days_between
    assert hk(cal_default, D(2024, 7, 8), D(2024, 7, 8)) == 0  # same day
    assert hk(cal_default, D(2024, 7, 13), D(2024, 7, 15)) == 1  # Saturday -> Monday
    assert hk(cal_default, D(2024, 7, 8), D(2024, 7, 15)) == 5  # Monday -> next Monday
    assert hk(cal_default, D(2024, 7, 9), D(2024, 7, 24)) == 11  # worked example, no holidays
    assert hk(cal_default, D(2024, 8, 16), D(2024, 8, 19)) == 1  # 17 August is a Saturday anyway
    # Idul Fitri 2024: 8-15 April are all days off with the default setting
    assert hk(cal_default, D(2024, 4, 5), D(2024, 4, 16)) == 1


def test_kinds_and_weekends(cal_default):
    assert _day(cal_default, D(2024, 7, 6)) == (False, None, "akhir pekan")
    assert _day(cal_default, D(2024, 7, 8)) == (True, None, "hari kerja")
    # a holiday on a Sunday keeps its holiday kind and is not a working day
    assert _day(cal_default, D(2024, 7, 7)) == (False, "Tahun Baru Islam", "libur nasional")
    # election day (public category) is a day off
    assert _day(cal_default, D(2024, 2, 14))[0:2] == (False, "Hari Pemilihan Umum")
    kinds = {r[0] for r in cal_default.execute("SELECT DISTINCT kind FROM calendar").fetchall()}
    assert kinds == {"hari kerja", "akhir pekan", "libur nasional", "cuti bersama"}


def test_wd_index_is_the_running_count_of_working_days(cal_default):
    rows = cal_default.execute("SELECT date, is_working_day, wd_index FROM calendar ORDER BY date").fetchall()
    assert rows[0][0] == D(2024, 1, 1) and rows[-1][0] == D(2025, 12, 31)
    assert len(rows) == 731
    running = 0
    for d, working, idx in rows:
        running += working
        assert idx == running, d
        # independent rule: Monday-Friday and not a listed day off
        assert working == (d.weekday() < 5 and _day(cal_default, d)[2] in ("hari kerja",)), d
    # 2024: 262 weekdays, minus 14 weekday libur nasional and 10 weekday cuti bersama
    assert cal_default.execute("SELECT count(*) FROM calendar WHERE is_working_day AND year(date) = 2024").fetchone()[0] == 262 - 24


def _config_with_overrides(tmp_path, text):
    cdir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cdir)
    (cdir / "calendar_overrides.yaml").write_text(text, encoding="utf-8")
    return load_master_data(cdir)


def test_overrides_add_and_remove(tmp_path):
    md = _config_with_overrides(
        tmp_path,
        "add:\n"
        "  - {date: 2024-07-10, name: Hari Jadi Kota, kind: libur daerah}\n"
        "  - {date: 2024-07-11, name: Cuti Bersama Tambahan, kind: cuti bersama}\n"
        "remove:\n"
        "  - 2024-12-26\n"
        "  - {date: 2024-03-11}\n",
    )
    con = _calendar(md, off=True)
    assert _day(con, D(2024, 7, 10)) == (False, "Hari Jadi Kota", "libur daerah")
    assert _day(con, D(2024, 7, 11)) == (False, "Cuti Bersama Tambahan", "cuti bersama")
    assert _day(con, D(2024, 12, 26)) == (True, None, "hari kerja")
    assert _day(con, D(2024, 3, 11)) == (True, None, "hari kerja")
    assert working_days_between(con, D(2024, 7, 9), D(2024, 7, 12)) == 1
    # an added cuti bersama follows the setting; a libur daerah is always a day off
    con2 = _calendar(md, off=False)
    assert _day(con2, D(2024, 7, 11)) == (True, "Cuti Bersama Tambahan", "cuti bersama")
    assert _day(con2, D(2024, 7, 10))[0] is False


def test_rebuilding_replaces_the_calendar(cal_default):
    md = load_master_data(DEFAULT_CONFIG_DIR)
    con = _calendar(md, off=True, start=D(2024, 1, 1), end=D(2024, 1, 31))
    build_calendar(con, md, D(2024, 3, 1), D(2024, 3, 31), cuti_bersama_is_day_off=False)
    assert con.execute("SELECT min(date), max(date), count(*) FROM calendar").fetchone() == (D(2024, 3, 1), D(2024, 3, 31), 31)
    assert con.execute("SELECT wd_index FROM calendar WHERE date = '2024-03-01'").fetchone()[0] == 1
    with pytest.raises(ValueError, match="terbalik"):
        build_calendar(con, md, D(2024, 3, 31), D(2024, 3, 1), cuti_bersama_is_day_off=True)


def test_default_override_file_and_2025_independence_day(cal_default):
    assert _day(cal_default, D(2025, 8, 18)) == (False, "Cuti Bersama Hari Kemerdekaan Republik Indonesia", "cuti bersama")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("add:\n  - {date: 2024-07-10, name: X, kind: libur kantor}\n", "'add' entri ke-1, kolom 'kind'"),
        ("add:\n  - {date: 2024-07-10, name: X}\n  - {date: '2024-13-01', name: Y}\n", "'add' entri ke-2, kolom 'date'"),
        ("add:\n  - {date: 2024-13-01, name: Y}\n", "YYYY-MM-DD"),
        ("add:\n  - {name: X}\n", "kolom 'date' wajib"),
        ("add:\n  - {date: 2024-07-10, kind: libur daerah}\n", "kolom 'name'"),
        ("remove:\n  - kemarin\n", "'remove' entri ke-1"),
        ("add:\n  - {date: 2024-07-10, name: X}\nremove: [2024-07-10]\n", "'add' dan 'remove' sekaligus"),
        ("tambah: []\n", "tidak dikenal"),
    ],
)
def test_override_errors_name_the_file_entry_and_field(tmp_path, text, fragment):
    p = tmp_path / "calendar_overrides.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        read_overrides(p)
    assert str(p) in str(exc.value)
    assert fragment in str(exc.value)


def test_missing_override_file_means_no_overrides(tmp_path):
    assert read_overrides(tmp_path / "none.yaml") == ({}, set())
