"""Money: explicit units, so a monthly cost is never subtracted as if it were daily."""

import math

import pytest

from course.money import (
    Money,
    Rate,
    UnitError,
    mail_cost,
    margin_per_order,
    payback_months,
    roi,
    staff_cost,
    to_monthly,
)


def test_to_monthly_uses_365_days_a_year():
    assert to_monthly(1_000, per="day") == pytest.approx(1_000 * 365 / 12)  # 30,416.67
    assert to_monthly(7_000, per="week") == pytest.approx(1_000 * 365 / 12)
    assert to_monthly(12_000, per="year") == pytest.approx(1_000)
    assert to_monthly(5, per="month") == 5
    with pytest.raises(ValueError, match="per"):
        to_monthly(1_000, per="fortnight")
    with pytest.raises(TypeError, match="amount"):
        to_monthly("1000", per="day")


def test_rates_convert_explicitly():
    daily = Rate(1_000, per="day")
    assert daily.to("month").yen == pytest.approx(30_416.667, abs=1e-3)
    assert daily.to("year").yen == pytest.approx(365_000)
    assert daily.per_month() == pytest.approx(30_416.667, abs=1e-3)
    assert daily.over(2, "week") == Money(14_000)
    assert Rate(300_000, "month").over(3, "month") == Money(900_000)
    assert daily * 2 == Rate(2_000, "day") and 2 * daily == Rate(2_000, "day")
    assert Rate(60_000, "month") / Rate(1_000, "day") == pytest.approx(60_000 / 30_416.667)
    assert str(Rate(30_000, "month")) == "¥30,000/month"


def test_mixing_periods_without_converting_raises():
    gain, cost = Rate(20_000, "day"), Rate(150_000, "month")
    with pytest.raises(UnitError, match="convert"):
        gain - cost
    with pytest.raises(UnitError):
        gain + cost
    with pytest.raises(UnitError):
        gain + 5
    with pytest.raises(UnitError):
        gain + Money(5)
    assert gain.to("month") - cost == Rate(20_000 * 365 / 12 - 150_000, "month")
    assert issubclass(UnitError, TypeError)


def test_money_arithmetic():
    assert Money(1_000) + Money(500) == Money(1_500)
    assert Money(1_000) - Money(500) == Money(500)
    assert Money(1_000) * 3 == Money(3_000)
    assert Money(1_000) / Money(400) == 2.5
    assert Money(1_000) / 4 == Money(250)
    assert str(Money(1_234_567)) == "¥1,234,567"
    with pytest.raises(UnitError):
        Money(1_000) + 500
    with pytest.raises(TypeError, match="yen"):
        Money("1000")
    with pytest.raises(ValueError, match="per"):
        Rate(1_000, per="days")


def test_costs_and_margins():
    assert staff_cost(hours=40, hourly_rate=5_000, per="week") == Rate(200_000, "week")
    assert staff_cost(160, 5_000).per_month() == 800_000
    assert mail_cost(100_000, 0.5) == Rate(50_000, "month")
    assert margin_per_order(12_000, 0.4) == Money(4_800)
    with pytest.raises(ValueError, match="margin_rate"):
        margin_per_order(12_000, 40)
    with pytest.raises(ValueError, match="n_mails"):
        mail_cost(-1, 0.5)
    with pytest.raises(ValueError, match="hours"):
        staff_cost(-5, 5_000)


def test_payback_converts_units_before_subtracting():
    # 20,000 yen a day is 608,333 a month; minus 150,000 a month running cost = 458,333.
    months = payback_months(Money(3_000_000), Rate(20_000, "day"), Rate(150_000, "month"))
    assert months == pytest.approx(3_000_000 / (20_000 * 365 / 12 - 150_000))
    assert months == pytest.approx(6.545, abs=1e-3)
    # The workshop's bug (monthly cost taken as daily) would say it never pays back.
    assert 20_000 - 150_000 < 0
    # Same answer whatever unit each rate is given in.
    same = payback_months(3_000_000, Rate(20_000 * 7, "week"), Rate(150_000 * 12, "year"))
    assert same == pytest.approx(months)
    assert payback_months(Money(1), Rate(10, "month"), Rate(10, "month")) == math.inf
    assert payback_months(Money(0), Rate(10, "month"), Rate(1, "month")) == 0


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [((3_000_000, 20_000, Rate(150_000, "month")), UnitError, "monthly_gain"),
     ((3_000_000, Rate(20_000, "day"), 150_000), UnitError, "monthly_running_cost"),
     ((-1, Rate(1, "day"), Rate(1, "day")), ValueError, "initial_cost"),
     (("a lot", Rate(1, "day"), Rate(1, "day")), TypeError, "initial_cost")],
)
def test_payback_rejects_numbers_without_units(args, error, name):
    with pytest.raises(error, match=name):
        payback_months(*args)


def test_roi():
    # The workshop's fashion case: ROI 400% in a month.
    assert roi(Money(5_000_000), Money(1_000_000)) == pytest.approx(4.0)
    assert roi(Rate(50_000, "day"), Rate(300_000, "month")) == pytest.approx(
        (50_000 * 365 / 12 - 300_000) / 300_000
    )
    with pytest.raises(UnitError, match="gain and cost"):
        roi(Rate(50_000, "day"), Money(300_000))
    with pytest.raises(ValueError, match="cost"):
        roi(Money(1), Money(0))
