"""Part 3, Starting (開始編): visible checks and hints, one section per notebook.

01 certain cost, uncertain outcome · 02 step 1, a data-driven mail by hand · 03 step 2, a
simple rule automated as a query.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd

from course.exercises._shapes import customer_ids as _ids
from course.exercises._shapes import is_number as _is_number
from course.feedback import Exercise, NotYet, call_learner, expect
from course.metrics import access_rate_ci, lift, two_proportion_test
from course.money import Money, Rate, staff_cost
from course.query import connect, one_select

DAYS_PER_MONTH = 365 / 12


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)


# ======================================================================================
# 01 · Certain cost, uncertain outcome
# ======================================================================================

ACTIVITY_KEYS = ("A", "B", "C", "D", "E")
_UNCERTAINTY_OF = {"A": 1, "B": 3, "C": 2, "D": 4, "E": 3}
CHANCE_KEYS = ("model_can_be_built", "accurate_enough", "customers_benefit",
               "business_benefits")


_NOT_BY_HAND = {
    1: "uncertainty 1 (can a model be built?) is answered only by building one: people "
       "picking a list say nothing about whether a model can learn it (checking the labels, "
       "activity A, needs no model but only prepares the build)",
    2: "uncertainty 2 (is the model accurate enough?) needs a model whose lists can be "
       "measured: a list picked by people says nothing about a model's accuracy",
}


def _check_uncertainties(uncertainty_of, answered_by_hand) -> None:
    expect(isinstance(uncertainty_of, Mapping), "`UNCERTAINTY_OF` should be a dict such as "
           "{'A': 1, 'B': 2, ...}.")
    missing = [k for k in ACTIVITY_KEYS if k not in uncertainty_of]
    expect(not missing, f"`UNCERTAINTY_OF` lacks the activities {missing}: give one number "
           "(1 to 4) for each of A to E.")
    values = [uncertainty_of[k] for k in ACTIVITY_KEYS]
    expect(all(_is_number(v) and v in (1, 2, 3, 4) for v in values), "each value of "
           "`UNCERTAINTY_OF` should be the number of one uncertainty: 1, 2, 3 or 4.")
    wrong = [k for k in ACTIVITY_KEYS if uncertainty_of[k] != _UNCERTAINTY_OF[k]]
    if wrong:
        which = ", ".join(wrong)
        verb = "is" if len(wrong) == 1 else "are"
        raise NotYet(f"{len(wrong)} of the 5 activities {verb} matched to the wrong "
                     f"uncertainty ({which}). Ask of each activity: is it about the model itself "
                     "(can one be built? is it accurate enough?), about the customer, or about "
                     "the business?")
    expect(isinstance(answered_by_hand, set | frozenset | list | tuple), "`ANSWERED_BY_HAND` "
           "should be a set of uncertainty numbers, such as {1, 2}.")
    chosen = set(answered_by_hand)
    expect(chosen <= {1, 2, 3, 4}, "`ANSWERED_BY_HAND` holds uncertainty numbers 1 to 4 only.")
    about_the_model = sorted(chosen & {1, 2})
    if about_the_model:
        reasons = "; ".join(_NOT_BY_HAND[u] for u in about_the_model)
        raise NotYet(f"`ANSWERED_BY_HAND` holds an uncertainty about the model itself: "
                     f"{reasons}.")
    expect(chosen == {3, 4}, "`ANSWERED_BY_HAND` misses an uncertainty that a list picked by "
           "people can answer: when people pick the list in place of the model, what can the "
           "shop still measure about its customers, and about its own business?")


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1].lower() in "aeiou" else f"a {kind}"


def _money_result(result: object, function: str, part: str = "") -> float:
    """The yen of a learner's Money; `part` names one item of a returned tuple."""
    what = f"`{function}` returned" if not part else f"`{function}` returned, as {part},"
    expect(not isinstance(result, Rate), f"{what} a Rate (yen per "
           f"{getattr(result, 'per', '?')}); this amount is a one-off total: return a Money.")
    expect(isinstance(result, Money), f"{what} {_a(type(result).__name__)}; return a Money "
           "(from course.money, e.g. Money(1_000)): a bare number hides its unit.")
    return result.yen


def _ref_certain_cost(plan: Mapping) -> float:
    months = plan["build_months"]
    people = staff_cost(plan["team_size"] * plan["hours_per_person_per_month"],
                        plan["yen_per_hour"], per="month").over(months, "month")
    machine = Rate(plan["training_machine_yen_per_day"], per="day").over(months, "month")
    return (people + machine).yen


def _ref_net_monthly_gain(plan: Mapping) -> float:
    gain = Rate(plan["extra_orders_per_day"] * plan["margin_yen_per_order"], per="day")
    serving = Rate(plan["serving_machine_yen_per_day"], per="day")
    upkeep = staff_cost(plan["upkeep_hours_per_month"], plan["yen_per_hour"], per="month")
    return (gain.to("month") - serving.to("month") - upkeep).yen


def _ref_live_gain(plan: Mapping, horizon_months: float) -> float:
    live = max(0.0, horizon_months - plan["build_months"])
    return _ref_net_monthly_gain(plan) * live


def _chance(chances: Mapping, *keys: str) -> float:
    return math.prod(chances[k] for k in keys)


