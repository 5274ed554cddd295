"""Part 2, Applying (応用編): visible checks and hints of every exercise.

Most checks run the learner's function on a tiny hand-made shop whose answer is known, each
row built to catch one common mistake, then on the real shop for scale and shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from course.applying import AISAS_STAGES, DOMAIN_EVENTS, TRIAL_LISTS
from course.exercises._shapes import is_number as _is_number
from course.feedback import Exercise, call_learner, expect

SEGMENTS = ("brand_loyal", "price_driven", "window_shopper")


# ---- small helpers ---------------------------------------------------------------------------


def _frame(like: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """A table with the columns and dtypes of `like`, holding `rows` (missing cells defaulted)."""
    data = {}
    for column, dtype in like.dtypes.items():
        values = [row.get(column) for row in rows]
        if isinstance(dtype, pd.CategoricalDtype):
            data[column] = pd.Categorical(values, categories=dtype.categories,
                                          ordered=dtype.ordered)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            data[column] = pd.to_datetime(pd.Series(values, dtype=object)).astype(dtype)
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iu":
            data[column] = pd.array(values, dtype=dtype)
        elif pd.api.types.is_bool_dtype(dtype):
            data[column] = np.array([bool(v) for v in values])
        elif pd.api.types.is_numeric_dtype(dtype):
            data[column] = np.array([0 if v is None else v for v in values]).astype(dtype)
        else:
            data[column] = pd.Series(["" if v is None else v for v in values], dtype=dtype)
    return pd.DataFrame(data, columns=list(like.columns))


def _number(value: object, what: str) -> float:
    if isinstance(value, np.generic):
        value = value.item()
    expect(_is_number(value), f"{what} should be a number, not a {type(value).__name__}.")
    expect(not math.isnan(value), f"{what} is NaN: did a filter keep no rows?")
    return float(value)


def _series(value: object, what: str) -> pd.Series:
    expect(isinstance(value, pd.Series), f"{what} should return a pandas Series, not a "
           f"{type(value).__name__}.")
    return value


def _frame_result(value: object, what: str, columns: tuple[str, ...]) -> pd.DataFrame:
    expect(isinstance(value, pd.DataFrame), f"{what} should return a pandas DataFrame, not a "
           f"{type(value).__name__}.")
    missing = [c for c in columns if c not in value.columns]
    expect(not missing, f"{what} lacks the column(s) {missing}; it has {list(value.columns)}.")
    return value


def _visit(session: int, customer: int, when: str, source: str = "direct") -> dict:
    return {"session_id": session, "customer_id": customer, "timestamp": when, "source": source,
            "event": "visit"}


def _act(session: int, customer: int, when: str, event: str, item: int, brand: int = 1,
         source: str = "direct") -> dict:
    return {"session_id": session, "customer_id": customer, "timestamp": when, "source": source,
            "event": event, "item_id": item, "brand_id": brand}


# ---- notebook 1: a good business problem -----------------------------------------------------


def _check_active_user_ratio(active_user_ratio, *, site) -> None:
    customers = _frame(site.customers, [
        {"customer_id": c, "signup_date": day} for c, day in [
            (1, "2024-06-01"), (2, "2024-06-01"), (3, "2025-03-31"), (4, "2025-04-02"),
            (5, "2024-01-01"), (6, "2024-01-01"), (7, "2024-01-01")]
    ])
    visits = [(2, "2025-02-27 12:00"), (1, "2025-03-02 09:00"), (1, "2025-03-12 21:00"),
              (1, "2025-03-20 08:00"), (3, "2025-03-31 23:30"), (5, "2025-03-15 10:00"),
              (5, "2025-03-16 10:00"), (7, "2025-03-10 10:00"), (6, "2025-04-05 10:00"),
              (4, "2025-04-03 10:00")]
    rows = []
    for session, (customer, when) in enumerate(visits, start=1):
        rows += [_visit(session, customer, when), _act(session, customer, when, "view", 1)]
    rows += [_act(4, 1, "2025-03-20 08:05", "cart", 1), _act(4, 1, "2025-03-20 08:06",
                                                              "purchase", 1)]
    events = _frame(site.events, rows)
    tiny = _number(call_learner(active_user_ratio, events, customers, "2025-03"),
                   "`active_user_ratio`")
    expect(not any(math.isclose(tiny, 100 * v) for v in (2 / 3, 4 / 7, 1.0, 1 / 6)),
           f"your ratio is {tiny:g}, a percentage: return a fraction between 0 and 1 (0.25, "
           "not 25).")
    expect(tiny <= 1, "your ratio is above 1: count each active customer once (customers, not "
           "sessions or rows), and only visits inside the month.")
    expect(not math.isclose(tiny, 4 / 7), "in a tiny shop you divided by every customer, "
           "including one who signed up after the month: only customers signed up by the end "
           "of the month can be active in it.")
    expect(not math.isclose(tiny, 1.0), "in a tiny shop you counted customers whose visits were "
           "in other months: only visits inside the month count.")
    expect(not math.isclose(tiny, 1 / 6), "in a tiny shop you counted buyers: a visit is enough "
           "to be active.")
    expect(not any(math.isclose(tiny, v) for v in (0.6, 0.5, 0.8)), "in a tiny shop you left "
           "out the last day of the month: a visit at 23:30 on 31 March, and a customer who "
           "signed up on 31 March, both belong to March.")
    expect(math.isclose(tiny, 2 / 3), "in a tiny shop (6 customers signed up by the end of "
           "March, 4 of them visited in March) your ratio is not 4/6.")

    month = f"{site.today - pd.DateOffset(months=3):%Y-%m}"
    real = _number(call_learner(active_user_ratio, site.events.copy(), site.customers.copy(),
                                month), "`active_user_ratio`")
    period = pd.Period(month, freq="M")
    visits = site.events[site.events["event"] == "visit"]
    active = visits.loc[visits["timestamp"].dt.to_period("M") == period, "customer_id"]
    signed = (site.customers["signup_date"] <= period.end_time).sum()
    expect(math.isclose(real, active.nunique() / signed, rel_tol=1e-9),
           f"on the real shop your ratio for {month} is not right, though the tiny shop "
           "passed: use the `month` argument, and the tables you are given.")


def _stale_fixture(site) -> tuple[pd.DataFrame, pd.DataFrame]:
    items = _frame(site.items, [
        {"item_id": 1, "release_id": 10, "brand_id": 1, "release_date": "2025-05-01"},
        {"item_id": 2, "release_id": 10, "brand_id": 1, "release_date": "2025-05-01"},
        {"item_id": 3, "release_id": 11, "brand_id": 2, "release_date": "2025-05-08"},
    ])
    events = _frame(site.events, [
        _visit(1, 7, "2025-05-02 10:00"), _act(1, 7, "2025-05-02 10:01", "view", 1),
        _visit(2, 7, "2025-05-04 10:00"), _act(2, 7, "2025-05-04 10:01", "view", 2),
        _visit(3, 8, "2025-05-05 10:00"), _act(3, 8, "2025-05-05 10:01", "view", 1),
        _visit(4, 7, "2025-05-09 10:00"), _act(4, 7, "2025-05-09 10:01", "view", 1),
        _act(4, 7, "2025-05-09 10:02", "view", 3, 2),
        _visit(5, 8, "2025-05-10 10:00"), _act(5, 8, "2025-05-10 10:01", "view", 3, 2),
        _act(5, 8, "2025-05-10 10:05", "view", 3, 2),
        _act(5, 8, "2025-05-10 10:06", "cart", 3, 2),
        _act(5, 8, "2025-05-10 10:07", "purchase", 3, 2),
    ])
    return events, items


def _check_stale_sessions(stale_sessions, *, site) -> None:
    events, items = _stale_fixture(site)
    flags = _series(call_learner(stale_sessions, events, items), "`stale_sessions`")
    expect(flags.index.is_unique, "index the result by session_id, one value per session.")
    expect(set(flags.index) == {1, 2, 3, 4, 5}, "in a tiny shop of 5 sessions your result is "
           f"indexed by {sorted(flags.index.tolist())}: index it by session_id, one row per "
           "session that viewed an item.")
    expect(flags.isin([True, False]).all(), "return True/False per session (True = nothing new).")
    flags = flags.astype(bool)
    expect(not flags[1], "a customer's very first session cannot be stale: nothing was seen "
           "before it.")
    expect(flags[2], "customer 7 saw release 10 (item 1) in session 1, then only item 2 of the "
           "same release in session 2: that session is stale. A release counts as seen once "
           "any of its items was viewed (compare releases, not items).")
    expect(not flags[3], "session 3 is customer 8's first look at release 10: what other "
           "customers saw does not matter; compare each customer with their own past.")
    expect(not flags[4], "session 4 viewed an old release and a new one: it showed something "
           "new, so it is not stale. Stale means every release viewed was seen before.")
    expect(not flags[5], "session 5 viewed the same new item twice within the session: only "
           "earlier sessions count as seen before.")

    real = _series(call_learner(stale_sessions, site.events.copy(), site.items.copy()),
                   "`stale_sessions`")
    viewed = site.events.loc[site.events["event"] == "view", "session_id"].unique()
    expect(len(real) == len(viewed) and set(real.index) == set(viewed),
           f"on the real shop, give one value per session that viewed an item ({len(viewed):,} "
           f"sessions); you gave {len(real):,}.")
    share = float(real.astype(bool).mean())
    expect(0.05 < share < 0.6, f"on the real shop {share:.0%} of sessions are stale by your "
           "function; that is far from what the tiny shop's rules give.")


def _segment_fixture(site):
    brands = _frame(site.brands, [
        {"brand_id": 1, "brand_name": "A", "category": "luxury", "price_tier": "premium"},
        {"brand_id": 2, "brand_name": "B", "category": "casual", "price_tier": "budget"},
        {"brand_id": 3, "brand_name": "C", "category": "street", "price_tier": "mid"},
    ])
    day = "2025-03-01"
    items = _frame(site.items, [
        {"item_id": 1, "release_id": 1, "brand_id": 1, "price": 30_000, "release_date": day},
        {"item_id": 2, "release_id": 2, "brand_id": 2, "price": 5_000, "release_date": day},
        {"item_id": 3, "release_id": 3, "brand_id": 3, "price": 12_000, "release_date": day},
    ])
    lines = [  # customer, item, when, price paid
        (1, 1, "2025-03-01 10:30", 30_000), (1, 1, "2025-03-03 09:00", 30_000),
        (2, 2, "2025-04-10 12:00", 3_500), (2, 2, "2025-04-12 12:00", 3_500),
        (5, 3, "2025-03-01 11:00", 12_000),
        (6, 3, "2025-03-06 11:00", 12_000),
        (7, 2, "2025-04-10 12:00", 3_500), (7, 1, "2025-03-01 10:10", 30_000),
        (9, 2, "2025-03-01 10:20", 5_000),
        (10, 1, "2025-03-02 10:00", 25_000),
        (11, 2, "2025-03-04 20:00", 5_000),
    ]
    brand_of = {1: 1, 2: 2, 3: 3}
    # Customer 5's one order line holds 2 units: still one purchase.
    orders = _frame(site.orders, [
        {"order_id": i + 1, "customer_id": c, "item_id": it, "brand_id": brand_of[it],
         "order_date": when, "price": paid, "quantity": 2 if c == 5 else 1}
        for i, (c, it, when, paid) in enumerate(lines)
    ])
    views = {1: 3, 2: 2, 3: 9, 4: 3, 5: 8, 6: 7, 7: 2, 8: 8, 9: 1}
    rows, session = [], 0
    for customer, n_views in views.items():
        for k in range(n_views):
            session += 1
            when = f"2025-03-{k + 2:02d} 20:00"
            rows += [_visit(session, customer, when), _act(session, customer, when, "view", 3, 3)]
    for c, it, when, _ in lines:
        session += 1
        rows += [_visit(session, c, when), _act(session, c, when, "cart", it, brand_of[it]),
                 _act(session, c, when, "purchase", it, brand_of[it])]
    events = _frame(site.events, rows)
    expected = {1: "brand_loyal", 2: "price_driven", 3: "window_shopper", 5: "window_shopper",
                6: "brand_loyal", 7: "price_driven", 8: "window_shopper", 9: "brand_loyal",
                10: "brand_loyal", 11: "price_driven"}
    return orders, items, brands, events, expected


_SEGMENT_MESSAGES = {  # (customer, wrong label) -> what is wrong; None: any wrong label
    (1, None): "customer 1 bought a premium brand at full price within 3 days of its release: "
    "no price signal, so brand-loyal.",
    (2, None): "customer 2 bought only on sale, weeks after the release, from a budget brand: "
    "all three price signals, so price-driven.",
    (3, None): "customer 3 viewed 9 items and never bought: a window shopper (use "
    "max(purchases, 1), so 0 purchases count as 1).",
    (5, None): "customer 5 viewed 8 items and bought once (one order line of 2 units: count "
    "order lines, not `quantity`): 8 >= 8 x 1 makes a window shopper (the rule uses >=).",
    (6, "window_shopper"): "customer 6 viewed 7 items and bought once, so not a window "
    "shopper. Did you count cart rows, or every row of `events`? Count only rows whose event "
    "is 'view'.",
    (6, "price_driven"): "customer 6 bought once, at full price, from a mid-price brand, 5 "
    "days after the release: one signal of three, a price score of 1/3, so brand-loyal. The "
    "score is the mean of the three signals, not 'any signal'.",
    (6, "full price"): "customer 6 paid the full list price, so that line is not on sale: on "
    "sale means the price paid is below the list price (`<`, not `<=`). With one signal of "
    "three (bought 5 days late), the score is 1/3: brand-loyal.",
    (11, None): "customer 11 bought a budget item at full price 3 days and 20 hours after its "
    "release: that is more than 3 days, so late (compare the time difference with "
    "pd.Timedelta(days=3), not its whole days). Two signals of three: price-driven.",
    (10, None): "customer 10 bought a premium item on sale the day after its release: one "
    "signal of three (score 1/3), so brand-loyal. The score is the mean of the three "
    "signals, not 'any signal'.",
    (7, None): "customer 7's two order lines score 1 (on sale, late, budget) and 0: the price "
    "score is their mean, 0.5, and 0.5 counts as price-driven (>= 0.5).",
    (8, None): "customer 8 viewed 8 items and never bought: 8 >= 8 x max(0, 1), a window "
    "shopper.",
    (9, None): "customer 9 bought a budget item at full price on its release day: one signal "
    "of three (score 1/3), so brand-loyal, not price-driven. Compare the price paid with the "
    "item's list price to find sale purchases.",
}


def _check_segment_customers(segment_customers, *, site) -> None:
    orders, items, brands, events, expected = _segment_fixture(site)
    labels = _series(call_learner(segment_customers, orders, items, brands, events),
                     "`segment_customers`")
    expect(labels.index.is_unique, "index the result by customer_id, one label per customer.")
    unknown = sorted(set(map(str, labels.unique())) - set(SEGMENTS))
    expect(not unknown, f"labels must be {list(SEGMENTS)}; you also used {unknown}.")
    expect(4 not in labels.index, "customer 4 never bought and viewed only 3 items: too little "
           "behaviour to tell, leave such customers out of the result.")
    for customer, label in expected.items():
        expect(customer in labels.index, f"customer {customer} is missing from your result: "
               "keep every customer with a purchase or at least 8 item views.")
        got = str(labels[customer])
        if (customer, got) == (6, "price_driven") and str(labels.get(10)) == "brand_loyal":
            got_why = "full price"  # one sale signal is not enough, so not 'any signal': `<=`
        else:
            got_why = got
        why = (_SEGMENT_MESSAGES.get((customer, got_why))
               or _SEGMENT_MESSAGES.get((customer, None)))
        expect(got == label, why or f"customer {customer} should be {label}, not {got}.")

    real = _series(call_learner(segment_customers, site.orders.copy(), site.items.copy(),
                                site.brands.copy(), site.events.copy()), "`segment_customers`")
    buyers = set(site.orders["customer_id"])
    expect(buyers <= set(real.index), "on the real shop some customers who bought are missing.")
    shares = real.astype(str).value_counts(normalize=True)
    expect(set(shares.index) <= set(SEGMENTS), "on the real shop you used other labels than "
           f"{list(SEGMENTS)}.")
    expect(shares.get("brand_loyal", 0) > 0.4, "on the real shop fewer than 40% of customers "
           "are brand-loyal by your rule; check the price score (a mean of three 0/1 signals "
           "over the customer's order lines, price-driven from 0.5).")


def _profile_fixture(site):
    items = _frame(site.items, [
        {"item_id": 1, "release_id": 1, "brand_id": 1, "price": 10_000,
         "release_date": "2025-03-01"},
    ])
    # Customer 1's sale line the morning after the release: not release day (a calendar day,
    # not 24 hours), and it pulls the brand-loyal mean price away from the median.
    lines = [(1, "2025-03-01 14:00", 10_000), (1, "2025-03-05 09:00", 10_000),
             (1, "2025-03-02 08:00", 4_000),
             (3, "2025-04-10 12:00", 3_000), (4, "2025-03-01 23:00", 8_000),
             (5, "2025-03-01 11:00", 10_000)]
    orders = _frame(site.orders, [
        {"order_id": i + 1, "customer_id": c, "item_id": 1, "brand_id": 1, "order_date": when,
         "price": paid, "quantity": 2 if c == 4 else 1}
        for i, (c, when, paid) in enumerate(lines)
    ])
    rows, session = [], 0
    for customer, n_views in {1: 4, 2: 2, 3: 3, 4: 20, 5: 5}.items():
        for _ in range(n_views):
            session += 1
            rows += [_visit(session, customer, "2025-03-02 20:00"),
                     _act(session, customer, "2025-03-02 20:01", "view", 1)]
    events = _frame(site.events, rows)
    segments = pd.Series(["brand_loyal", "brand_loyal", "price_driven", "window_shopper"],
                         index=pd.Index([1, 2, 3, 4], name="customer_id"), name="segment")
    expected = pd.DataFrame({
        "customers": [2, 1, 1],
        "purchases_per_customer": [1.5, 1.0, 1.0],
        "release_day_share": [1 / 3, 0.0, 1.0],
        "median_price_paid": [10_000.0, 3_000.0, 8_000.0],
        "views_per_purchase": [2.0, 3.0, 20.0],
    }, index=list(SEGMENTS))
    return orders, items, events, segments, expected


_PROFILE_COLUMNS = ("customers", "purchases_per_customer", "release_day_share",
                    "median_price_paid", "views_per_purchase")
_PROFILE_MESSAGES = {
    "customers": "`customers` counts the customers of each segment (from `segments`).",
    "purchases_per_customer": "`purchases_per_customer` is the segment's order lines ÷ its "
    "customers, including customers who bought nothing (brand-loyal: 3 lines ÷ 2 customers "
    "in the tiny shop). Count order lines, not units (ignore `quantity`).",
    "release_day_share": "`release_day_share` is the share of the segment's order lines "
    "bought on the item's release day, the same calendar day: an order at 23:00 on release "
    "day counts, one at 08:00 the next morning does not (compare dates, not 24 hours).",
    "median_price_paid": "`median_price_paid` is the median of `orders.price` (the price "
    "paid, yen) over the segment's order lines, not the mean: brand-loyal paid 10,000, "
    "10,000 and 4,000 in the tiny shop, a median of 10,000.",
    "views_per_purchase": "`views_per_purchase` is the segment's total item views ÷ its total "
    "order lines (not an average of per-customer ratios, which breaks for customers with no "
    "purchase).",
}


def _check_segment_profile(segment_profile, *, site) -> None:
    orders, items, events, tiny_segments, expected = _profile_fixture(site)
    table = _frame_result(call_learner(segment_profile, orders, items, events, tiny_segments),
                          "`segment_profile`", _PROFILE_COLUMNS)
    expect(set(map(str, table.index)) == set(SEGMENTS), "index the table by segment: "
           f"{list(SEGMENTS)}; you have {list(table.index)}.")
    table = table.rename(index=str)
    for column in _PROFILE_COLUMNS:
        got = pd.to_numeric(table.loc[list(SEGMENTS), column], errors="coerce").to_numpy(float)
        ok = np.allclose(got, expected[column].to_numpy(float), rtol=1e-9, equal_nan=False)
        expect(ok, "in a tiny shop " + _PROFILE_MESSAGES[column] + " Customer 5 is not in "
               "`segments`, so leave them out.")
    # Any labelling will do for the real shop's shape: here, customers in turn.
    ids = site.customers["customer_id"]
    segments = pd.Series(np.array(SEGMENTS)[ids.to_numpy() % 3], index=ids.to_numpy())
    real = _frame_result(call_learner(segment_profile, site.orders.copy(), site.items.copy(),
                                      site.events.copy(), segments), "`segment_profile`",
                         _PROFILE_COLUMNS)
    expect(int(real["customers"].sum()) == len(segments), "on the real shop the segments' "
           "customers do not add up to the customers in `segments`.")


# ---- notebook 2: Event Storming from data ----------------------------------------------------


def _timeline_fixture(site):
    items = _frame(site.items, [
        {"item_id": 1, "release_id": 1, "brand_id": 2, "release_date": "2025-05-10"},
        {"item_id": 2, "release_id": 1, "brand_id": 2, "release_date": "2025-05-10"},
        {"item_id": 3, "release_id": 2, "brand_id": 4, "release_date": "2025-05-01"},
        # Another brand's release on 20 May: customer 7's visit that day is not on release day.
        {"item_id": 4, "release_id": 3, "brand_id": 5, "release_date": "2025-05-20"},
    ])
    events = _frame(site.events, [
        _visit(1, 7, "2025-05-01 23:50", "search"),
        _act(1, 7, "2025-05-01 23:51", "view", 3, 4, "search"),
        _visit(2, 8, "2025-05-10 10:30"), _act(2, 8, "2025-05-10 10:31", "view", 1, 2),
        _act(2, 8, "2025-05-10 10:32", "cart", 1, 2),
        _act(2, 8, "2025-05-10 10:33", "purchase", 1, 2),
        _visit(3, 7, "2025-05-10 11:00", "mail"),
        _act(3, 7, "2025-05-10 11:01", "view", 1, 2, "mail"),
        _act(3, 7, "2025-05-10 11:03", "cart", 1, 2, "mail"),
        _act(3, 7, "2025-05-10 11:04", "purchase", 1, 2, "mail"),
        _act(3, 7, "2025-05-10 12:30", "post", 1, 2, "mail"),
        _visit(4, 7, "2025-05-15 20:00"), _act(4, 7, "2025-05-15 20:01", "view", 2, 2),
        _act(4, 7, "2025-05-15 20:02", "sold_out", 2, 2),
        _visit(5, 7, "2025-05-20 09:00", "social"),
        _act(5, 7, "2025-05-20 09:01", "view", 3, 4, "social"),
    ])
    expected = [
        ("2025-05-01 23:50", "visited on release day"),
        ("2025-05-10 11:00", "learned of a release"),
        ("2025-05-10 11:00", "visited on release day"),
        ("2025-05-10 11:04", "purchased"),
        ("2025-05-10 12:30", "posted on social media"),
        ("2025-05-15 20:00", "visited after release day"),
        ("2025-05-15 20:02", "missed the release date"),
        ("2025-05-20 09:00", "learned of a release"),
        ("2025-05-20 09:00", "visited after release day"),
    ]
    return events, items, expected


_TIMELINE_MESSAGES = {
    "learned of a release": "one 'learned of a release' per session from a mail or a social "
    "post, at the session's visit",
    "visited on release day": "one 'visited on release day' per session whose visit falls on "
    "the release day of the first item viewed in it, not on any release's day (compare "
    "calendar days: `.dt.normalize()`, since a visit at 23:50 is still on that day)",
    "visited after release day": "one 'visited after release day' per other session",
    "purchased": "one 'purchased' per purchase row",
    "missed the release date": "one 'missed the release date' per sold_out row",
    "posted on social media": "one 'posted on social media' per post row",
}


def _check_big_picture(big_picture, *, site, customer_id) -> None:
    events, items, expected = _timeline_fixture(site)
    board = _frame_result(call_learner(big_picture, events, items, 7), "`big_picture`",
                          ("timestamp", "domain_event", "brand_id"))
    unknown = sorted(set(map(str, board["domain_event"])) - set(DOMAIN_EVENTS))
    expect(not unknown, f"domain events must be named as in DOMAIN_EVENTS; you used {unknown}.")
    stamps = set(pd.to_datetime(board["timestamp"]).dt.strftime("%Y-%m-%d %H:%M"))
    expect(not stamps & {"2025-05-10 10:30", "2025-05-10 10:33"}, "in a tiny shop your board "
           "for customer 7 holds events of customer 8: keep only the rows of the `customer_id` "
           "asked for.")
    got = board["domain_event"].astype(str).value_counts()
    want = pd.Series([e for _, e in expected]).value_counts()
    for event in DOMAIN_EVENTS:
        expect(got.get(event, 0) == want.get(event, 0), f"in a tiny shop you have "
               f"{got.get(event, 0)} '{event}' but customer 7's events give {want[event]}: "
               f"{_TIMELINE_MESSAGES[event]}. Use only the customer asked for.")
    times = pd.to_datetime(board["timestamp"])
    expect(times.is_monotonic_increasing, "sort the timeline by timestamp: time runs left to "
           "right on the board.")
    pairs = list(zip(times.dt.strftime("%Y-%m-%d %H:%M"), board["domain_event"].astype(str),
                     strict=True))
    expect(pairs == expected, "the right domain events, but not at the right times or in the "
           "right order: each session's events sit at its visit's timestamp, and when two "
           "events share a timestamp they follow the order of DOMAIN_EVENTS ('learned of a "
           "release' before 'visited ...').")
    brands = pd.to_numeric(board["brand_id"], errors="coerce").fillna(-1).astype(int).tolist()
    expect(brands == [4, 2, 2, 2, 2, 2, 2, 4, 4], "the right stickies at the right times, but "
           f"their brand_id is {brands}: a session's stickies carry the brand of the first "
           "item viewed in it (a visit row has no brand), the others their own row's brand.")

    real = _frame_result(call_learner(big_picture, site.events.copy(), site.items.copy(),
                                      customer_id), "`big_picture`",
                         ("timestamp", "domain_event", "brand_id"))
    mine = site.events[site.events["customer_id"] == customer_id]
    n_sessions = mine["session_id"].nunique()
    visited = real["domain_event"].astype(str).str.startswith("visited").sum()
    expect(visited == n_sessions, f"on the real shop customer {customer_id} had {n_sessions} "
           f"sessions, but your board has {visited} 'visited ...' stickies.")


def _funnel_fixture(site):
    mail_log = _frame(site.mail_log, [
        {"campaign_id": 1, "customer_id": 1, "brand_id": 1, "send_date": "2025-05-01"},
        {"campaign_id": 1, "customer_id": 2, "brand_id": 1, "send_date": "2025-05-01"},
        {"campaign_id": 2, "customer_id": 2, "brand_id": 1, "send_date": "2025-05-08"},
    ])
    events = _frame(site.events, [
        _visit(1, 3, "2025-05-02 10:00", "social"),
        _act(1, 3, "2025-05-02 10:01", "view", 1, 1, "social"),
        _visit(2, 1, "2025-05-03 10:00", "search"),
        _act(2, 1, "2025-05-03 10:01", "view", 1, 1, "search"),
        _act(2, 1, "2025-05-03 10:02", "cart", 1, 1, "search"),
        _act(2, 1, "2025-05-03 10:03", "purchase", 1, 1, "search"),
        _act(2, 1, "2025-05-03 11:00", "post", 1, 1, "search"),
        _visit(3, 4, "2025-05-04 10:00"), _act(3, 4, "2025-05-04 10:01", "view", 1),
        _act(3, 4, "2025-05-04 10:02", "sold_out", 1),
        _visit(4, 2, "2025-05-08 11:00", "mail"),
        _act(4, 2, "2025-05-08 11:01", "view", 1, 1, "mail"),
        _visit(5, 1, "2025-05-09 10:00", "search"),
        _act(5, 1, "2025-05-09 10:01", "view", 1, 1, "search"),
    ])
    return events, mail_log, {"Attention": 3, "Interest": 4, "Search": 1, "Action": 1,
                              "Share": 1}


_FUNNEL_MESSAGES = {
    "Attention": "Attention counts each customer once who received a release mail (in "
    "`mail_log`, clicked or not) or arrived from a social post",
    "Interest": "Interest counts customers who viewed an item",
    "Search": "Search counts customers who arrived from a search engine (a session whose "
    "source is 'search'), each once",
    "Action": "Action counts customers who bought (a purchase row; a sold_out row is an "
    "attempt that failed, not an Action)",
    "Share": "Share counts customers who posted on social media",
}


def _check_aisas_funnel(aisas_funnel, *, site) -> None:
    events, mail_log, expected = _funnel_fixture(site)
    funnel = _series(call_learner(aisas_funnel, events, mail_log), "`aisas_funnel`")
    expect(list(map(str, funnel.index)) == list(AISAS_STAGES), "index the funnel by the "
           f"stages in AISAS order: {list(AISAS_STAGES)}.")
    for stage, value in expected.items():
        expect(funnel[stage] == value, f"in a tiny shop your {stage} is {funnel[stage]}, not "
               f"the count of customers: {_FUNNEL_MESSAGES[stage]}.")
    real = _series(call_learner(aisas_funnel, site.events.copy(), site.mail_log.copy()),
                   "`aisas_funnel`")
    expect(real.max() <= site.n_customers, "on the real shop a stage has more customers than "
           "the shop has: count distinct customers.")


def _check_miss_rate_by_source(miss_rate_by_source, *, site) -> None:
    rows, session = [], 0
    plan = {"search": ["purchase"] * 3 + ["sold_out"], "direct": ["purchase", "sold_out"],
            "mail": ["purchase", "purchase"], "social": ["sold_out"]}
    for source, outcomes in plan.items():
        for outcome in outcomes:
            session += 1
            # Customer 1 buys three times from search, customer 4 misses once: the pooled
            # rate is 1/4, a mean of per-customer rates would be 1/2.
            customer = 1 if source == "search" and outcome == "purchase" else session
            when = f"2025-05-{session:02d} 10:00"
            rows += [_visit(session, customer, when, source),
                     _act(session, customer, when, "view", 1, 1, source),
                     _act(session, customer, when, outcome, 1, 1, source)]
            if outcome == "purchase":
                rows.append(_act(session, customer, when, "cart", 1, 1, source))
    events = _frame(site.events, rows)
    rates = _series(call_learner(miss_rate_by_source, events), "`miss_rate_by_source`")
    rates = rates.rename(index=str)
    expect(set(plan) <= set(rates.index), "give one rate per source (mail, search, direct, "
           "social), including a source where nobody missed (rate 0); you have "
           f"{list(rates.index)}.")
    rates = pd.to_numeric(rates, errors="coerce")
    expect(not rates.isna().any(), "in a tiny shop your rate for "
           f"{', '.join(rates.index[rates.isna()])} is NaN: a source where nobody missed has "
           "rate 0 (0 sold_out rows of its attempts), not a missing value.")
    expect(not math.isclose(rates["search"], 1 / 3), "in a tiny shop you divided sold-out rows "
           "by purchases; divide by all purchase attempts (purchase rows + sold_out rows).")
    search_rows = int((events["source"] == "search").sum())
    expect(not math.isclose(rates["search"], 1 / search_rows), "in a tiny shop you divided by "
           "every event row of the source; a purchase attempt is a purchase row or a sold_out "
           "row.")
    expect(rates.between(0, 1).all(), "rates are shares between 0 and 1, not counts.")
    expect(not math.isclose(rates["search"], 0.5), "in a tiny shop your search rate is a mean "
           "of each customer's own miss rate (customer 1: 0 of 3, customer 4: 1 of 1); pool "
           "the source's attempts instead: 1 sold_out of 4 attempts is 0.25.")
    wanted = {"search": 0.25, "direct": 0.5, "mail": 0.0, "social": 1.0}
    for source, value in wanted.items():
        expect(math.isclose(rates[source], value, abs_tol=1e-12), f"in a tiny shop your rate "
               f"for {source} is off: sold_out rows ÷ (purchase + sold_out rows) of that source.")
    real = _series(call_learner(miss_rate_by_source, site.events.copy()), "`miss_rate_by_source`")
    expect(len(real) == 4, "on the real shop give one rate per source (4 sources).")


# ---- notebook 3: the CX metric ---------------------------------------------------------------


def _access_fixture(site):
    items = _frame(site.items, [
        {"item_id": i, "release_id": r, "brand_id": 1, "release_date": day}
        for i, r, day in [(1, 1, "2025-05-01"), (2, 2, "2025-06-05"), (3, 3, "2025-07-10")]
    ])
    campaigns = _frame(site.campaigns, [
        {"campaign_id": c, "brand_id": 1, "release_id": c, "send_date": day,
         "release_date": day, "n_sent": n}
        for c, day, n in [(1, "2025-05-01", 100), (2, "2025-06-05", 50), (3, "2025-07-10", 20)]
    ])
    events = _frame(site.events, [
        _visit(1, 1, "2025-05-01 11:00", "mail"), _act(1, 1, "2025-05-01 11:01", "view", 1,
                                                       source="mail"),
        _act(1, 1, "2025-05-01 11:02", "cart", 1, source="mail"),
        _act(1, 1, "2025-05-01 11:03", "purchase", 1, source="mail"),
        _visit(2, 2, "2025-05-01 12:00", "mail"), _act(2, 2, "2025-05-01 12:01", "view", 1,
                                                       source="mail"),
        _visit(3, 3, "2025-06-05 13:00", "mail"), _act(3, 3, "2025-06-05 13:01", "view", 2,
                                                       source="mail"),
        _visit(4, 4, "2025-07-10 14:00", "search"), _act(4, 4, "2025-07-10 14:01", "view", 3,
                                                         source="search"),
    ])
    return events, items, campaigns


def _check_access_rate_from_events(access_rate_from_events, *, site) -> None:
    events, items, campaigns = _access_fixture(site)
    tiny = _frame_result(call_learner(access_rate_from_events, events, items, campaigns),
                         "`access_rate_from_events`", ("sent", "accesses", "access_rate"))
    expect(set(tiny.index) <= {1, 2, 3}, "index the table by campaign_id.")
    expect(3 in tiny.index, "in a tiny shop campaign 3's mail brought nobody, and your table "
           "leaves it out: a campaign with no access still has a rate, 0. Keep every campaign.")
    accesses = pd.to_numeric(tiny["accesses"], errors="coerce")
    expect(not accesses.isna().any(), "in a tiny shop a campaign with no access has NaN "
           "accesses: it should be 0 (`fill_value=0` or `fillna(0)`).")
    expect(accesses[1] not in (4, 6), "in a tiny shop you counted every row of the mail "
           "sessions; an access is one session (one visit) from the mail.")
    expect(accesses[1] != 3, "in a tiny shop campaigns 1 and 2 announced two releases of the "
           "same brand: give each mail session to the campaign of the release its viewed item "
           "belongs to (`release_id`), not to the brand.")
    expect(accesses[1] == 2 and accesses[2] == 1, "in a tiny shop campaign 1 brought two mail "
           "sessions and campaign 2 one: count one access per session with source 'mail'.")
    expect(accesses[3] == 0, "in a tiny shop a search session is not an access from the mail.")
    expect(list(pd.to_numeric(tiny.loc[[1, 2, 3], "sent"])) == [100, 50, 20], "`sent` (the "
           "denominator) is every mail the campaign sent: `campaigns.n_sent`.")

    table = _frame_result(
        call_learner(access_rate_from_events, site.events.copy(), site.items.copy(),
                     site.campaigns.copy()),
        "`access_rate_from_events`", ("sent", "accesses", "access_rate"))
    log = site.mail_log.groupby("campaign_id")["accessed"].agg(["size", "sum"])
    expect(table.index.is_unique, "index the table by campaign_id, one row per campaign.")
    expect(len(table) == len(site.campaigns), f"there are {len(site.campaigns)} past campaigns "
           f"and your table has {len(table)} rows. A campaign whose mail brought nobody still "
           "has a rate (0), so keep it.")
    expect(set(table.index) == set(site.campaigns["campaign_id"]), "index the table by "
           "campaign_id (`table.index` should hold the campaign ids).")
    table = table.loc[log.index]
    expect(np.array_equal(table["sent"].to_numpy(), log["size"].to_numpy()), "`sent` (the "
           "denominator) is every mail the campaign sent: `campaigns.n_sent`.")
    accesses = pd.to_numeric(table["accesses"], errors="coerce").fillna(-1).to_numpy()
    expect((accesses >= 0).all(), "`accesses` must be counts, 0 when nobody came (no NaN).")
    differ = int((accesses != log["sum"].to_numpy()).sum())
    expect(differ == 0, f"`accesses` (the numerator) differs from the mail log for {differ} "
           "campaigns: count sessions with source 'mail' and give each to the campaign of the "
           "release its viewed item belongs to (not just to the brand, which releases many "
           "times).")
    rate = pd.to_numeric(table["access_rate"], errors="coerce").to_numpy(float)
    expect(np.allclose(rate, log["sum"] / log["size"]), "`access_rate` is accesses ÷ sent.")


def _metric_fixture() -> pd.DataFrame:
    values = {  # metric: (random, random twice the mails, rule, rule + mail history)
        "good": (0.020, 0.021, 0.030, 0.035),
        "more_mail_moves_it": (10.0, 20.0, 15.0, 17.0),
        "barely_moves": (1000.0, 1010.0, 1005.0, 1009.0),
        "one_list_only": (1.0, 1.0, 1.2, 1.05),
        "falls": (1.0, 1.0, 0.8, 0.7),
        "more_mail_lowers_it": (1.0, 0.85, 1.3, 1.4),
    }
    rows = []
    for campaign in (1, 2):
        for i, name in enumerate(TRIAL_LISTS):
            row = {"campaign_id": campaign, "list": name}
            row.update({m: v[i] * (0.9 if campaign == 1 else 1.1) for m, v in values.items()})
            rows.append(row)
    table = pd.DataFrame(rows)
    table["list"] = pd.Categorical(table["list"], categories=TRIAL_LISTS, ordered=True)
    return table


def _verdict(is_good_metric, trial, metric, **kwargs) -> bool:
    result = call_learner(is_good_metric, trial.copy(), metric, **kwargs)
    expect(not isinstance(result, np.bool_), "`is_good_metric` returned a numpy bool (from a "
           "comparison of pandas values): return a plain True or False, `bool(...)`.")
    expect(isinstance(result, bool), f"`is_good_metric` should return True or False, not a "
           f"{type(result).__name__}.")
    return result


def _check_is_good_metric(is_good_metric, *, trial) -> None:
    tiny = _metric_fixture()
    expect(_verdict(is_good_metric, tiny, "good"), "a metric that goes from 0.020 (random) to "
           "0.030 and 0.035 (the two rules), and stays at 0.021 with twice the mails, is "
           "good: compare relative changes (0.030 / 0.020 - 1 = +50%), not differences.")
    expect(not _verdict(is_good_metric, tiny, "more_mail_moves_it"), "a metric that doubles "
           "when we only send twice the mails is not good: it rewards sending more, not "
           "aiming better. Check the 'random, twice the mails' list too.")
    expect(not _verdict(is_good_metric, tiny, "barely_moves"), "a metric that moves by under "
           "1% when the list gets better is not good: it must rise by at least `min_gain`.")
    expect(not _verdict(is_good_metric, tiny, "one_list_only"), "a metric must rise by at least "
           "`min_gain` for both rule lists, not only one of them.")
    expect(not _verdict(is_good_metric, tiny, "falls"), "a metric that falls when the list gets "
           "better is not good: it must rise.")
    expect(not _verdict(is_good_metric, tiny, "more_mail_lowers_it"), "a metric that drops 15% "
           "when we only send more mail moved by more than `min_gain`: the change with twice "
           "the mails must stay under `min_gain` in either direction.")
    expect(not _verdict(is_good_metric, tiny, "good", min_gain=0.6), "with min_gain=0.6 the "
           "metric 'good' (+50% and +75%) is not good enough: use the `min_gain` argument.")
    verdicts = {m: _verdict(is_good_metric, trial, m)
                for m in ("access_rate", "top_page_visits", "accesses", "mails_sent")}
    expect(verdicts["access_rate"] and not any(v for m, v in verdicts.items()
                                               if m != "access_rate"),
           "the tiny trial passed, but on the real trial your verdicts are "
           f"{verdicts}; average each metric over campaigns, per list.")


# ---- notebook 4: prioritisation --------------------------------------------------------------


def _check_missed_release_problem(missed_release_problem, *, site) -> None:
    items = _frame(site.items, [
        {"item_id": 1, "release_id": 1, "brand_id": 1, "price": 10_000,
         "release_date": "2025-05-01"},
        {"item_id": 2, "release_id": 1, "brand_id": 1, "price": 20_001,
         "release_date": "2025-05-01"},
    ])
    events = _frame(site.events, [
        _visit(1, 1, "2025-05-03 10:00"), _act(1, 1, "2025-05-03 10:01", "view", 1),
        _act(1, 1, "2025-05-03 10:02", "sold_out", 1),
        _visit(2, 1, "2025-05-04 10:00"), _act(2, 1, "2025-05-04 10:01", "view", 2),
        _act(2, 1, "2025-05-04 10:02", "sold_out", 2),
        _visit(3, 2, "2025-05-05 10:00"), _act(3, 2, "2025-05-05 10:01", "view", 1),
        _act(3, 2, "2025-05-05 10:02", "sold_out", 1),
        _visit(5, 2, "2025-05-06 10:00"), _act(5, 2, "2025-05-06 10:01", "view", 1),
        _act(5, 2, "2025-05-06 10:02", "sold_out", 1),
        _visit(4, 3, "2025-05-01 10:00"), _act(4, 3, "2025-05-01 10:01", "view", 2),
        _act(4, 3, "2025-05-01 10:02", "cart", 2), _act(4, 3, "2025-05-01 10:03", "purchase", 2),
    ])
    result = call_learner(missed_release_problem, events, items)
    expect(isinstance(result, Mapping | pd.Series), "return a dict with the keys "
           f"'customers_affected' and 'yen_per_customer', not a {type(result).__name__}.")
    for key in ("customers_affected", "yen_per_customer"):
        expect(key in result, f"the result lacks the key '{key}'.")
    customers = _number(result["customers_affected"], "customers_affected")
    yen = _number(result["yen_per_customer"], "yen_per_customer")
    expect(customers != 4, "in a tiny shop you counted 4 sold_out rows; count customers, each "
           "once (customers 1 and 2 each missed twice).")
    expect(customers != 3, "in a tiny shop you counted 3 customer–item pairs; count customers, "
           "each once.")
    expect(customers == 2, "in a tiny shop customers 1 and 2 missed a release (a sold_out row): "
           "`customers_affected` should count them.")
    expect(not math.isclose(yen, 50_001 / 4), "in a tiny shop you gave the yen per sold_out "
           "row; give the yen per affected customer (total ÷ customers).")
    expect(not math.isclose(yen, 40_001 / 2), "in a tiny shop you counted each customer–item "
           "pair once; customer 2 met 'sold out' on item 1 twice, in two visits: every "
           "sold_out row is a missed item and adds its list price (¥50,001 in all).")
    expect(not math.isclose(yen, 30_001 / 2), "in a tiny shop you counted each missed item "
           "once for the whole shop; every sold_out row adds its list price (¥50,001 in all).")
    expect(yen != 25_000, "in a tiny shop you rounded the yen to ¥25,000: ¥50,001 over 2 "
           "customers is ¥25,000.5; keep the fraction (a float).")
    expect(math.isclose(yen, 25_000.5), "in a tiny shop the list prices of the 4 sold_out rows "
           "add up to ¥50,001 over 2 customers; `yen_per_customer` is that total ÷ customers "
           "affected.")
    real = call_learner(missed_release_problem, site.events.copy(), site.items.copy())
    n = site.events.loc[site.events["event"] == "sold_out", "customer_id"].nunique()
    expect(_number(real["customers_affected"], "customers_affected") == n, "on the real shop "
           "`customers_affected` is not the number of customers with a sold_out row.")


def _priority_fixture() -> tuple[pd.DataFrame, pd.Timestamp, int, list[str]]:
    candidates = pd.DataFrame({
        "problem": ["A", "B", "C", "D", "E"],
        "customers_affected": [100, 20, 10, 1_000, 5],
        "yen_per_customer": [1_000, 1_000, 1_000, 50, 100_000],
        "deadline": pd.to_datetime(["2026-01-31", "2026-02-01", None, "2026-04-01",
                                    "2026-06-01"]),
    })
    return candidates, pd.Timestamp("2026-01-01"), 1_000_000, ["A", "E", "D", "B", "C"]


def _check_prioritise(prioritise, *, site) -> None:
    candidates, today, revenue, order = _priority_fixture()
    table = _frame_result(call_learner(prioritise, candidates, today, revenue),
                          "`prioritise`", ("problem", "urgency", "importance", "poc_priority"))
    expect(table is not candidates and "urgency" not in candidates.columns,
           "do not change the `candidates` table you are given; work on a copy "
           "(`candidates.copy()`).")
    expect(len(table) == len(candidates), "keep every candidate problem, one row each.")
    scores = table.set_index("problem")
    urgency = {"A": (3, "a deadline in exactly 30 days is high urgency (3): within 30 days "
                     "counts"),
               "B": (2, "a deadline in 31 days is medium urgency (2)"),
               "C": (1, "no deadline (NaT) is low urgency (1)"),
               "D": (2, "a deadline in exactly 90 days is medium urgency (2)"),
               "E": (1, "a deadline more than 90 days away is low urgency (1)")}
    for problem, (value, why) in urgency.items():
        expect(scores.loc[problem, "urgency"] == value, f"in a tiny table: {why}.")
    importance = {"A": (3, "100 customers x ¥1,000 = 10% of yearly revenue: high (3); 10% "
                           "counts as high"),
                  "B": (2, "20 x ¥1,000 = 2% of yearly revenue: medium (2)"),
                  "C": (1, "10 x ¥1,000 = 1% of yearly revenue: low (1)"),
                  "D": (2, "1,000 customers x ¥50 = 5%: medium (2); many customers with a "
                           "small problem"),
                  "E": (3, "5 customers x ¥100,000 = 50%: high (3); importance is size x "
                           "customers, not customers alone")}
    for problem, (value, why) in importance.items():
        expect(scores.loc[problem, "importance"] == value, f"in a tiny table: {why}.")
    expect((scores["poc_priority"] == scores["urgency"] + scores["importance"]).all(),
           "`poc_priority` is urgency + importance.")
    expect(list(table["problem"]) == order, "sort by PoC priority, highest first; among equal "
           "priorities, put the larger impact (customers x yen) first.")


def _check_ml_value_and_burden(ml_value_and_burden, *, site) -> None:
    cases = pd.DataFrame({
        "idea": ["X", "Y", "Z", "W"],
        "predictions": [1_000, 500, 10_000, 70],
        "per": ["day", "month", "year", "week"],
        "effect_yen": [2.0, 100.0, 10.0, 1.0],
        "wrong_impact_yen": [0.5, 1_000.0, 1.0, 0.0],
    })
    table = _frame_result(call_learner(ml_value_and_burden, cases),
                          "`ml_value_and_burden`", ("idea", "ml_value", "ml_burden"))
    expect(table is not cases and "ml_value" not in cases.columns, "do not change the `cases` "
           "table you are given; work on a copy (`cases.copy()`).")
    got = table.set_index("idea")
    value = pd.to_numeric(got["ml_value"], errors="coerce")
    burden = pd.to_numeric(got["ml_burden"], errors="coerce")
    expect(not math.isclose(value["X"], 2_000), "idea X makes 1,000 predictions per day: "
           "convert every count to predictions per year before you multiply (the values are "
           "compared in yen per year).")
    expect(not math.isclose(value["W"], 3_640), "a year has 365/7 weeks in this course, not 52: "
           "use `course.money.PER_YEAR` or `Rate(...).to('year')`.")
    expect(not math.isclose(burden["Y"], 600_000), "`ml_burden` uses the business impact of a "
           "wrong prediction (`wrong_impact_yen`), not the effect of a right one.")
    want_value = {"X": 730_000, "Y": 600_000, "Z": 100_000, "W": 3_650}
    want_burden = {"X": 182_500, "Y": 6_000_000, "Z": 10_000, "W": 0}
    for idea in want_value:
        expect(math.isclose(value[idea], want_value[idea], rel_tol=1e-9),
               f"in a tiny table the ML value of idea {idea} is off: predictions per year "
               "(a year = 365 days = 12 months = 365/7 weeks) x effect of one prediction (yen).")
        expect(math.isclose(burden[idea], want_burden[idea], rel_tol=1e-9, abs_tol=1e-9),
               f"in a tiny table the ML burden of idea {idea} is off: predictions per year x "
               "business impact of a wrong one (yen).")



# ---- the exercises ---------------------------------------------------------------------------

active_user_ratio = Exercise(
    key="part2-active-user-ratio",
    goal="Measure the business problem: the KPI is the monthly active-user ratio.",
    answer_names=["active_user_ratio"],
    checker=_check_active_user_ratio,
    hints=[
        "Active = at least one `visit` row in the month. `pd.Period(month, freq='M')` gives "
        "the month; `events['timestamp'].dt.to_period('M')` gives each row's month.",
        "Count active customers with `.nunique()`, so a customer with three visits counts once.",
        "The denominator is customers whose `signup_date` is on or before the end of the "
        "month (`period.end_time`).",
    ],
    success="That is the business problem in one number. Next: what is the customer's problem?",
)

stale_sessions = Exercise(
    key="part2-stale-sessions",
    goal="Find the customer problem behind the KPI: visits that show nothing new.",
    answer_names=["stale_sessions"],
    checker=_check_stale_sessions,
    hints=[
        "Keep the `view` rows and add each item's `release_id` from `items` (a merge on "
        "`item_id`).",
        "Session ids follow time, so a customer's first look at a release is the smallest "
        "`session_id` among their views of it: "
        "`views.groupby(['customer_id', 'release_id'])['session_id'].transform('min')`.",
        "A view is 'seen before' when its session is later than that first session; a session "
        "is stale when all its views are: `seen.groupby(views['session_id']).all()`.",
    ],
    success="The customers who come most often are shown the same things again and again.",
)

segment_customers = Exercise(
    key="part2-segment-customers",
    goal="Find the customer segments in behaviour: brand-loyal, price-driven, window shoppers.",
    answer_names=["segment_customers"],
    checker=_check_segment_customers,
    hints=[
        "Per order line, three 0/1 signals: `price < list price` (merge `items` for the list "
        "price), bought more than 3 days after `release_date`, brand's `price_tier == "
        "'budget'` (merge `brands`). The price score is the mean over the customer's lines of "
        "the mean of the three.",
        "Build one row per customer with `purchases` (order lines) and `views` (view rows), "
        "filling missing counts with 0; keep rows with a purchase or at least 8 views.",
        "Then `np.where(window, 'window_shopper', np.where(score >= 0.5, 'price_driven', "
        "'brand_loyal'))`, with window = views >= 8 * purchases.clip(lower=1).",
    ],
    success="Three groups with different needs, visible in what they do, not in a column.",
)

segment_profile = Exercise(
    key="part2-segment-profile",
    goal="Show what each segment needs, to see why one generic list cannot serve them all.",
    answer_names=["segment_profile"],
    checker=_check_segment_profile,
    hints=[
        "Add the segment to each order line and each view: `orders['customer_id'].map(segments)`"
        " (customers not in `segments` get NaN: drop them).",
        "An order line is on release day when `order_date.dt.normalize() == release_date` "
        "(merge `items` for the release date).",
        "Per segment: customers from `segments.value_counts()`, order lines and views from "
        "`groupby(...).size()`; divide the totals.",
    ],
    success="Each segment wants something different from the same 'you may also like'.",
)

big_picture = Exercise(
    key="part2-big-picture",
    goal="Rebuild a customer's Big Picture: past-tense domain events in time order.",
    answer_names=["big_picture"],
    checker=_check_big_picture,
    hints=[
        "Work on one customer's rows. Per session you need its visit (timestamp, source) and "
        "the first item it viewed (`drop_duplicates('session_id')` on the view rows), with "
        "that item's `release_date` and `brand_id`.",
        "Build three small tables, each with timestamp, domain_event and brand_id: "
        "'learned of a release' for mail/social sessions, one 'visited ...' per session "
        "(release day when `timestamp.dt.normalize() == release_date`), and the purchase/"
        "sold_out/post rows renamed; then `pd.concat` them.",
        "To break ties in journey order, make domain_event an ordered categorical "
        "(`pd.Categorical(..., categories=DOMAIN_EVENTS, ordered=True)`) and sort by "
        "`['timestamp', 'domain_event']`.",
    ],
    success="That is the customer's journey on the board, straight from the data.",
)

aisas_funnel = Exercise(
    key="part2-aisas-funnel",
    goal="Build the AISAS funnel: how many customers reach each stage.",
    answer_names=["aisas_funnel"],
    checker=_check_aisas_funnel,
    hints=[
        "Each stage is a set of customer ids; Attention is the union (`|`) of the mail "
        "recipients in `mail_log` and the customers of social-media sessions.",
        "Sources are on every row of a session; use the `visit` rows to look at sessions.",
        "Return `pd.Series({'Attention': len(...), ...})` in AISAS order.",
    ],
    success="From Attention to Share, each stage loses customers.",
)

miss_rate_by_source = Exercise(
    key="part2-miss-rate-by-source",
    goal="Find where customers drop out: the share of purchase attempts that hit 'sold out'.",
    answer_names=["miss_rate_by_source"],
    checker=_check_miss_rate_by_source,
    hints=[
        "A purchase attempt is a `purchase` row or a `sold_out` row; keep only those.",
        "Per source, which share of those attempts are sold_out rows? A mean of a True/False "
        "column is a share; group the attempts, not the customers.",
    ],
    success="Customers who came from the mail almost never missed: they came in time.",
)

access_rate_from_events = Exercise(
    key="part2-access-rate-from-events",
    goal="Define the CX metric from the timeline: accesses from the mail ÷ mails sent.",
    answer_names=["access_rate_from_events"],
    checker=_check_access_rate_from_events,
    hints=[
        "An access is one session with source 'mail'. Take its first `view` row "
        "(`drop_duplicates('session_id')`) and the `release_id` of that item.",
        "Count sessions per release, then bring them to `campaigns` by `release_id`; campaigns "
        "without accesses get 0 (`reindex(..., fill_value=0)` or `fillna(0)`).",
        "The denominator is `campaigns['n_sent']`; index the result by `campaign_id`.",
    ],
    success="The timeline's 'emailed' and 'learned of a release from the mail' give the "
    "denominator and the numerator.",
)

is_good_metric = Exercise(
    key="part2-is-good-metric",
    goal="Test a candidate metric: does it move with CX, revenue and model accuracy?",
    answer_names=["is_good_metric"],
    checker=_check_is_good_metric,
    hints=[
        "`means = trial.groupby('list', observed=True)[metric].mean()` gives one value per list.",
        "Relative change: `means[name] / means['random'] - 1`.",
        "Good = both rule lists rise by at least `min_gain`, and `abs(change)` for 'random, "
        "twice the mails' stays below `min_gain`. Return a plain `bool(...)`.",
    ],
    success="A metric that only moves when we send more, or barely moves, cannot steer the "
    "project.",
)

missed_release_problem = Exercise(
    key="part2-missed-release-problem",
    goal="Size a problem from data: customers affected and yen at stake per customer.",
    answer_names=["missed_release_problem"],
    checker=_check_missed_release_problem,
    hints=[
        "Keep the `sold_out` rows and merge `items` for each item's list `price`.",
        "Customers affected: `nunique()` of `customer_id`; yen per customer: the total list "
        "price of the missed items ÷ that number.",
    ],
    success="Size x customers: the importance of the problem, in yen.",
)

prioritise = Exercise(
    key="part2-prioritise",
    goal="Score urgency and importance 1-3 and rank by PoC priority = urgency + importance.",
    answer_names=["prioritise"],
    checker=_check_prioritise,
    hints=[
        "Days to the deadline: `(table['deadline'] - today).dt.days`; a missing deadline gives "
        "NaN, and every comparison with NaN is False.",
        "`np.select([days <= 30, days <= 90], [3, 2], default=1)` scores urgency; do the same "
        "for importance with the share of yearly revenue (>= 0.10 high, >= 0.02 medium).",
        "Sort with `sort_values(['poc_priority', 'impact'], ascending=False)` (compute the "
        "impact column first; you may keep it).",
    ],
    success="The grid shows at a glance which problem the PoC should take first.",
)

ml_value_and_burden = Exercise(
    key="part2-ml-value-and-burden",
    goal="Weigh ML value (predictions x effect) against ML burden (predictions x impact of a "
    "wrong one).",
    answer_names=["ml_value_and_burden"],
    checker=_check_ml_value_and_burden,
    hints=[
        "First turn each row's `predictions` into predictions per year: "
        "`cases['per'].map(PER_YEAR)` (from `course.money`) gives how many of each period a "
        "year holds.",
        "ml_value = predictions per year x `effect_yen`; ml_burden = predictions per year x "
        "`wrong_impact_yen`.",
    ],
    success="High value with a low burden is where ML pays; a high burden needs care first.",
)

__all__ = [
    "access_rate_from_events", "active_user_ratio", "aisas_funnel", "big_picture",
    "is_good_metric", "miss_rate_by_source", "missed_release_problem", "ml_value_and_burden",
    "prioritise", "segment_customers", "segment_profile", "stale_sessions",
]
