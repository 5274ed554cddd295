"""make_fashion_site: build the whole synthetic site from a seed."""

import dataclasses
import functools

import numpy as np
import pandas as pd

from . import _rng
from ._assemble import assemble
from ._catalog import item_picker, make_brands, make_items, make_releases
from ._checks import check_date, check_fraction, check_int
from ._history import simulate_history
from ._people import make_customers
from ._site import FashionSite


def make_fashion_site(
    n_customers: int = 20_000,
    n_brands: int = 12,
    n_days: int = 365,
    start: str | pd.Timestamp = "2025-01-01",
    seed: int = 0,
    *,
    taste_drift: float = 0.0,
) -> FashionSite:
    """Generate a seeded synthetic fashion e-commerce site with ``n_days`` of history.

    Same arguments, same data on every machine. ``taste_drift`` (0-1) is the share of each
    customer's brand taste that moves to a new taste over a year (0 = stable tastes).
    Each call returns an independent site; the last few shops of up to 200,000 customers are
    kept, so asking again for the same shop costs a copy, not a new simulation.
    """
    n_customers = check_int("n_customers", n_customers, low=100, high=5_000_000)
    n_brands = check_int("n_brands", n_brands, low=2, high=100)
    n_days = check_int("n_days", n_days, low=60, high=3_650)
    start = check_date("start", start)
    seed = check_int("seed", seed, low=0)
    taste_drift = check_fraction("taste_drift", taste_drift)

    key = (n_customers, n_brands, n_days, start, seed, taste_drift)
    if n_customers > _KEEP_UP_TO_CUSTOMERS:
        return _generate(*key)
    return _kept(*key).copy()


_KEEP_UP_TO_CUSTOMERS = 200_000  # four kept shops of this size take about 1 GB


@functools.lru_cache(maxsize=4)
def _kept(*key) -> FashionSite:
    """A generated shop that is never handed out, only copied (tables are copy-on-write)."""
    site = _generate(*key)
    truth = site._truth
    for array in [getattr(truth, f.name) for f in dataclasses.fields(truth)] + [
        site._release_brand, site._release_day, site._release_popularity
    ]:
        if isinstance(array, np.ndarray):
            array.flags.writeable = False  # shared by every copy: nobody may write into it
    return site


def _generate(n_customers, n_brands, n_days, start, seed, taste_drift) -> FashionSite:
    rng = _rng.stream(seed, _rng.CATALOG)
    brands, base_price = make_brands(n_brands, rng)
    releases = make_releases(n_brands, n_days, rng)
    items = make_items(releases, base_price, rng)
    pick_item = item_picker(items, len(releases))
    customers, truth = make_customers(n_customers, brands, start, n_days, seed, taste_drift)
    history = simulate_history(truth, releases, pick_item, n_days, seed)
    tables = assemble(history, truth, brands, releases, items, pick_item, start, n_days, seed)
    del history  # the raw arrays are large at a million customers; the tables hold it all now
    tables.update(customers=customers, brands=brands)
    site = FashionSite(
        tables=tables,
        truth=truth,
        release_brand=releases["brand"].to_numpy(),
        release_day=releases["day"].to_numpy(),
        release_popularity=releases["popularity"].to_numpy(),
        start=start,
        n_days=n_days,
        seed=seed,
    )
    # How to make this shop again: the referee sends a shop to a learner's kernel as this.
    site._recipe = (n_customers, n_brands, n_days, start, seed, taste_drift)
    return site
