"""Tests for 和暦 formatting and lenient date parsing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forms.wareki import ERAS, era_of, parse_date, to_seireki, to_wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1927, 1, 1), "昭和2年1月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1990, 1, 1), "平成2年1月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2024, 4, 1), "令和6年4月1日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1873, 1, 1), "明治6年1月1日"),
        (date(1900, 1, 1), "明治33年1月1日"),
    ],
)
def test_to_wareki_at_era_boundaries(day: date, expected: str) -> None:
    assert to_wareki(day) == expected


def test_to_wareki_before_the_gregorian_calendar_falls_back_to_seireki() -> None:
    assert era_of(date(1872, 12, 31)) is None
    assert to_wareki(date(1872, 12, 31)) == "1872年12月31日"


def test_eras_are_newest_first_and_era_of_picks_the_right_one() -> None:
    starts = [era.start for era in ERAS]
    assert starts == sorted(starts, reverse=True)
    for era in ERAS:
        assert era_of(era.start) == era
        if era is not ERAS[-1]:
            assert era_of(era.start - timedelta(days=1)) != era


def test_to_seireki() -> None:
    assert to_seireki(date(2024, 4, 1)) == "2024年4月1日"
    assert to_seireki(date(1989, 1, 8)) == "1989年1月8日"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-01", date(2024, 4, 1)),
        ("2024-4-1", date(2024, 4, 1)),
        ("2024/04/01", date(2024, 4, 1)),
        ("2024/4/1", date(2024, 4, 1)),
        ("2024.4.1", date(2024, 4, 1)),
        ("2024年4月1日", date(2024, 4, 1)),
        ("２０２４年４月１日", date(2024, 4, 1)),
        ("２０２４－０４－０１", date(2024, 4, 1)),
        ("  2024-04-01  ", date(2024, 4, 1)),
        ("20240401", date(2024, 4, 1)),
        ("２０２４０４０１", date(2024, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("令和６年４月１日", date(2024, 4, 1)),
        ("令和 6年 4月 1日", date(2024, 4, 1)),
        ("令和\u30006年4月1日", date(2024, 4, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("r1.5.1", date(2019, 5, 1)),
        ("ｒ１．５．１", date(2019, 5, 1)),
        ("R01.05.01", date(2019, 5, 1)),
        ("R6/4/1", date(2024, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("h31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("T1.7.30", date(1912, 7, 30)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("明治33年1月1日", date(1900, 1, 1)),
        ("M6.1.1", date(1873, 1, 1)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # 令和 had begun
        "H31.5.1",
        "昭和64年1月8日",  # 平成 had begun
        "令和0年1月1日",  # era years start at 1
        "R0.1.1",
        "令和元年4月30日",  # before 令和 began
        "昭和元年12月24日",  # before 昭和 began
        "大正15年12月25日",  # 昭和 had begun
        "明治5年12月31日",  # before the Gregorian calendar
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "20240230",
        "",
        "   ",
        "abc",
        "令和",
        "2024-04",
        "X1.5.1",
        "令和元年5月1日です",
    ],
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_parse_date_accepts_a_leap_day() -> None:
    assert parse_date("令和6年2月29日") == date(2024, 2, 29)


def test_round_trip_over_the_showa_heisei_reiwa_boundaries() -> None:
    day = date(1988, 1, 1)
    end = date(2020, 12, 31)
    checked = 0
    while day <= end:
        assert parse_date(to_wareki(day)) == day, day
        day += timedelta(days=3)
        checked += 1
    assert checked > 3000
    # The step skips days; make sure every boundary day itself was round-tripped too.
    for boundary in (date(1989, 1, 7), date(1989, 1, 8), date(2019, 4, 30), date(2019, 5, 1)):
        assert parse_date(to_wareki(boundary)) == boundary


def test_round_trip_of_the_first_day_of_every_era() -> None:
    firsts = {era.name: to_wareki(era.start) for era in ERAS}
    assert firsts == {
        "令和": "令和元年5月1日",
        "平成": "平成元年1月8日",
        "昭和": "昭和元年12月25日",
        "大正": "大正元年7月30日",
        "明治": "明治6年1月1日",  # the Gregorian calendar began in 明治6年
    }
    for era in ERAS:
        assert parse_date(to_wareki(era.start)) == era.start
