"""Run a season of release mails through the simulator and summarise it.

A *season* is the site's upcoming releases, mailed in date order. A list-building method
gives the recipients of each release, either as a mapping ``{release_id: customer_ids}`` or
as a function ``build(brand_id, release_id) -> customer_ids``. The season is mailed on a copy
of the site, so the caller's site is never changed and two methods can be compared fairly;
inside one season the releases share the copy, so a customer on several lists pays the
fatigue of the earlier mails, as in real life.

>>> from course.world import make_fashion_site
>>> site = make_fashion_site(n_customers=2_000, seed=1)
>>> lists = {int(r): [1, 2, 3] for r in site.upcoming_releases["release_id"][:2]}
>>> per_release = run_season(site, lists)
>>> season_summary(per_release)["mails"]
6
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from course.metrics import access_rate_ci
from course.world import FashionSite

__all__ = ["compare_seasons", "random_lists_like", "run_season", "season_summary"]

RecipientLists = Mapping[int, object] | Callable[[int, int], object]

PER_RELEASE_COLUMNS = [
    "release_id", "brand_id", "release_date", "mails", "accesses", "orders", "unsubscribed",
    "access_rate", "ci_low", "ci_high",
]
SUMMARY_FIELDS = [
    "releases", "brands", "mails", "accesses", "orders", "unsubscribed", "access_rate",
    "ci_low", "ci_high",
]


def _check_site(site: object) -> FashionSite:
    if not isinstance(site, FashionSite):
        kind = type(site).__name__
        raise TypeError(f"site must be a FashionSite (make_fashion_site), got {kind}")
    return site


def _recipients_of(lists: RecipientLists, brand_id: int, release_id: int) -> object | None:
    if callable(lists):
        return lists(brand_id, release_id)
    return lists.get(release_id)


def _is_empty(ids: object) -> bool:
    return ids is None or (hasattr(ids, "__len__") and len(ids) == 0)


def run_season(site: FashionSite, lists: RecipientLists) -> pd.DataFrame:
    """Mail every upcoming release that has a non-empty list; one row per release mailed.

    ``lists`` is ``{release_id: customer_ids}`` (releases missing from it, or with an empty
    list, are not mailed) or a function ``build(brand_id, release_id)`` returning the ids.
    Mails go out on ``site.copy()``, in release-date order. Columns: release_id, brand_id,
    release_date, mails, accesses, orders (purchases from the mail), unsubscribed (newly
    unsubscribed by this mail), access_rate and its 95% Wilson interval ci_low, ci_high.
    """
    _check_site(site)
    upcoming = site.upcoming_releases.sort_values(["release_date", "release_id"], kind="stable")
    if not callable(lists):
        if not isinstance(lists, Mapping):
            raise TypeError(
                "lists must be a dict {release_id: customer_ids} or a function "
                f"build(brand_id, release_id), got {type(lists).__name__}"
            )
        unknown = sorted(set(lists) - set(upcoming["release_id"].tolist()))
        if unknown:
            raise ValueError(f"lists: {unknown[:5]} are not upcoming release ids of this site")
    mailer = site.copy()
    log = mailer.sent_log
    opted_out = set(log.loc[log["unsubscribed"], "customer_id"].tolist())
    rows = []
    for release in upcoming.itertuples(index=False):
        brand_id, release_id = int(release.brand_id), int(release.release_id)
        ids = _recipients_of(lists, brand_id, release_id)
        if _is_empty(ids):
            continue
        result = mailer.send_mail(brand_id, ids, release_id=release_id)
        out_now = set(result.loc[result["unsubscribed"], "customer_id"].tolist())
        newly_out = len(out_now - opted_out)  # count each customer once, when they leave
        opted_out |= out_now
        mails, accesses = len(result), int(result["accessed"].sum())
        low, high = access_rate_ci(accesses, mails)
        rows.append({
            "release_id": release_id, "brand_id": brand_id,
            "release_date": release.release_date, "mails": mails, "accesses": accesses,
            "orders": int(result["purchased"].sum()), "unsubscribed": newly_out,
            "access_rate": accesses / mails, "ci_low": low, "ci_high": high,
        })
    return pd.DataFrame(rows, columns=PER_RELEASE_COLUMNS)


def season_summary(per_release: pd.DataFrame) -> pd.Series:
    """Totals of a season (the output of ``run_season``), with the pooled access rate and CI."""
    if not isinstance(per_release, pd.DataFrame):
        kind = type(per_release).__name__
        raise TypeError(f"per_release must be run_season's DataFrame, got {kind}")
    missing = [c for c in ("release_id", "brand_id", "mails", "accesses", "orders")
               if c not in per_release]
    if missing:
        raise ValueError(f"per_release lacks columns {missing}: pass run_season's output")
    mails, accesses = int(per_release["mails"].sum()), int(per_release["accesses"].sum())
    low, high = access_rate_ci(accesses, mails) if mails else (np.nan, np.nan)
    unsubscribed = per_release["unsubscribed"].sum() if "unsubscribed" in per_release else 0
    return pd.Series({
        "releases": per_release["release_id"].nunique(),
        "brands": per_release["brand_id"].nunique(),
        "mails": mails,
        "accesses": accesses,
        "orders": int(per_release["orders"].sum()),
        "unsubscribed": int(unsubscribed),
        "access_rate": accesses / mails if mails else np.nan,
        "ci_low": low,
        "ci_high": high,
    }, dtype=object)[SUMMARY_FIELDS]


def compare_seasons(seasons: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per named season (``{"step 1": per_release, ...}``) with its summary."""
    if not isinstance(seasons, Mapping) or not seasons:
        raise TypeError("seasons must be a non-empty dict {name: run_season output}")
    table = pd.DataFrame({name: season_summary(s) for name, s in seasons.items()}).T
    counts = ["releases", "brands", "mails", "accesses", "orders", "unsubscribed"]
    table[counts] = table[counts].astype("int64")
    rates = ["access_rate", "ci_low", "ci_high"]
    table[rates] = table[rates].astype(float)
    return table


def random_lists_like(
    site: FashionSite, lists: Mapping[int, object], seed: int = 0
) -> dict[int, np.ndarray]:
    """Random customers for the same releases and of the same sizes as ``lists``.

    The baseline of a fair comparison: a list of the same size drawn uniformly from every
    customer, one per release, reproducible for a given ``seed``.
    """
    _check_site(site)
    if not isinstance(lists, Mapping):
        kind = type(lists).__name__
        raise TypeError(f"lists must be a dict {{release_id: customer_ids}}, got {kind}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    everyone = site.customers["customer_id"].to_numpy(np.int64)
    drawn = {}
    for release_id in sorted(lists):
        size = 0 if lists[release_id] is None else len(lists[release_id])
        if size > everyone.size:
            raise ValueError(f"lists: release {release_id} has more ids than the site's customers")
        drawn[int(release_id)] = rng.choice(everyone, size=size, replace=False)
    return drawn
