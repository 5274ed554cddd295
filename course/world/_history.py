"""Simulate the past: purchase attempts, browsing sessions and the past mail campaigns.

Everything is drawn per release or per month (never per customer in Python), each from its own
random stream, so one release's draws do not depend on the others.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _mail, _rng
from . import _params as P
from ._people import Truth

DAY = 86_400
HOUR = 3_600


@dataclass
class History:
    """Raw simulated behaviour; times are whole seconds from the start of the history."""

    # purchase attempts, organic or from a mail session
    att_customer: np.ndarray
    att_release: np.ndarray
    att_item: np.ndarray
    att_time: np.ndarray
    att_quantity: np.ndarray
    att_mail: np.ndarray  # row into the mail arrays, -1 for organic attempts
    # every mail of the past campaigns (campaign = release index)
    mail_release: np.ndarray
    mail_customer: np.ndarray
    mail_accessed: np.ndarray
    # access sessions: row into the mail arrays and time
    access_row: np.ndarray
    access_time: np.ndarray
    # browse-only sessions
    browse_customer: np.ndarray
    browse_time: np.ndarray
    browse_item: np.ndarray
    browse_item2: np.ndarray  # second item viewed, -1 if none


def _delays(segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Days between going on sale and the purchase attempt, by segment."""
    early = rng.random(segment.size) < np.asarray(P.EARLY_SHARE)[segment]
    e = rng.exponential(1.0, segment.size)
    early_days = e * np.asarray(P.EARLY_MEAN_DAYS)[segment]
    late_days = np.asarray(P.LATE_OFFSET_DAYS)[segment] + e * np.asarray(P.LATE_MEAN_DAYS)[segment]
    return np.where(early, early_days, late_days)