def _check_certain_cost(certain_cost, *, plan) -> None:
    result = _money_result(call_learner(certain_cost, dict(plan)), "certain_cost")
    expected = _ref_certain_cost(plan)
    months = plan["build_months"]
    people = (plan["team_size"] * plan["hours_per_person_per_month"] * plan["yen_per_hour"]
              * months)
    machine_day = plan["training_machine_yen_per_day"]
    expect(not _close(result, people), "you counted the people but not the machines: the "
           "training machine is paid during the build too.")
    expect(not _close(result, people + machine_day * months), "the training machine is priced "
           "per day (`training_machine_yen_per_day`); you multiplied it by months. Convert it, "
           "e.g. Rate(..., per='day').over(months, 'month').")
    expect(not _close(result, people + machine_day * 30 * months), "you used 30-day months; "
           "the course converts with 365 days a year (Rate.over or Rate.to does it for you).")
    expect(not _close(result, people / plan["team_size"] + machine_day * DAYS_PER_MONTH
                      * months), "the people cost should count every person on the team "
           "(`team_size`).")
    expect(not _close(result, people / months + machine_day * DAYS_PER_MONTH),
           "you costed one month; the build lasts `build_months` months.")
    expect(_close(result, expected), "not the certain cost yet: people (team × hours per "
           "person per month × yen per hour × months) plus the training machine over the "
           "months of the build.")
    bigger = {**plan, "team_size": plan["team_size"] + 1, "training_machine_yen_per_day":
              2 * machine_day}
    other = _money_result(call_learner(certain_cost, bigger), "certain_cost")
    expect(_close(other, _ref_certain_cost(bigger)), "with another plan (one more person, a "
           "dearer machine) your cost is wrong: read every figure from `plan`.")


def _check_payback(net_monthly_gain, payback_months_for, certain_cost, *, plan) -> None:
    result = call_learner(net_monthly_gain, dict(plan))
    expect(isinstance(result, Rate), "`net_monthly_gain` should return a Rate, e.g. "
           f"Rate(123_000, per='month'), not a {type(result).__name__}: keep the unit.")
    got = result.per_month()
    expected = _ref_net_monthly_gain(plan)
    gain_day = plan["extra_orders_per_day"] * plan["margin_yen_per_order"]
    serving_day = plan["serving_machine_yen_per_day"]
    upkeep_month = plan["upkeep_hours_per_month"] * plan["yen_per_hour"]
    expect(not _close(got, gain_day - serving_day - upkeep_month), "this is the workshop's "
           "mistake: you subtracted a monthly cost from a daily gain. Convert every amount to "
           "per month before subtracting.")
    expect(not _close(got, gain_day * DAYS_PER_MONTH - serving_day - upkeep_month),
           "the serving machine costs yen per day: convert it to per month before you "
           "subtract it from the monthly gain.")
    expect(not _close(got, gain_day * DAYS_PER_MONTH), "that is the gross gain: subtract the "
           "running costs (serving machine and upkeep hours).")
    expect(not _close(got, (gain_day - serving_day) * 30 - upkeep_month), "you used 30-day "
           "months; the course converts with 365 days a year (Rate.to('month')).")
    expect(not _close(got, gain_day * DAYS_PER_MONTH - serving_day * DAYS_PER_MONTH),
           "the ML engineer's upkeep hours are a running cost too.")
    expect(_close(got, expected), "not the net monthly gain yet: the daily gain and the daily "
           "machine cost converted to per month, minus the monthly upkeep.")
    months = call_learner(payback_months_for, dict(plan))
    expect(_is_number(months), "`payback_months_for` should return a number of months, not a "
           f"{type(months).__name__}.")
    cost = _ref_certain_cost(plan)
    right = cost / expected
    expect(not (math.isinf(months) and not math.isinf(right)), "your project never pays back: "
           "did a monthly cost get subtracted from a daily gain somewhere?")
    expect(not _close(months, right * DAYS_PER_MONTH), "that is the payback in days; give it in "
           "months.")
    expect(not _close(months, cost / (gain_day * DAYS_PER_MONTH)), "the payback should use the "
           "net gain (after running costs), not the gross gain.")
    own_cost = call_learner(certain_cost, dict(plan), what="`certain_cost`")
    if isinstance(own_cost, Money) and not _close(own_cost.yen, cost):
        raise NotYet("`payback_months_for` depends on `certain_cost`, which is not right yet: "
                     "fix it first (its check is above).")
    expect(_close(months, right), "not the payback yet: months until the net monthly gain has "
           "repaid the certain cost, i.e. certain cost ÷ net gain per month.")
    losing = {**plan, "extra_orders_per_day": 0}
    never = call_learner(payback_months_for, losing)
    expect(_is_number(never) and math.isinf(never), "when the gain does not cover the running "
           "costs, a project never pays back: return math.inf when the net gain is 0 or less.")
    even = {**plan, "extra_orders_per_day": 0, "serving_machine_yen_per_day": 0,
            "upkeep_hours_per_month": 0}
    try:
        at_zero = call_learner(payback_months_for, even)
    except NotYet as error:
        raise NotYet("with a net gain of exactly 0 your function fails "
                     f"({str(error)[:80]}): a gain of 0 never repays anything, so return "
                     "math.inf when the net gain is 0 or less (<= 0, not < 0).") from None
    expect(_is_number(at_zero) and math.isinf(at_zero), "with a net gain of exactly 0 the "
           "project never pays back: return math.inf when the net gain is 0 or less (<= 0).")


