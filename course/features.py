"""Features for release-mail response models, built only from what was known at send time.

Two entry points share one definition of every feature:

* :func:`mail_training_table` has one row per past mail of ``site.mail_log``: the features of
  the recipient as of the campaign's send date, and the label ``accessed``.
* :func:`recipient_features` has one row per customer: the same features for an upcoming
  release, to score who should get its mail.

No leakage: a past mail counts only once its 72-hour access window had closed before the send
(``send_date <= this send date - 3 days``), and purchases and page views count only if they
happened before the send date. A campaign's own accesses are its label, never a feature.

>>> from course.world import make_fashion_site
>>> site = make_fashion_site(n_customers=1_000, seed=3)
>>> table = mail_training_table(site, campaigns=[1, 2])
>>> table[FEATURES].shape[1] == len(FEATURES)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.world import FashionSite

__all__ = [
    "FEATURES",
    "FEATURE_DESCRIPTIONS",
    "mail_features_known_on",
    "mail_training_table",
    "recipient_features",
    "split_by_send_date",
    "top_share_access_rate",
    "upcoming_tables",
]

ACCESS_WINDOW_DAYS = 3  # a mail's `accessed` is known 72 hours after it was sent
FATIGUE_DAYS = 28  # "mails received lately"
PRIOR_MAILS, PRIOR_ACCESSES = 20.0, 0.5  # shrink a short mail history towards ~2.5%
RECENCY_CAP_DAYS = 400  # "never bought" and "bought over a year ago" look alike

FEATURE_DESCRIPTIONS: dict[str, str] = {
    "brand_orders": "order lines of the mailed brand",
    "brand_share": "share of the customer's order lines that are of the mailed brand",
    "orders": "order lines of any brand",
    "style_orders": "order lines of other brands of the same style (brands.category)",
    "tier_orders": "order lines of other brands of the same price tier",
    "orders_30d": "order lines of any brand in the last 30 days",
    "brand_orders_90d": "order lines of the mailed brand in the last 90 days",
    "brand_views": "item pages of the mailed brand viewed",
    "views": "item pages viewed, any brand",
    "mails": "release mails received whose outcome is known",
    "accesses": "of those, mails that brought the customer to the site",
    "access_rate": "past access rate, shrunk towards ~2.5% when few mails are known",
    "brand_mails": "release mails of the mailed brand received (outcome known)",
    "brand_accesses": "of those, mails that brought the customer to the site",
    "mails_28d": "release mails received in the last 28 days (fatigue)",
    "days_since_order": f"days since the last order line (capped at {RECENCY_CAP_DAYS})",
    "tenure_days": "days since the customer signed up",
}
FEATURES: list[str] = list(FEATURE_DESCRIPTIONS)
_NOT_COUNTS = {"brand_share", "access_rate", "days_since_order", "tenure_days"}
_COUNTS = [name for name in FEATURES if name not in _NOT_COUNTS]  # whole numbers, int64


def _days(stamps: pd.Series, origin: pd.Timestamp) -> np.ndarray:
    return ((stamps - origin) / pd.Timedelta(days=1)).to_numpy(dtype=np.float64)


@dataclass(frozen=True)
class _Events:
    """One kind of event sorted by time: day (float), customer index, brand index, weight."""

    day: np.ndarray
    customer: np.ndarray
    brand: np.ndarray
    weight: np.ndarray | None = None

    @classmethod
    def of(cls, frame: pd.DataFrame, time: str, origin: pd.Timestamp, weight: str | None = None):
        frame = frame.sort_values(time, kind="stable")
        return cls(
            day=_days(frame[time], origin),
            customer=frame["customer_id"].to_numpy(dtype=np.int64) - 1,
            brand=frame["brand_id"].to_numpy(dtype=np.int64) - 1,
            weight=None if weight is None else frame[weight].to_numpy(dtype=np.float64),
        )

    def before(self, day: float, since: float = -np.inf) -> slice:
        """Rows with ``since <= day_of_event < day``."""
        lo, hi = np.searchsorted(self.day, [since, day], side="left")
        return slice(int(lo), int(hi))


class _Running:
    """Customer x brand counts (or weight sums) of the first events of a stream, kept up to
    date as the day moves forward: campaigns come in date order, so each event is added once."""

    def __init__(self, events: _Events, n: int, n_brands: int, weighted: bool = False):
        self.events, self.n, self.n_brands, self.weighted = events, n, n_brands, weighted
        self.flat = np.zeros(n * n_brands, dtype=np.float64 if weighted else np.int64)
        self.upto = 0

    def counts(self, rows: slice) -> np.ndarray:
        """The matrix over ``rows`` (a slice from the first event); valid until the next call."""
        if rows.start != 0:
            raise ValueError("running counts start at the first event")
        if rows.stop < self.upto:  # back in time: start again
            self.flat[:] = 0
            self.upto = 0
        if rows.stop > self.upto:
            new = slice(self.upto, rows.stop)
            keys = self.events.customer[new] * self.n_brands + self.events.brand[new]
            weights = self.events.weight[new] if self.weighted else None
            self.flat += np.bincount(keys, weights, minlength=self.flat.size).astype(
                self.flat.dtype, copy=False)
            self.upto = rows.stop
        return self.flat.reshape(self.n, self.n_brands)


class _History:
    """Everything the shop recorded, as sorted arrays, ready for as-of-a-day aggregates."""

    def __init__(self, site: FashionSite, mails: pd.DataFrame):
        self.n, self.n_brands = site.n_customers, len(site.brands)
        self.origin = site.today
        self.data_end = 0.0  # site.today: the history tables stop here
        views = site.events[site.events["event"] == "view"]
        self.orders = _Events.of(site.orders, "order_date", self.origin)
        self.views = _Events.of(views, "timestamp", self.origin)
        self.mails = _Events.of(mails, "send_date", self.origin, weight="accessed")
        self.orders_so_far = _Running(self.orders, self.n, self.n_brands)
        self.views_so_far = _Running(self.views, self.n, self.n_brands)
        self.mails_so_far = _Running(self.mails, self.n, self.n_brands)
        self.accesses_so_far = _Running(self.mails, self.n, self.n_brands, weighted=True)
        self.signup = _days(site.customers["signup_date"], self.origin)
        style = site.brands["category"].cat.codes.to_numpy()
        tier = site.brands["price_tier"].cat.codes.to_numpy()
        other = ~np.eye(self.n_brands, dtype=bool)
        self.same_style = (style[:, None] == style[None, :]) & other
        self.same_tier = (tier[:, None] == tier[None, :]) & other

    def day(self, stamp: pd.Timestamp) -> float:
        return (stamp - self.origin) / pd.Timedelta(days=1)

    def columns(self, send_day: float, brand: int, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Features of customers ``idx`` (0-based) for a mail of ``brand`` sent on ``send_day``.

        Purchases and views are read as of the send day, or as of the end of the history for
        a send after it; mails as of the send day.
        """
        t = min(send_day, self.data_end)
        known = self.orders.before(t)
        orders = self.orders_so_far.counts(known)[idx]
        recent = self.orders.before(t, since=t - 90)
        of_brand = self.orders.brand[recent] == brand
        brand_orders_90d = np.bincount(self.orders.customer[recent][of_brand],
                                       minlength=self.n)[idx]
        last_30d = self.orders.before(t, since=t - 30)
        orders_30d = np.bincount(self.orders.customer[last_30d], minlength=self.n)[idx]
        last_order = np.full(self.n, -np.inf)
        last_order[self.orders.customer[known]] = self.orders.day[known]  # sorted: last wins
        views = self.views_so_far.counts(self.views.before(t))[idx]

        closed = self.mails.before(send_day - ACCESS_WINDOW_DAYS + 1e-9)
        mails = self.mails_so_far.counts(closed)[idx]
        accesses = self.accesses_so_far.counts(closed)[idx]
        fresh = self.mails.before(send_day, since=send_day - FATIGUE_DAYS)
        mails_28d = np.bincount(self.mails.customer[fresh], minlength=self.n)[idx]

        all_orders, all_mails, all_accesses = orders.sum(1), mails.sum(1), accesses.sum(1)
        values = {
            "brand_orders": orders[:, brand],
            "brand_share": orders[:, brand] / np.maximum(all_orders, 1),
            "orders": all_orders,
            "style_orders": orders[:, self.same_style[brand]].sum(1),
            "tier_orders": orders[:, self.same_tier[brand]].sum(1),
            "orders_30d": orders_30d,
            "brand_orders_90d": brand_orders_90d,
            "brand_views": views[:, brand],
            "views": views.sum(1),
            "mails": all_mails,
            "accesses": all_accesses,
            "access_rate": (all_accesses + PRIOR_ACCESSES) / (all_mails + PRIOR_MAILS),
            "brand_mails": mails[:, brand],
            "brand_accesses": accesses[:, brand],
            "mails_28d": mails_28d,
            "days_since_order": np.minimum(t - last_order[idx], RECENCY_CAP_DAYS),
            "tenure_days": np.maximum(send_day - self.signup[idx], 0.0),
        }
        return {name: np.asarray(column, dtype=np.int64 if name in _COUNTS else np.float64)
                for name, column in values.items()}

    def table(self, send_day: float, brand: int, idx: np.ndarray) -> pd.DataFrame:
        """:meth:`columns` as a DataFrame, in the order of :data:`FEATURES`."""
        return pd.DataFrame(self.columns(send_day, brand, idx))


