"""Customers: the visible profile and the hidden truth behind their behaviour."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _params as P
from . import _rng


@dataclass(frozen=True)
class Truth:
    """Hidden per-customer truth (index i is customer_id i + 1). Never shown to learners.

    Arrays are laid out brand-major / month-major so one brand's or one month's values are
    contiguous.
    """

    segment: np.ndarray  # int8 codes into SEGMENTS
    activity: np.ndarray  # yearly activity level, heavy-tailed
    responsiveness: np.ndarray  # logit offset for mail access, independent of activity
    affinity: np.ndarray  # (n_brands, n) brand affinity at the start; sums to 1 per customer
    affinity_late: np.ndarray | None  # the taste it drifts towards (taste_drift > 0)
    monthly: np.ndarray  # (n_months, n) month-to-month activity multiplier, mean 1
    signup_day: np.ndarray  # day offset from the start (negative: before the history)
    month_of_day: np.ndarray  # month index of every day offset from 0
    taste_drift: float

    @property
    def segment_names(self) -> pd.Categorical:
        return pd.Categorical.from_codes(self.segment, P.SEGMENTS)

    def drift_weight(self, day: float) -> float:
        return float(min(1.0, self.taste_drift * max(day, 0) / 365.0))

    def affinity_to(self, brand: int, day: float, idx=slice(None)) -> np.ndarray:
        """Affinity of customers ``idx`` to one brand on a given day."""
        w = self.drift_weight(day)
        col = self.affinity[brand, idx].astype(np.float64)
        if w == 0.0 or self.affinity_late is None:
            return col
        return (1.0 - w) * col + w * self.affinity_late[brand, idx]

    def sample_brands(self, idx: np.ndarray, days: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Draw one brand per (customer, day) from the affinity of that day."""
        rows = self.affinity[:, idx].T
        if self.affinity_late is not None and self.taste_drift > 0:
            w = np.minimum(1.0, self.taste_drift * np.maximum(days, 0) / 365.0)
            late = u < w  # a mixture: first choose the early or late taste...
            rows = np.where(late[:, None], self.affinity_late[:, idx].T, rows)
            u = np.where(late, u / np.maximum(w, 1e-12), (u - w) / np.maximum(1 - w, 1e-12))
        cum = np.cumsum(rows, axis=1, dtype=np.float64)
        cum /= cum[:, -1:]  # ...then a brand by inverse CDF
        return np.minimum((u[:, None] > cum).sum(axis=1), rows.shape[1] - 1)


def _taste(
    rng: np.random.Generator, segment: np.ndarray, brand_cat: np.ndarray, brand_tier: np.ndarray
) -> np.ndarray:
    """Affinity rows: favourites for loyal customers, cheap tiers for price-driven ones."""
    n, n_brands = segment.size, brand_cat.size
    cat_pref = rng.gamma(P.CATEGORY_CONCENTRATION, size=(n, len(P.STYLE_CATEGORIES)))
    tier_pref = rng.gamma(np.asarray(P.TIER_ALPHA)[segment])
    per_cat = np.bincount(brand_cat, minlength=len(P.STYLE_CATEGORIES))
    taste = cat_pref[:, brand_cat] / per_cat[brand_cat] * tier_pref[:, brand_tier] + 1e-9
    taste /= taste.sum(axis=1, keepdims=True)

    # Favourites are drawn from the taste (Gumbel top-k), so they cluster in style and tier.
    keys = np.log(taste) + rng.gumbel(size=(n, n_brands))
    n_fav = rng.choice(np.asarray(P.FAVOURITE_COUNTS), p=P.FAVOURITE_SHARES, size=n)
    is_fav = np.zeros((n, n_brands), dtype=bool)
    rows = np.arange(n)
    for j in range(min(max(P.FAVOURITE_COUNTS), n_brands)):
        best = keys.argmax(axis=1)
        is_fav[rows, best] |= j < n_fav
        keys[rows, best] = -np.inf
    fav = rng.gamma(2.0, size=(n, n_brands)) * is_fav
    fav /= fav.sum(axis=1, keepdims=True)

    w = P.LOYAL_FAVOURITE_WEIGHT
    loyal = w * fav + (1 - w) * taste
    flat = P.WINDOW_FLAT_WEIGHT
    window = (1 - flat) * taste + flat / n_brands
    seg = segment[:, None]
    aff = np.where(seg == 0, loyal, np.where(seg == 1, taste, window)) + P.AFFINITY_FLOOR
    aff /= aff.sum(axis=1, keepdims=True)
    return np.ascontiguousarray(aff.T, dtype=np.float32)