def _check_expected_net_value(expected_net_value, *, plan, chances, horizon_months) -> None:
    result = _money_result(call_learner(expected_net_value, dict(plan), dict(chances),
                                        horizon_months), "expected_net_value")
    p_all = _chance(chances, *CHANCE_KEYS)
    cost = _ref_certain_cost(plan)
    live_gain = _ref_live_gain(plan, horizon_months)
    net = _ref_net_monthly_gain(plan)
    expect(not _close(result, p_all * (live_gain - cost)), "the cost is certain: it is paid "
           "whether or not the model works. Only the gain is multiplied by the chance.")
    expect(not _close(result, live_gain - cost), "you ignored the chances: the gain comes only "
           "if all four uncertainties turn out well.")
    expect(not _close(result, p_all * net * horizon_months - cost), "the model earns nothing "
           "while it is being built: count the gain over the months after `build_months`.")
    gross = Rate(plan["extra_orders_per_day"] * plan["margin_yen_per_order"], "day").per_month()
    expect(not _close(result, p_all * gross * (horizon_months - plan["build_months"]) - cost),
           "once live the model has running costs: use the net monthly gain.")
    mean = sum(chances[k] for k in CHANCE_KEYS) / 4
    expect(not _close(result, mean * live_gain - cost), "all four must hold at once: multiply "
           "the four chances, do not average them.")
    expect(_close(result, p_all * live_gain - cost), "not the expected net value yet: "
           "(chance that all four hold) × net gain over the live months − certain cost.")
    short = call_learner(expected_net_value, dict(plan), dict(chances), 1)
    expect(isinstance(short, Money) and _close(short.yen, -cost), "over a horizon shorter than "
           "the build, the model never runs: the value is minus the certain cost (the live "
           "months are at least 0).")


def _check_testing_first(expected_value_testing_first, *, plan, chances, horizon_months,
                         test_cost) -> None:
    def run(some_plan, some_chances):
        return _money_result(call_learner(expected_value_testing_first, dict(some_plan),
                                          dict(some_chances), horizon_months, test_cost),
                             "expected_value_testing_first")

    t = test_cost.yen
    p_test = _chance(chances, "customers_benefit", "business_benefits")
    p_model = _chance(chances, "model_can_be_built", "accurate_enough")

    def build_value(some_plan) -> float:
        return p_model * _ref_live_gain(some_plan, horizon_months) - _ref_certain_cost(some_plan)

    # The mistakes show on a plan worth building after a pass: scale the hoped-for gain up.
    promising = dict(plan)
    while build_value(promising) <= _ref_certain_cost(plan):
        promising["extra_orders_per_day"] = 2 * max(promising["extra_orders_per_day"], 1)
    result = run(promising, chances)
    cost, live_gain, build = (_ref_certain_cost(promising),
                              _ref_live_gain(promising, horizon_months), build_value(promising))
    expect(not _close(result, p_test * max(0.0, build)), "the test itself is a certain cost: "
           "subtract `test_cost`.")
    expect(not _close(result, -t + p_test * (p_test * p_model * live_gain - cost)),
           "once the test has passed, uncertainties 3 and 4 are measured: after a pass only "
           "the chances of the model (1 and 2) remain.")
    expect(not _close(result, p_test * (max(0.0, build) - t)), "the test is paid in every "
           "case, not only when it passes.")
    expect(not _close(result, p_test * p_model * live_gain - cost - t), "with a test first, "
           "the model is built only after a pass: the certain cost is paid only then.")
    expect(_close(result, -t + p_test * max(0.0, build)), "not the value of testing first yet "
           f"(for a plan of {promising['extra_orders_per_day']} extra orders a day): − test "
           "cost + chance the test passes × (value of building after a pass).")
    hopeless = {**chances, "accurate_enough": 0.05}
    expect(_close(run(promising, hopeless), -t), "when even a passed test leaves building not "
           "worth it, the team stops and loses only the test: that branch is worth 0, not a "
           "loss.")
    expect(_close(run(plan, chances), -t + p_test * max(0.0, build_value(plan))), "for the "
           "plan above your value is not right: − test cost + chance the test passes × (value "
           "of building after a pass, or 0 when building is not worth it).")


uncertainties = Exercise(
    key="part3-uncertainties",
    goal="Name the four uncertainties and find the two a test can answer with people in "
         "place of the model.",
    answer_names=["UNCERTAINTY_OF", "ANSWERED_BY_HAND"],
    checker=_check_uncertainties,
    hints=[
        "Uncertainties 1 and 2 are about the model (can it be built? is it accurate enough?); "
        "3 is about the customer, 4 about the business.",
        "Counting accesses from a mail measures whether customers find it useful; counting "
        "orders and margin against the staff hours measures whether the business gains.",
    ],
    success="Uncertainties 3 and 4 can be answered before anyone trains a model.",
)

certain_cost = Exercise(
    key="part3-certain-cost",
    goal="Add up the certain cost of an ML project: people and machines, in explicit units.",
    answer_names=["certain_cost"],
    checker=_check_certain_cost,
    hints=[
        "People: team_size × hours_per_person_per_month × yen_per_hour is yen per month; "
        "staff_cost(hours, hourly_rate, per='month') builds that Rate.",
        "A Rate over some months is a Money: rate.over(plan['build_months'], 'month'). That "
        "works for a daily Rate too: it converts the days for you.",
    ],
    success="This money is spent before any effect can be measured.",
)

payback = Exercise(
    key="part3-payback",
    goal="Compute a payback period with explicit units (the workshop's own notebook mixed "
         "daily and monthly amounts).",
    answer_names=["net_monthly_gain", "payback_months_for", "certain_cost"],
    checker=_check_payback,
    hints=[
        "Give every amount its unit: Rate(..., per='day') for the gain and the serving "
        "machine, staff_cost(hours, yen_per_hour, per='month') for the upkeep.",
        "Rates can only be subtracted once they share a unit: convert with .to('month').",
        "Payback = certain_cost(plan).yen ÷ net_monthly_gain(plan).per_month(); when that net "
        "gain is 0 or less, return math.inf.",
    ],
    success="Explicit units make the daily/monthly mix-up impossible.",
)

