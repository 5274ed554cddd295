"""Brands, their release calendar and the items of every release."""

import numpy as np
import pandas as pd

from . import _params as P

_NAME_FIRST = (
    "Kumo", "Hoshi", "Sable", "Nord", "Velvet", "Ember", "Loom", "Tide", "Arc", "Mono",
    "Kaze", "Ridge", "Plain", "Lark", "Indigo", "Cedar", "Yoru", "Pebble", "Amber", "Fjell",
)
_NAME_SECOND = (
    "Atelier", "Works", "Supply", "Studio", "Field", "Club", "Label", "Lab", "Row", "Yard",
)


def brand_names(n_brands: int, rng: np.random.Generator) -> list[str]:
    """Invented brand names, distinct first words while they last."""
    firsts = rng.permutation(len(_NAME_FIRST))
    seconds = rng.permutation(len(_NAME_SECOND))
    names = []
    for i in range(n_brands):
        first = _NAME_FIRST[firsts[i % len(firsts)]]
        second = _NAME_SECOND[seconds[(i + i // len(firsts)) % len(seconds)]]
        names.append(f"{first} {second}")
    return names


def make_brands(n_brands: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Brands table and each brand's base price in yen."""
    n_cat = len(P.STYLE_CATEGORIES)
    cat_order = rng.permutation(n_cat)
    category = cat_order[np.arange(n_brands) % n_cat]
    # Luxury brands are premium; the others spread evenly over the three tiers.
    luxury = category == P.STYLE_CATEGORIES.index("luxury")
    tier = np.full(n_brands, 2)
    tier[~luxury] = rng.permutation(np.arange((~luxury).sum()) % 3)
    base_price = np.asarray(P.TIER_PRICE_YEN)[tier] * rng.lognormal(0.0, 0.2, n_brands)
    base_price[luxury] *= 2.0
    brands = pd.DataFrame(
        {
            "brand_id": np.arange(1, n_brands + 1, dtype=np.int32),
            "brand_name": pd.array(brand_names(n_brands, rng), dtype="str"),
            "category": pd.Categorical.from_codes(category, P.STYLE_CATEGORIES),
            "price_tier": pd.Categorical.from_codes(tier, P.PRICE_TIERS, ordered=True),
        }
    )
    return brands, base_price


def make_releases(n_brands: int, n_days: int, rng: np.random.Generator) -> pd.DataFrame:
    """Release calendar as day offsets from the start, with a hidden popularity multiplier.

    Returned columns: brand (0-based), day, popularity, n_items; sorted by day then brand.
    """
    low, high = P.RELEASE_GAP_DAYS
    horizon = n_days + P.UPCOMING_DAYS
    n_max = horizon // low + 2
    first = rng.integers(0, high - 7, size=n_brands)
    gaps = rng.integers(low, high + 1, size=(n_brands, n_max))
    gaps[:, 0] = 0
    days = first[:, None] + np.cumsum(gaps, axis=1)
    brand = np.repeat(np.arange(n_brands), n_max)
    days = days.ravel()
    # Nothing is released on "today" itself: history is before it, the season after it.
    days = np.where(days == n_days, n_days + 1, days)
    keep = days < horizon
    brand, days = brand[keep], days[keep]
    order = np.lexsort((brand, days))
    brand, days = brand[order], days[order]
    n = brand.size
    lo, hi = P.ITEMS_PER_RELEASE
    return pd.DataFrame(
        {
            "brand": brand,
            "day": days,
            "popularity": rng.lognormal(-P.POPULARITY_SIGMA**2 / 2, P.POPULARITY_SIGMA, n),
            "n_items": rng.integers(lo, hi + 1, size=n),
        }
    )


def make_items(
    releases: pd.DataFrame, base_price: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Items of every release (0-based release index), with price and a hidden appeal weight."""
    n_items = releases["n_items"].to_numpy()
    release = np.repeat(np.arange(len(releases)), n_items)
    brand = releases["brand"].to_numpy()[release]
    price = base_price[brand] * rng.lognormal(0.0, 0.25, release.size)
    # Japanese-style price points: 12,990 rather than 12,937.
    price = np.maximum(np.round(price / 100.0) * 100 - 10, 990).astype(np.int64)
    return pd.DataFrame(
        {
            "release": release,
            "brand": brand,
            "garment": rng.integers(0, len(P.GARMENTS), size=release.size),
            "price": price,
            "appeal": rng.lognormal(0.0, 0.6, release.size),
        }
    )


def item_picker(items: pd.DataFrame, n_releases: int):
    """Return pick(release_idx, u) -> item index, drawing items by appeal within a release."""
    release = items["release"].to_numpy()
    first = np.searchsorted(release, np.arange(n_releases))
    counts = np.bincount(release, minlength=n_releases)
    width = counts.max()
    weights = np.zeros((n_releases, width))
    pos = np.arange(release.size) - first[release]
    weights[release, pos] = items["appeal"].to_numpy()
    cum = np.cumsum(weights, axis=1)
    cum /= cum[:, -1:]

    def pick(release_idx: np.ndarray, u: np.ndarray) -> np.ndarray:
        within = (u[:, None] > cum[release_idx]).sum(axis=1)
        return first[release_idx] + np.minimum(within, counts[release_idx] - 1)

    return pick