def _poisson_customers(mu: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Customer indices with Poisson(mu_i) repeats each (drawn as one Poisson total, split)."""
    cum = np.cumsum(mu)
    if cum.size == 0 or cum[-1] <= 0:
        return np.empty(0, dtype=np.int64)
    total = rng.poisson(cum[-1])
    picks = np.searchsorted(cum, rng.random(total) * cum[-1], side="right")
    return np.minimum(picks, cum.size - 1)


def _bernoulli_subset(n: int, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices in 0..n-1, each included with probability ``fraction`` (geometric gaps)."""
    size = int(n * fraction + 6 * np.sqrt(n * fraction) + 20)
    picks = np.cumsum(rng.geometric(fraction, size)) - 1
    while picks[-1] < n:
        more = picks[-1] + np.cumsum(rng.geometric(fraction, size))
        picks = np.concatenate([picks, more])
    return picks[picks < n]


def simulate_history(
    truth: Truth, releases: pd.DataFrame, pick_item, n_days: int, seed: int
) -> History:
    end = n_days * DAY - HOUR  # the last hour stays free so sessions end inside the history
    rel_brand = releases["brand"].to_numpy()
    rel_day = releases["day"].to_numpy()
    rel_pop = releases["popularity"].to_numpy()
    mean_gap = sum(P.RELEASE_GAP_DAYS) / 2
    buy_rate = truth.activity * np.asarray(P.BUY_FACTOR)[truth.segment] * mean_gap / 365.0
    signup_order = truth.signup_day  # customer ids follow sign-up order

    att: dict[str, list[np.ndarray]] = {k: [] for k in ("c", "r", "i", "t", "q", "m")}
    mail: dict[str, list[np.ndarray]] = {k: [] for k in ("r", "c", "a", "row", "t")}
    recent: list[tuple[int, np.ndarray]] = []  # (day, recipients) within FATIGUE_DAYS
    n_mail_rows = 0

    for r in np.flatnonzero(rel_day < n_days):
        rid, b, day = int(r) + 1, int(rel_brand[r]), int(rel_day[r])
        on_sale = day * DAY + P.ON_SALE_HOUR * HOUR
        n_active = int(np.searchsorted(signup_order, day, side="right"))

        # Organic purchase attempts: Poisson(activity x affinity x popularity x this month).
        mu = buy_rate[:n_active] * truth.affinity_to(b, day, slice(0, n_active))
        mu *= rel_pop[r] * truth.monthly[truth.month_of_day[day], :n_active]
        rng = _rng.stream(seed, _rng.INTENTS, rid)
        cust = _poisson_customers(mu, rng)
        t = on_sale + np.round(_delays(truth.segment[cust], rng) * DAY).astype(np.int64)
        item = pick_item(np.full(cust.size, r), rng.random(cust.size))
        qty = 1 + (rng.random(cust.size) < P.SECOND_UNIT_SHARE)

        # The past campaign of this release: a random share of signed-up customers.
        rec_rng = _rng.stream(seed, _rng.RECIPIENTS, rid)
        rec = _bernoulli_subset(n_active, rec_rng.uniform(*P.MAIL_FRACTION), rec_rng)
        recent = [(d, c) for d, c in recent if d >= day - P.FATIGUE_DAYS]
        window = np.concatenate([c for _, c in recent] + [np.empty(0, np.int64)])
        fatigue = np.bincount(window, minlength=n_active)[rec]
        p = _mail.access_probability(truth, rec, b, day, rel_pop[r], fatigue)
        accessed = _mail.draws(seed, _rng.MAIL_ACCESS, rid, rec) < p
        s_rng = _rng.stream(seed, _rng.SESSIONS, rid)
        acc = np.flatnonzero(accessed)
        delay = np.minimum(s_rng.exponential(P.ACCESS_DELAY_MEAN_HOURS, acc.size),
                           P.ACCESS_WINDOW_HOURS)
        access_t = on_sale + np.round(delay * HOUR).astype(np.int64)
        late = access_t >= end  # accesses after the history ends are not seen
        accessed[acc[late]] = False
        acc, access_t = acc[~late], access_t[~late]
        q = _mail.buy_probability(truth, rec[acc], b, day)
        buys = _mail.draws(seed, _rng.MAIL_BUY, rid, rec[acc]) < q
        recent.append((day, rec))

        # A mail purchase replaces the same customer's organic attempt for this release.
        buyers = acc[buys]
        keep = (t < end) & ~np.isin(cust, rec[buyers])
        m_t = access_t[buys] + s_rng.integers(130, 600, buyers.size)
        att["c"] += [cust[keep], rec[buyers]]
        att["r"] += [np.full(keep.sum(), r), np.full(buyers.size, r)]
        att["i"] += [item[keep], pick_item(np.full(buyers.size, r), s_rng.random(buyers.size))]
        att["t"] += [t[keep], m_t]
        att["q"] += [qty[keep], 1 + (s_rng.random(buyers.size) < P.SECOND_UNIT_SHARE)]
        att["m"] += [np.full(keep.sum(), -1), n_mail_rows + buyers]

        mail["r"].append(np.full(rec.size, r, dtype=np.int32))
        mail["c"].append(rec.astype(np.int32))
        mail["a"].append(accessed)
        mail["row"].append(n_mail_rows + acc)
        mail["t"].append(access_t)
        n_mail_rows += rec.size

    def cat(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts).astype(dtype, copy=False)

    return History(
        att_customer=cat(att["c"], np.int32),
        att_release=cat(att["r"], np.int32),
        att_item=cat(att["i"], np.int32),
        att_time=cat(att["t"], np.int64),
        att_quantity=cat(att["q"], np.int16),
        att_mail=cat(att["m"], np.int64),
        mail_release=cat(mail["r"], np.int32),
        mail_customer=cat(mail["c"], np.int32),
        mail_accessed=cat(mail["a"], bool),
        access_row=cat(mail["row"], np.int64),
        access_time=cat(mail["t"], np.int64),
        **_browse(truth, releases, pick_item, n_days, seed),
    )


def _browse(truth: Truth, releases: pd.DataFrame, pick_item, n_days: int, seed: int) -> dict:
    """Browse-only sessions, drawn month by month; they view the brand's latest release."""
    rel_brand = releases["brand"].to_numpy()
    on_sale = releases["day"].to_numpy() * DAY + P.ON_SALE_HOUR * HOUR
    rate = truth.activity * np.asarray(P.BROWSE_PER_YEAR)[truth.segment] / 365.0
    months = truth.month_of_day[:n_days]
    out: dict[str, list[np.ndarray]] = {"c": [], "t": [], "i": [], "i2": []}
    for m in np.unique(months):
        days = np.flatnonzero(months == m)
        d0, d1 = int(days[0]), int(days[-1]) + 1
        lo = np.maximum(truth.signup_day, d0)
        span = np.maximum(d1 - lo, 0)
        rng = _rng.stream(seed, _rng.BROWSE, int(m))
        cust = _poisson_customers(rate * truth.monthly[m] * span, rng)
        t_day = lo[cust] + rng.random(cust.size) * span[cust]
        # Sessions mostly between 07:00 and midnight.
        t = (np.floor(t_day) * DAY + rng.uniform(7, 23.9, cust.size) * HOUR).astype(np.int64)
        brand = truth.sample_brands(cust, t_day, rng.random(cust.size))
        release = np.full(cust.size, -1)
        for b in range(truth.affinity.shape[0]):
            mask = brand == b
            rel_b = np.flatnonzero(rel_brand == b)
            pos = np.searchsorted(on_sale[rel_b], t[mask], side="right") - 1
            release[mask] = np.where(pos >= 0, rel_b[np.maximum(pos, 0)], -1)
        ok = (release >= 0) & (t < n_days * DAY - HOUR)
        cust, t, release = cust[ok], t[ok], release[ok]
        item = pick_item(release, rng.random(cust.size))
        item2 = pick_item(release, rng.random(cust.size))
        item2 = np.where((rng.random(cust.size) < 0.4) & (item2 != item), item2, -1)
        out["c"].append(cust)
        out["t"].append(t)
        out["i"].append(item)
        out["i2"].append(item2)
    return {
        "browse_customer": np.concatenate(out["c"]).astype(np.int32),
        "browse_time": np.concatenate(out["t"]).astype(np.int64),
        "browse_item": np.concatenate(out["i"]).astype(np.int32),
        "browse_item2": np.concatenate(out["i2"]).astype(np.int32),
    }