expected_net_value = Exercise(
    key="part3-expected-value",
    goal="Weigh the certain cost against the uncertain outcome: the expected net value.",
    answer_names=["expected_net_value"],
    checker=_check_expected_net_value,
    hints=[
        "The gain arrives only if all four uncertainties turn out well: multiply the four "
        "chances (math.prod(chances.values())).",
        "The model earns nothing during the build: the gain runs for (horizon_months − "
        "build_months) months, at least 0.",
        "The certain cost is subtracted in full, whatever the chances.",
    ],
    success="A fast payback can still be a bad bet once the chances are counted.",
)

testing_first = Exercise(
    key="part3-test-first",
    goal="Value a cheap substitute that measures uncertainties 3 and 4 before the model is "
         "built.",
    answer_names=["expected_value_testing_first"],
    checker=_check_testing_first,
    hints=[
        "The test costs `test_cost` for sure. It passes with the chance that uncertainties 3 "
        "and 4 hold.",
        "After a pass, building the model is worth (chance of 1 and 2) × live net gain − "
        "certain cost; the team builds only if that is positive (max(0, ...)).",
    ],
    success="Measuring the customer and business effect first turns a bad bet into a good one.",
)


# ======================================================================================
# 02 · Step 1: a data-driven mail by hand
# ======================================================================================



def _brand_counts(orders: pd.DataFrame, brand_id: int) -> pd.Series:
    return orders.loc[orders["brand_id"] == brand_id, "customer_id"].value_counts()


def _is_top(ids: np.ndarray, counts: pd.Series, n: int) -> bool:
    """Whether `ids` are n (or every) distinct customers of `counts` with the largest counts."""
    if len(np.unique(ids)) != len(ids) or not np.isin(ids, counts.index).all():
        return False
    left_out = counts.drop(ids)
    return len(ids) == min(n, len(counts)) and (left_out.empty
                                                or counts.loc[ids].min() >= left_out.max())


def _tiny_orders(like: pd.DataFrame, lines: list[tuple[int, int, int]]) -> pd.DataFrame:
    """A small orders table with every column of `like`, one row per (customer, brand, units)."""
    customers, brands, units = (list(column) for column in zip(*lines, strict=True))
    n = len(lines)
    table = pd.DataFrame({
        "order_id": np.arange(1, n + 1), "customer_id": customers,
        "item_id": np.arange(101, 101 + n), "brand_id": brands,
        "order_date": pd.date_range("2025-03-01 10:00", periods=n, freq="D"),
        "price": np.full(n, 12_000), "quantity": units,
    })
    shared = [c for c in like.columns if c in table.columns]
    return table[shared].astype(like.dtypes[shared].to_dict())


def _check_top_buyers(ids: np.ndarray, counts: pd.Series, n: int, what: str) -> None:
    """`ids` must be n (or every) distinct buyers, none bought less than anyone left out."""
    expect(len(np.unique(ids)) == len(ids), f"{what} repeats customers: a customer with "
           "several orders should appear once.")
    expect(np.isin(ids, counts.index).all(), f"{what} holds customers who never bought this "
           "brand: count only the orders of `brand_id`.")
    expect(len(ids) == min(n, len(counts)), f"{what} has {len(ids)} customers; it should have "
           "`n` of them (or every buyer of the brand when fewer than `n` bought it).")
    chosen = counts.loc[ids]
    left_out = counts.drop(ids)
    expect(left_out.empty or chosen.min() >= left_out.max(), f"{what} leaves out customers "
           "who bought the brand more often than some you kept: sort by the count, largest "
           "first, before you take the top `n`.")


def _check_frequent_buyers(frequent_buyers, *, site, brand_id, n) -> None:
    orders = site.orders
    counts = _brand_counts(orders, brand_id)
    raw = call_learner(frequent_buyers, orders.copy(), brand_id, n)
    if isinstance(raw, pd.Series) and len(raw) and raw.index.isin(counts.index).all() and (
            raw.to_numpy() == counts.reindex(raw.index).to_numpy()).all():
        raise NotYet("you returned the counts (a value_counts Series); return the customer ids, "
                     "which are its index (`.index`).")
    ids = _ids(raw, "frequent_buyers")
    everyone = orders["customer_id"].value_counts()
    if len(ids) and (everyone.head(len(ids)).index.sort_values() == np.sort(ids)).all() and not (
            np.isin(ids, counts.index).all()):
        raise NotYet("you ranked customers by all their purchases; rank by purchases of "
                     "`brand_id` only.")
    mine = orders[orders["brand_id"] == brand_id]
    units = mine.groupby("customer_id")["quantity"].sum()
    expect(_is_top(ids, counts, n) or not _is_top(ids, units, n), "you ranked customers by "
           "units bought (the sum of `quantity`): count order lines, not units.")
    _check_top_buyers(ids, counts, n, "your list")
    small = _ids(call_learner(frequent_buyers, orders.copy(), brand_id, 10), "frequent_buyers")
    expect(len(small) == min(10, len(counts)), "with n=10 your list should hold 10 customers: "
           "use the `n` you are given.")
    # Customer 5: three lines of brand 2 (3 units); 8: two lines (4 units); 9: one line.
    tiny = _tiny_orders(orders, [(5, 2, 1), (5, 2, 1), (8, 2, 2), (5, 2, 1), (9, 2, 2),
                                 (8, 2, 2), (8, 1, 1), (8, 1, 1)])
    first = _ids(call_learner(frequent_buyers, tiny.copy(), 2, 1), "frequent_buyers")
    expect(first.tolist() != [8], "on a tiny table where customer 5 has three order lines of "
           "the brand (3 units) and customer 8 two lines (4 units), your top 1 is customer 8: "
           "count order lines, not units.")
    expect(first.tolist() == [5], "on a tiny table (customer 5 bought brand 2 in three order "
           "lines, customer 8 in two, customer 9 in one) your top 1 is not customer 5: use the "
           "`orders` you are given, and only rows of `brand_id`.")
    top = _ids(call_learner(frequent_buyers, tiny.copy(), 2, 2), "frequent_buyers")
    expect(sorted(top.tolist()) == [5, 8], "on a tiny table (customer 5 bought brand 2 in three "
           "order lines, customer 8 in two, customer 9 in one) the top 2 should be 5 and 8: use "
           "the `orders` you are given, and only rows of `brand_id`.")
    every = _ids(call_learner(frequent_buyers, tiny.copy(), 1, 5), "frequent_buyers")
    expect(every.tolist() == [8], "when fewer customers bought the brand than `n`, return "
           "every buyer and nobody else.")