def _monthly(seed: int, n: int, n_months: int) -> np.ndarray:
    """AR(1) log-multipliers per month; month m draws from its own stream so it can be extended."""
    out = np.empty((n_months, n), dtype=np.float32)
    rho, sigma = P.MONTH_RHO, P.MONTH_SIGMA
    x = sigma * _rng.stream(seed, _rng.MONTHLY, 0).standard_normal(n)
    for m in range(n_months):
        if m:
            eps = _rng.stream(seed, _rng.MONTHLY, m).standard_normal(n)
            x = rho * x + np.sqrt(1 - rho**2) * sigma * eps
        out[m] = np.exp(x - sigma**2 / 2)
    return out


def month_of_day(start: pd.Timestamp, n_days: int) -> np.ndarray:
    dates = pd.date_range(start, periods=n_days, freq="D")
    return ((dates.year - start.year) * 12 + dates.month - start.month).to_numpy()


def make_customers(
    n: int,
    brands: pd.DataFrame,
    start: pd.Timestamp,
    n_days: int,
    seed: int,
    taste_drift: float,
) -> tuple[pd.DataFrame, Truth]:
    """Customers table (ids in sign-up order) and their hidden truth."""
    rng = _rng.stream(seed, _rng.CUSTOMERS)
    before = rng.random(n) < P.SIGNUP_BEFORE_SHARE
    signup = np.where(
        before,
        -rng.integers(1, P.SIGNUP_BEFORE_MAX_DAYS, size=n),
        rng.integers(0, n_days, size=n),
    )
    order = np.argsort(signup, kind="stable")
    signup = signup[order]
    age = rng.choice(len(P.AGE_BANDS), p=P.AGE_SHARES, size=n)
    region = rng.choice(len(P.REGIONS), p=P.REGION_SHARES, size=n)
    segment = rng.choice(len(P.SEGMENTS), p=P.SEGMENT_SHARES, size=n).astype(np.int8)
    activity = rng.lognormal(np.log(P.ACTIVITY_MEDIAN), P.ACTIVITY_SIGMA, n)
    responsiveness = rng.normal(0.0, P.ACCESS_RESPONSIVENESS_SIGMA, n)

    brand_cat = brands["category"].cat.codes.to_numpy()
    brand_tier = brands["price_tier"].cat.codes.to_numpy()
    affinity = _taste(_rng.stream(seed, _rng.TASTE), segment, brand_cat, brand_tier)
    late = None
    if taste_drift > 0:
        late = _taste(_rng.stream(seed, _rng.TASTE_LATE), segment, brand_cat, brand_tier)

    months = month_of_day(start, n_days + P.UPCOMING_DAYS + 1)
    customers = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype=np.int32),
            "signup_date": (start + pd.to_timedelta(signup, unit="D")).as_unit("us"),
            "age_band": pd.Categorical.from_codes(age, P.AGE_BANDS, ordered=True),
            "region": pd.Categorical.from_codes(region, P.REGIONS),
        }
    )
    truth = Truth(
        segment=segment,
        activity=activity.astype(np.float32),
        responsiveness=responsiveness.astype(np.float32),
        affinity=affinity,
        affinity_late=late,
        monthly=_monthly(seed, n, int(months[-1]) + 1),
        signup_day=signup.astype(np.int32),
        month_of_day=months,
        taste_drift=taste_drift,
    )
    return customers, truth
