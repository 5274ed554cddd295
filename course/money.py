"""Cost and ROI arithmetic in yen, with explicit time units.

A ``Rate`` is yen per day/week/month/year; a ``Money`` is a one-off amount. Rates over
different periods cannot be added or subtracted until one is converted with ``.to()``, so a
monthly cost can never be subtracted from a daily gain by mistake (the bug in the source
workshop's payback notebook).

>>> gain = Rate(20_000, per="day")
>>> cost = Rate(150_000, per="month")
>>> round(payback_months(Money(3_000_000), monthly_gain=gain, monthly_running_cost=cost), 2)
6.55
"""

import math
import numbers
from dataclasses import dataclass

PER_YEAR = {"day": 365.0, "week": 365.0 / 7.0, "month": 12.0, "year": 1.0}


class UnitError(TypeError):
    """Two amounts with different units were combined without converting one of them."""


def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _period(name: str, per) -> str:
    if per not in PER_YEAR:
        raise ValueError(f"{name} must be one of {sorted(PER_YEAR)}, got {per!r}")
    return per


def to_monthly(amount: float, per: str) -> float:
    """Convert an amount per ``per`` (day/week/month/year) to per month (365 days/year)."""
    amount = _number("amount", amount)
    return amount * PER_YEAR[_period("per", per)] / PER_YEAR["month"]


@dataclass(frozen=True)
class Money:
    """A one-off amount of yen (an investment, the cost of one campaign)."""

    yen: float

    def __post_init__(self):
        object.__setattr__(self, "yen", _number("yen", self.yen))

    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            raise UnitError(f"can only add Money to Money, not {type(other).__name__}")
        return Money(self.yen + other.yen)

    def __sub__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            raise UnitError(f"can only subtract Money from Money, not {type(other).__name__}")
        return Money(self.yen - other.yen)

    def __mul__(self, factor: float) -> "Money":
        return Money(self.yen * _number("factor", factor))

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Money):
            return self.yen / other.yen
        return Money(self.yen / _number("divisor", other))

    def __neg__(self) -> "Money":
        return Money(-self.yen)

    def __str__(self) -> str:
        return f"¥{self.yen:,.0f}"


@dataclass(frozen=True)
class Rate:
    """A recurring amount: ``yen`` per ``per`` (day, week, month or year)."""

    yen: float
    per: str

    def __post_init__(self):
        object.__setattr__(self, "yen", _number("yen", self.yen))
        _period("per", self.per)

    def to(self, per: str) -> "Rate":
        """The same rate expressed per another period."""
        return Rate(self.yen * PER_YEAR[self.per] / PER_YEAR[_period("per", per)], per)

    def per_month(self) -> float:
        """Yen per month."""
        return self.to("month").yen

    def over(self, n: float, per: str) -> Money:
        """Total amount over ``n`` periods, e.g. ``rate.over(3, "month")``."""
        return Money(self.to(per).yen * _number("n", n))

    def _check_same(self, other, verb: str) -> "Rate":
        if not isinstance(other, Rate):
            raise UnitError(f"can only {verb} a Rate and a Rate, not {type(other).__name__}")
        if other.per != self.per:
            raise UnitError(
                f"cannot {verb} yen/{self.per} and yen/{other.per}: convert one first, "
                f"e.g. other.to({self.per!r})"
            )
        return other

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(self.yen + self._check_same(other, "add").yen, self.per)

    def __sub__(self, other: "Rate") -> "Rate":
        return Rate(self.yen - self._check_same(other, "subtract").yen, self.per)

    def __mul__(self, factor: float) -> "Rate":
        return Rate(self.yen * _number("factor", factor), self.per)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Rate):  # a ratio of two rates has no unit once both are monthly
            return self.per_month() / other.per_month()
        return Rate(self.yen / _number("divisor", other), self.per)

    def __neg__(self) -> "Rate":
        return Rate(-self.yen, self.per)

    def __str__(self) -> str:
        return f"¥{self.yen:,.0f}/{self.per}"


def _rate_arg(name: str, value) -> Rate:
    if not isinstance(value, Rate):
        raise UnitError(
            f"{name} must be a Rate with its unit, e.g. Rate(120_000, per='month'); "
            f"a bare {type(value).__name__} has no time unit"
        )
    return value


def staff_cost(hours: float, hourly_rate: float, per: str = "month") -> Rate:
    """People cost: ``hours`` worked per ``per`` at ``hourly_rate`` yen per hour."""
    hours, hourly_rate = _number("hours", hours), _number("hourly_rate", hourly_rate)
    if hours < 0 or hourly_rate < 0:
        raise ValueError("hours and hourly_rate must not be negative")
    return Rate(hours * hourly_rate, _period("per", per))


def mail_cost(n_mails: int, yen_per_mail: float, per: str = "month") -> Rate:
    """Sending cost of ``n_mails`` mails per ``per`` at ``yen_per_mail`` each."""
    if isinstance(n_mails, bool) or not isinstance(n_mails, numbers.Integral) or n_mails < 0:
        raise ValueError(f"n_mails must be a non-negative whole number, got {n_mails!r}")
    yen_per_mail = _number("yen_per_mail", yen_per_mail)
    if yen_per_mail < 0:
        raise ValueError("yen_per_mail must not be negative")
    return Rate(n_mails * yen_per_mail, _period("per", per))


def margin_per_order(order_value: float, margin_rate: float) -> Money:
    """Gross margin of one order: ``order_value`` yen times ``margin_rate`` (0-1)."""
    order_value = _number("order_value", order_value)
    margin_rate = _number("margin_rate", margin_rate)
    if not 0.0 <= margin_rate <= 1.0:
        raise ValueError(f"margin_rate must be between 0 and 1, got {margin_rate}")
    return Money(order_value * margin_rate)


def payback_months(initial_cost, monthly_gain: Rate, monthly_running_cost: Rate) -> float:
    """Months until the net monthly gain repays ``initial_cost`` (inf if it never does).

    ``monthly_gain`` and ``monthly_running_cost`` are Rates of any period; both are converted
    to per month before they are subtracted.
    """
    initial = initial_cost.yen if isinstance(initial_cost, Money) else initial_cost
    initial = _number("initial_cost", initial)
    if initial < 0:
        raise ValueError(f"initial_cost must not be negative, got {initial}")
    gain = _rate_arg("monthly_gain", monthly_gain).per_month()
    cost = _rate_arg("monthly_running_cost", monthly_running_cost).per_month()
    net = gain - cost
    return initial / net if net > 0 else math.inf


def roi(gain, cost) -> float:
    """Return on investment (gain - cost) / cost, for two Money or two Rates (compared monthly)."""
    if isinstance(gain, Money) and isinstance(cost, Money):
        g, c = gain.yen, cost.yen
    elif isinstance(gain, Rate) and isinstance(cost, Rate):
        g, c = gain.per_month(), cost.per_month()
    else:
        raise UnitError(
            "gain and cost must both be Money (totals) or both be Rate (per period), got "
            f"{type(gain).__name__} and {type(cost).__name__}"
        )
    if c <= 0:
        raise ValueError(f"cost must be positive to compute a return on it, got {c}")
    return (g - c) / c