def _fake_result(n: int, accesses: int) -> pd.DataFrame:
    accessed = np.zeros(n, dtype=bool)
    accessed[:accesses] = True
    return pd.DataFrame({"customer_id": np.arange(1, n + 1), "accessed": accessed,
                         "purchased": accessed & (np.arange(n) % 2 == 0),
                         "unsubscribed": np.zeros(n, dtype=bool)})


def _rate_triple(result: object) -> tuple[float, float, float]:
    expect(isinstance(result, tuple | list) and len(result) == 3, "`access_rate_with_ci` should "
           "return three numbers: (rate, low, high).")
    expect(all(_is_number(v) for v in result), "(rate, low, high) should all be numbers.")
    return tuple(float(v) for v in result)


def _check_access_rate_with_ci(access_rate_with_ci, *, site, release) -> None:
    brand, rid = int(release["brand_id"]), int(release["release_id"])
    everyone = site.customers["customer_id"].to_numpy()
    sample = np.random.default_rng(11).choice(everyone, size=min(3_000, everyone.size),
                                              replace=False)
    mailed = site.copy().send_mail(brand, sample, release_id=rid)
    try:
        answer = call_learner(access_rate_with_ci, mailed.copy())
    except NotYet as error:
        if "whole number" in str(error) or "count" in str(error):
            raise NotYet(f"{error} — course.metrics.access_rate_ci takes the two counts, "
                         "`access_rate_ci(accesses, mails_sent)`, not a rate.") from None
        raise
    rate, low, high = _rate_triple(answer)
    accesses, sent = int(mailed["accessed"].sum()), len(mailed)
    expect(rate <= 1 and high <= 1, "give rates as fractions between 0 and 1 (0.025 is 2.5%), "
           "not percentages.")
    expect(not _close(rate, mailed["purchased"].mean()), "you measured purchases; the CX metric "
           "counts accesses from the mail.")
    true_rate = accesses / sent
    expect(_close(rate, true_rate) or not (_close(low, true_rate) or _close(high, true_rate)),
           "return (rate, low, high) in that order: the rate first, then the interval's ends.")
    expect(_close(rate, true_rate), "the rate should be accesses from the mail ÷ mails sent.")
    expect(low <= rate <= high, "the interval should contain the rate: return (rate, low, "
           "high) in that order.")
    wilson = access_rate_ci(accesses, sent)
    half = 1.96 * math.sqrt(rate * (1 - rate) / sent)
    expect(not (_close(low, rate - half, 1e-3) and _close(high, rate + half, 1e-3)),
           "that is the normal-approximation interval; the course uses the Wilson interval "
           "(course.metrics.access_rate_ci), which behaves well for small rates.")
    expect(_close(low, wilson[0]) and _close(high, wilson[1]), "the interval is not the 95% "
           "Wilson interval of accesses out of mails sent (course.metrics.access_rate_ci).")
    zero = _rate_triple(call_learner(access_rate_with_ci, _fake_result(40, 0)))
    expect(zero[0] == 0 and zero[1] == 0 and zero[2] > 0, "for a mail with no access at all, "
           "the rate is 0 but the interval still reaches above 0: compute it from the counts "
           "of the result you are given.")


def _go_reference(list_result: pd.DataFrame, random_result: pd.DataFrame, min_lift: float,
                  alpha: float) -> bool:
    x1, n1 = int(list_result["accessed"].sum()), len(list_result)
    x2, n2 = int(random_result["accessed"].sum()), len(random_result)
    big_enough = x2 == 0 or lift(x1 / n1, x2 / n2) >= min_lift
    return bool(big_enough and two_proportion_test(x1, n1, x2, n2).p_value < alpha)