def _stacked(parts: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One DataFrame of :data:`FEATURES` from per-group column dicts, stacked in order."""
    return pd.DataFrame({name: np.concatenate([part[name] for part in parts])
                         for name in FEATURES})


def _past_mails(site: FashionSite) -> pd.DataFrame:
    """Every mail of the history, plus those sent through the simulator (at release date)."""
    history = site.mail_log[["customer_id", "brand_id", "send_date", "accessed"]]
    sent = site.sent_log
    if sent.empty:
        return history
    dates = site.releases.set_index("release_id")["release_date"]
    sent = sent.assign(send_date=sent["release_id"].map(dates).to_numpy())
    return pd.concat([history, sent[history.columns]], ignore_index=True)


def _campaign_ids(site: FashionSite, campaigns: Iterable[int] | None) -> pd.DataFrame:
    if campaigns is None:
        return site.campaigns
    if isinstance(campaigns, str | bytes) or not isinstance(campaigns, Iterable):
        raise TypeError("campaigns: give a list of campaign ids, or None for every campaign")
    wanted = pd.Index(campaigns)
    if wanted.empty:
        raise ValueError("campaigns: the list is empty")
    if wanted.dtype.kind not in "iu":
        raise TypeError(f"campaigns: campaign ids must be whole numbers, got {wanted.dtype}")
    unknown = wanted.difference(site.campaigns["campaign_id"])
    if len(unknown):
        raise ValueError(f"campaigns: unknown campaign ids {unknown[:5].tolist()}")
    return site.campaigns[site.campaigns["campaign_id"].isin(wanted)]


def mail_training_table(site: FashionSite, campaigns: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per past mail: recipient features as of its send date, and the label.

    Columns: ``campaign_id``, ``customer_id``, ``brand_id``, ``send_date``, every name in
    :data:`FEATURES`, then ``accessed`` (the label). ``campaigns`` keeps only those campaign
    ids (default: every campaign of ``site.campaigns``). Rows follow the campaigns' order,
    recipients in ``mail_log`` order.
    """
    if not isinstance(site, FashionSite):
        raise TypeError(f"site: expected a FashionSite, got {type(site).__name__}")
    chosen = _campaign_ids(site, campaigns)
    history = _History(site, site.mail_log)
    log = site.mail_log
    rows_of = log.groupby("campaign_id", sort=False).indices
    customer = log["customer_id"].to_numpy(dtype=np.int64) - 1
    positions, parts = [], []
    for campaign in chosen.itertuples(index=False):
        rows = rows_of[campaign.campaign_id]
        positions.append(rows)
        parts.append(history.columns(history.day(campaign.send_date), campaign.brand_id - 1,
                                     customer[rows]))
    picked = log.take(np.concatenate(positions))
    ids = picked[["campaign_id", "customer_id", "brand_id", "send_date"]].reset_index(drop=True)
    label = picked["accessed"].reset_index(drop=True)
    return pd.concat([ids, _stacked(parts), label], axis=1)


def recipient_features(
    site: FashionSite, brand_id: int, release_id: int | None = None
) -> pd.DataFrame:
    """Features of every customer for an upcoming release of ``brand_id`` (default: its next).

    One row per customer (column ``customer_id``, then :data:`FEATURES`), ready for a model
    trained on :func:`mail_training_table`. Purchases and views are those of the whole
    history; mails include those sent through ``site.send_mail`` for earlier releases, so
    fatigue and the mail history follow what you have sent so far.
    """
    if not isinstance(site, FashionSite):
        raise TypeError(f"site: expected a FashionSite, got {type(site).__name__}")
    release = _upcoming_release(site, brand_id, release_id)
    return upcoming_tables(site, [release])[0]


def upcoming_tables(site: FashionSite, releases: Iterable[pd.Series]) -> list[pd.DataFrame]:
    """:func:`recipient_features` for several upcoming releases, sharing one read of the history.

    ``releases`` are rows of ``site.upcoming_releases`` (``brand_id``, ``release_date``).
    """
    history = _History(site, _past_mails(site))
    idx = np.arange(site.n_customers)
    customer_ids = site.customers["customer_id"].to_numpy(dtype=np.int64)
    tables = []
    for release in releases:
        features = history.table(history.day(release["release_date"]),
                                 int(release["brand_id"]) - 1, idx)
        features.insert(0, "customer_id", customer_ids)
        tables.append(features)
    return tables


def mail_features_known_on(site: FashionSite, mails: pd.DataFrame, as_of) -> pd.DataFrame:
    """:data:`FEATURES` of past ``mails`` as if each had been sent on ``as_of``.

    One row per row of ``mails`` (``customer_id``, ``brand_id``), same order and index:
    purchases, page views and mail outcomes known on that day, nothing later. Mail history
    is ``site.mail_log``'s, as in :func:`mail_training_table`.
    """
    history = _History(site, site.mail_log)
    day = history.day(pd.Timestamp(as_of))
    customer = mails["customer_id"].to_numpy(dtype=np.int64) - 1
    brand = mails["brand_id"].to_numpy(dtype=np.int64) - 1
    positions, parts = [], []
    for b in np.unique(brand):
        rows = np.flatnonzero(brand == b)
        positions.append(rows)
        parts.append(history.columns(day, int(b), customer[rows]))
    order = np.empty(len(mails), dtype=np.int64)
    order[np.concatenate(positions)] = np.arange(len(mails))
    return _stacked(parts).take(order).set_axis(mails.index)


def _upcoming_release(site: FashionSite, brand_id, release_id) -> pd.Series:
    if isinstance(brand_id, bool) or not isinstance(brand_id, int | np.integer):
        raise TypeError(f"brand_id: expected a whole number, got {brand_id!r}")
    if brand_id not in set(site.brands["brand_id"]):
        raise ValueError(f"brand_id: unknown brand {brand_id}")
    upcoming = site.upcoming_releases
    mine = upcoming[upcoming["brand_id"] == brand_id]
    if release_id is None:
        if mine.empty:
            raise ValueError(f"brand_id: brand {brand_id} has no upcoming release")
        return mine.iloc[0]
    if isinstance(release_id, bool) or not isinstance(release_id, int | np.integer):
        raise TypeError(f"release_id: expected a whole number or None, got {release_id!r}")
    match = mine[mine["release_id"] == release_id]
    if match.empty:
        raise ValueError(
            f"release_id: {release_id} is not an upcoming release of brand {brand_id} "
            "(see site.upcoming_releases)"
        )
    return match.iloc[0]


def top_share_access_rate(table: pd.DataFrame, scores, share: float = 0.05) -> float:
    """Access rate of a list made of the top ``share`` of each campaign's recipients.

    ``table`` has one row per past mail (``campaign_id``, ``accessed``), ``scores`` one number
    per row (higher = mail first). Past campaigns went to random customers, so this replays
    fairly what a targeted list of the same size would have achieved on each release. Every
    campaign contributes ``ceil(share * its mails)`` recipients; ties keep the table's order.
    """
    if not isinstance(table, pd.DataFrame) or not {"campaign_id", "accessed"} <= set(table):
        raise TypeError("table: a DataFrame with columns campaign_id and accessed is needed")
    values = np.asarray(scores, dtype=np.float64)
    if values.shape != (len(table),):
        raise ValueError(f"scores: expected {len(table)} numbers, one per row, got {values.shape}")
    if np.isnan(values).any():
        raise ValueError("scores: contains NaN")
    if isinstance(share, bool) or not 0.0 < float(share) <= 1.0:
        raise ValueError(f"share: must be in (0, 1], got {share!r}")
    campaign = table["campaign_id"].to_numpy()
    order = np.lexsort((np.arange(len(table)), -values, campaign))  # by campaign, best first
    sorted_campaign = campaign[order]
    starts = np.flatnonzero(np.r_[True, sorted_campaign[1:] != sorted_campaign[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    position = np.arange(len(order)) - np.repeat(starts, sizes)
    keep = position < np.repeat(np.ceil(share * sizes - 1e-9), sizes)
    return float(table["accessed"].to_numpy()[order[keep]].mean())


def split_by_send_date(
    table: pd.DataFrame, cutoff: pd.Timestamp
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a mail table in time: train on the past, test on campaigns sent from ``cutoff``.

    ``train`` keeps the mails whose outcome was known before the cutoff (sent at least
    three days earlier), ``test`` the mails sent on or after it: as if the model were built
    on the cutoff day and judged on the campaigns that followed.
    """
    if not isinstance(table, pd.DataFrame) or "send_date" not in table:
        raise TypeError("table: a DataFrame with a send_date column is needed")
    cutoff = pd.Timestamp(cutoff)
    known = table["send_date"] <= cutoff - pd.Timedelta(days=ACCESS_WINDOW_DAYS)
    later = table["send_date"] >= cutoff
    if not known.any() or not later.any():
        raise ValueError(f"cutoff: {cutoff.date()} leaves the train or the test part empty")
    return table[known], table[later]