def _check_go(passes_go_criterion, *, site, release, n) -> None:
    brand, rid = int(release["brand_id"]), int(release["release_id"])
    list_ids = _brand_counts(site.orders, brand).index[:n].to_numpy()
    listed = site.copy().send_mail(brand, list_ids, release_id=rid)
    rng = np.random.default_rng(5)
    random_ids = rng.choice(site.customers["customer_id"].to_numpy(), size=len(list_ids),
                            replace=False)
    randomly = site.copy().send_mail(brand, random_ids, release_id=rid)

    def verdict(a, b, **kwargs):
        answer = call_learner(passes_go_criterion, a.copy(), b.copy(), **kwargs)
        expect(isinstance(answer, bool | np.bool_), "`passes_go_criterion` should return True "
               f"or False, not a {type(answer).__name__}.")
        return bool(answer)

    lucky = verdict(_fake_result(30, 3), _fake_result(30, 1))
    expect(not lucky, "a list of 30 with 3 accesses against 1 in 30 triples the rate, but that "
           "could be luck: the difference must also be significant (p-value < alpha).")
    small_gain = verdict(_fake_result(200_000, 6_000), _fake_result(200_000, 5_000))
    expect(not small_gain, "3.0% against 2.5% on huge lists is significant, but its lift is "
           "only 0.2 (20%), below min_lift: the criterion needs both. Lift is (list − random) "
           "÷ random, not list ÷ random (1.2).")
    worse = verdict(_fake_result(5_000, 50), _fake_result(5_000, 200))
    expect(not worse, "a list clearly worse than random must not pass: use the signed lift "
           "(list over random), not just the p-value.")
    worse_half = verdict(_fake_result(5_000, 50), _fake_result(5_000, 200), min_lift=0.5)
    expect(not worse_half, "with min_lift=0.5, a list at 1% against random at 4% passed: its "
           "lift is -0.75, not +0.75. Use the signed lift, (list − random) ÷ random, without "
           "abs().")
    borderline = verdict(_fake_result(200, 16), _fake_result(200, 8))
    expect(not borderline, "16 of 200 against 8 of 200 doubles the rate, but the two-sided "
           "p-value is about 0.09, above alpha = 0.05: it must not pass. Did you halve the "
           "p-value (one-sided)? The course's test is two-sided.")
    strong = verdict(_fake_result(1_000, 120), _fake_result(1_000, 25))
    expect(strong, "12% against 2.5% on 1,000 mails each passes: a lift of 3.8 and a tiny "
           "p-value.")
    overlapping = verdict(_fake_result(200, 18), _fake_result(200, 8))
    expect(overlapping, "18 of 200 against 8 of 200 (lift 1.25, p ≈ 0.04) passes, although "
           "the two 95% intervals overlap: the criterion is the two-proportion test's p-value, "
           "not whether the intervals overlap.")
    expect(not verdict(_fake_result(1_000, 120), _fake_result(1_000, 25), min_lift=5.0),
           "with min_lift=5.0 a lift of 3.8 should not pass: use the `min_lift` you are given.")
    expect(not verdict(_fake_result(400, 20), _fake_result(400, 8), alpha=0.001),
           "with alpha=0.001 a p-value near 0.02 should not pass: use the `alpha` you are "
           "given.")
    exactly = verdict(_fake_result(2_000, 500), _fake_result(2_000, 250))
    expect(exactly, "25% against 12.5% on 2,000 mails each is a lift of exactly 1.0 with a tiny "
           "p-value: it passes, because the criterion is 'at least' (lift >= min_lift, not >).")
    real = verdict(listed, randomly)
    expect(real == _go_reference(listed, randomly, 1.0, 0.05), "on this release's real "
           "experiment your verdict is not the one the criterion gives: lift ≥ min_lift and "
           "p-value < alpha.")


frequent_buyers = Exercise(
    key="part3-frequent-buyers",
    goal="Step 1: pick the customers who buy a brand most often, as marketing would by hand.",
    answer_names=["frequent_buyers"],
    checker=_check_frequent_buyers,
    hints=[
        "Keep the rows of `orders` whose `brand_id` is the brand of the release.",
        "`value_counts()` on their `customer_id` counts order lines per customer, largest "
        "first.",
        "The ids are the index of that Series: `.index[:n]`.",
    ],
    success="That is the list marketing would have built by hand.",
)

access_rate_with_ci = Exercise(
    key="part3-rate-ci",
    goal="Measure the CX metric of a mail with its confidence interval (信頼区間).",
    answer_names=["access_rate_with_ci"],
    checker=_check_access_rate_with_ci,
    hints=[
        "Accesses are `result['accessed'].sum()`; mails sent are `len(result)`.",
        "course.metrics.access_rate_ci(accesses, sent) returns (low, high): give it the two "
        "counts (accesses and mails sent), not the rate.",
    ],
    success="A rate without its interval says nothing about luck.",
)

passes_go_criterion = Exercise(
    key="part3-go-criterion",
    goal="Decide go or stop with criteria written down before the test.",
    answer_names=["passes_go_criterion"],
    checker=_check_go,
    hints=[
        "Compute both access rates, then course.metrics.lift(list_rate, random_rate).",
        "course.metrics.two_proportion_test(x1, n1, x2, n2) gives the p-value; x are accesses "
        "and n mails sent.",
        "Go needs both: lift >= min_lift and p_value < alpha.",
    ],
    success="Numbers written down before the test, not a feeling after it, decide the next step.",
)


# ======================================================================================
# 03 · Step 2: a simple rule automated as a query
# ======================================================================================

def _ref_rule(orders: pd.DataFrame, brand_id: int, n: int) -> pd.DataFrame:
    """The step 2 rule in pandas: most order lines, then the latest order, then the id."""
    mine = orders[orders["brand_id"] == brand_id]
    per = mine.groupby("customer_id").agg(order_lines=("order_date", "size"),
                                          last_order=("order_date", "max")).reset_index()
    per = per.sort_values(["order_lines", "last_order", "customer_id"],
                          ascending=[False, False, True], kind="stable")
    return per.head(n).reset_index(drop=True)


def _rule_keys(orders: pd.DataFrame, brand_id: int) -> pd.DataFrame:
    return _ref_rule(orders, brand_id, len(orders)).set_index("customer_id")


def _run_sql(sql: str, orders: pd.DataFrame, brand_id: int, n: int) -> pd.DataFrame:
    try:
        one_select(sql)
    except ValueError as error:
        raise NotYet(f"RECIPIENTS_SQL: {error}.") from None
    con = connect()  # at grading time the referee runs it: no files, no network
    try:
        con.register("orders", orders)
        return con.execute(sql, {"brand_id": brand_id, "n": n}).df()
    except duckdb.Error as error:
        raise NotYet(f"DuckDB could not run your query: {str(error).splitlines()[0]}") from None
    finally:
        con.close()


def _same_day(orders: pd.DataFrame) -> pd.DataFrame:
    """The orders with the time of day dropped: many customers then tie on both counts."""
    return orders.assign(order_date=orders["order_date"].dt.normalize())


def _same_ranking(ids: np.ndarray, orders: pd.DataFrame, brand_id: int, n: int,
                  what: str, keys: pd.DataFrame | None = None) -> None:
    """`ids` must be the rule's first n customers, in the rule's order (all three keys).

    `keys` is `_rule_keys(orders, brand_id)` when the caller has computed it already.
    """
    keys = _rule_keys(orders, brand_id) if keys is None else keys
    expect(len(np.unique(ids)) == len(ids), f"{what} repeats customers: GROUP BY customer_id.")
    expect(np.isin(ids, keys.index).all(), f"{what} holds customers who never bought this "
           "brand: filter the orders with WHERE brand_id = $brand_id.")
    expected = keys.head(n)
    expect(len(ids) == len(expected), f"{what} has {len(ids)} customers instead of `n` (or "
           "every buyer when fewer bought the brand): LIMIT $n.")
    got = keys.loc[ids, ["order_lines", "last_order"]].reset_index(drop=True)
    want = expected[["order_lines", "last_order"]].reset_index(drop=True)
    expect((got["order_lines"] == want["order_lines"]).all(), f"{what} is not ranked by the "
           "number of order lines of the brand, largest first (ORDER BY ... DESC).")
    expect((got["last_order"] == want["last_order"]).all(), f"{what} counts right but breaks "
           "ties differently: among customers with as many order lines, the most recent order "
           "comes first.")
    expect((ids == expected.index.to_numpy()).all(), f"{what} follows the first two keys but "
           "breaks the remaining ties differently: among customers with as many order lines "
           "and the same last order, the smallest customer_id comes first.")


def _check_recipients_sql(sql, *, site, n) -> None:
    expect(isinstance(sql, str), f"`RECIPIENTS_SQL` should be a string holding a query, not a "
           f"{type(sql).__name__}.")
    expect("$brand_id" in sql and "$n" in sql, "use the parameters `$brand_id` and `$n` in the "
           "query (DuckDB fills them in), rather than writing a brand or a number into it.")
    orders = site.orders
    brands = site.upcoming_releases["brand_id"].drop_duplicates().tolist()[:2]
    for brand_id in brands:
        table = _run_sql(sql, orders, int(brand_id), n)
        expect("customer_id" in table.columns, "the query should return a column named "
               "`customer_id` (SELECT customer_id, ...).")
        _same_ranking(table["customer_id"].to_numpy(np.int64), orders, int(brand_id), n,
                      f"for brand {brand_id} your query's list")
    few = _run_sql(sql, orders.head(200), int(brands[0]), 5)
    _same_ranking(few["customer_id"].to_numpy(np.int64), orders.head(200), int(brands[0]), 5,
                  "on a small orders table your query's list")
    tied = _same_day(orders)  # whole days: many customers tie on order lines and last order
    for brand_id, size in ((brands[0], n), (brands[-1], 25)):
        table = _run_sql(sql, tied, int(brand_id), size)
        _same_ranking(table["customer_id"].to_numpy(np.int64), tied, int(brand_id), size,
                      "on orders that keep only the day (no time), where many customers tie "
                      f"on both counts, your list for brand {brand_id}")


def _season_lists_on(season_lists, orders: pd.DataFrame, releases: pd.DataFrame,
                     n: int) -> object:
    """Call the learner's season_lists on a fresh connection holding `orders`."""
    con = connect()
    con.register("orders", orders)
    try:
        return call_learner(season_lists, con, releases.copy(), n)
    except NotYet as error:
        if "Unable to transform python value" in str(error):
            raise NotYet("DuckDB cannot take NumPy numbers as query parameters: pass plain "
                         "Python ints, e.g. {'brand_id': int(brand_id), 'n': int(n)}.") from None
        raise
    finally:
        con.close()


def _check_season_lists(season_lists, *, site, n) -> None:
    releases = site.upcoming_releases
    # Half a year of orders: a function that reads the notebook's own tables shows up here.
    half = site.orders[site.orders["order_date"] >= site.today - pd.Timedelta(days=182)]
    lists = _season_lists_on(season_lists, half, releases, n)
    expect(isinstance(lists, Mapping), "`season_lists` should return a dict {release_id: "
           f"customer ids}}, not a {type(lists).__name__}.")
    wanted = set(releases["release_id"].tolist())
    expect(all(_is_number(k) and int(k) in wanted for k in lists), "your dict has keys that "
           "are not release ids of `upcoming_releases`: key each list by its release_id.")
    expect({int(k) for k in lists} == wanted, f"your dict covers {len(lists)} of "
           f"{len(wanted)} upcoming releases: build a list for every one of them.")
    lists = {int(k): v for k, v in lists.items()}
    brand_of = releases.set_index("release_id")["brand_id"]
    keys_of = {int(b): _rule_keys(half, int(b)) for b in brand_of.unique()}
    for release_id in sorted(wanted):
        ids = _ids(lists[release_id], "season_lists")
        expect(len(ids) > 0, f"the list of release {release_id} is empty.")
        if len(ids) and not np.isin(ids, half["customer_id"]).all():
            raise NotYet("your lists hold customers who are not in the orders of the "
                         "connection you were given: run the query on `con`, not on the "
                         "notebook's own connection or tables.")
        brand_id = int(brand_of[release_id])
        _same_ranking(ids, half, brand_id, n,
                      f"the list of release {release_id} (brand {brand_id})", keys_of[brand_id])
    few = _season_lists_on(season_lists, half, releases, 25)
    expect(isinstance(few, Mapping) and {int(k) for k in few} == wanted, "with n=25, "
           "`season_lists` should still return a list for every release.")
    sizes = {len(_ids(v, "season_lists")) for v in few.values()}
    expect(sizes == {25}, f"with n=25 your lists hold {sorted(sizes)} customers: use the `n` "
           "you are given, not the notebook's MAIL_BUDGET.")
    few = {int(k): v for k, v in few.items()}
    for release_id in sorted(wanted):
        brand_id = int(brand_of[release_id])
        _same_ranking(_ids(few[release_id], "season_lists"), half, brand_id, 25,
                      f"with n=25, the list of release {release_id}", keys_of[brand_id])


def _check_season_staff_cost(season_staff_cost, *, staff) -> None:
    # The notebook's figures, then other ones: an answer with the figures typed in fails.
    other = {"hand_hours_per_release": staff["hand_hours_per_release"] + 1,
             "marketing_yen_per_hour": staff["marketing_yen_per_hour"] + 700,
             "query_build_hours": staff["query_build_hours"] * 2,
             "query_upkeep_hours_per_month": staff["query_upkeep_hours_per_month"] + 3,
             "developer_yen_per_hour": staff["developer_yen_per_hour"] + 1_500}
    for figures, n_releases, months in ((staff, 31, 3), (staff, 12, 2), (other, 20, 4)):
        pair = call_learner(season_staff_cost, n_releases, months, dict(figures))
        expect(isinstance(pair, tuple | list) and len(pair) == 2, "`season_staff_cost` should "
               "return two amounts: (by_hand, by_query).")
        by_hand = _money_result(pair[0], "season_staff_cost", "by_hand")
        by_query = _money_result(pair[1], "season_staff_cost", "by_query")
        hours, marketer = figures["hand_hours_per_release"], figures["marketing_yen_per_hour"]
        developer = figures["developer_yen_per_hour"]
        build = figures["query_build_hours"] * developer
        upkeep_month = figures["query_upkeep_hours_per_month"] * developer
        expect(not _close(by_hand, hours * marketer), "by hand, every release costs the "
               "marketer's hours again: multiply by the number of releases.")
        expect(not _close(by_hand, hours * n_releases * developer), "the list by hand is made "
               "by marketing: use the marketer's hourly rate.")
        season = f"for {n_releases} releases over {months} months, "
        if figures is other:
            season = "with other staff figures (as if the rates changed), " + season
        expect(_close(by_hand, hours * n_releases * marketer), season + "by_hand should be the "
               "marketer's hours per release × releases × the marketer's yen per hour, read "
               "from `staff`.")
        expect(not _close(by_query, build * n_releases + upkeep_month * months), "the query is "
               "written once, then runs itself for every release: do not pay the build per "
               "release.")
        expect(not _close(by_query, build), "a query needs a little upkeep every month: add the "
               "developer's upkeep hours over the season.")
        expect(not _close(by_query, build + upkeep_month), "the upkeep is per month: count it "
               "for every month of the season.")
        expect(_close(by_query, build + upkeep_month * months), season + "by_query should be "
               "the developer's build hours once plus the monthly upkeep over the season's "
               "months, at the developer's yen per hour, read from `staff`.")


recipients_sql = Exercise(
    key="part3-recipients-sql",
    goal="Step 2: write the recipient rule as a parameterised SQL query.",
    answer_names=["RECIPIENTS_SQL"],
    checker=_check_recipients_sql,
    hints=[
        "One row per customer who bought the brand: filter `orders` with WHERE brand_id = "
        "$brand_id, then GROUP BY customer_id; what do you count, and which date do you keep?",
        "Rank with ORDER BY order_lines DESC, then last_order DESC, then customer_id.",
        "End with LIMIT $n.",
    ],
    success="The rule is now code: it runs the same way for any brand.",
)

season_lists = Exercise(
    key="part3-season-lists",
    goal="Turn the query into the function that builds every release's list.",
    answer_names=["season_lists"],
    checker=_check_season_lists,
    hints=[
        "Loop over `releases.itertuples()`; each row has release_id and brand_id.",
        "con.execute(RECIPIENTS_SQL, {'brand_id': ..., 'n': n}).df() runs the query with its "
        "parameters; int() the ids first (DuckDB wants plain Python numbers).",
        "Store each result's `customer_id` column under int(release_id).",
    ],
    success="One function now serves every brand's release, with no one at the keyboard.",
)

season_staff_cost = Exercise(
    key="part3-season-staff-cost",
    goal="Compare the staff cost of a season: lists by hand versus a query that runs itself.",
    answer_names=["season_staff_cost"],
    checker=_check_season_staff_cost,
    hints=[
        "By hand: Money(staff['hand_hours_per_release'] × n_releases × "
        "staff['marketing_yen_per_hour']).",
        "By query: the build hours are paid once, Money(build hours × developer rate); the "
        "upkeep hours are per month, so staff_cost(hours, rate, per='month')"
        ".over(season_months, 'month'). Money + Money is a Money.",
    ],
    success="By hand, the cost grows with every release; the query's barely moves.",
)
