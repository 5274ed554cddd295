"""The hidden response model of a release mail, shared by the history and the simulator."""

import numpy as np

from . import _params as P
from . import _rng
from ._people import Truth


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def access_probability(
    truth: Truth, idx, brand: int, day: int, popularity: float, fatigue: np.ndarray
) -> np.ndarray:
    """P(customer accesses the site from brand ``brand``'s release mail sent on ``day``)."""
    n_brands = truth.affinity.shape[0]
    month = truth.month_of_day[day]
    z = (
        P.ACCESS_ALPHA
        + P.ACCESS_AFFINITY * np.log(n_brands * truth.affinity_to(brand, day, idx))
        + truth.responsiveness[idx]
        + P.ACCESS_MONTH * np.log(truth.monthly[month, idx])
        + P.ACCESS_ACTIVITY * np.log(truth.activity[idx] / P.ACTIVITY_MEDIAN)
        + P.ACCESS_POPULARITY * np.log(popularity)
        + np.asarray(P.ACCESS_SEGMENT)[truth.segment[idx]]
        - P.ACCESS_FATIGUE * fatigue
    )
    return _sigmoid(z)


def buy_probability(truth: Truth, idx, brand: int, day: int) -> np.ndarray:
    """P(purchase of the release | accessed from its mail)."""
    n_brands = truth.affinity.shape[0]
    z = (
        P.BUY_ALPHA
        + P.BUY_AFFINITY * np.log(n_brands * truth.affinity_to(brand, day, idx))
        + np.asarray(P.BUY_SEGMENT)[truth.segment[idx]]
    )
    return _sigmoid(z)


def unsubscribe_probability(fatigue: np.ndarray) -> np.ndarray:
    return P.UNSUB_BASE + P.UNSUB_SLOPE * np.maximum(0, fatigue - P.UNSUB_FREE_MAILS)


def draws(seed: int, kind: int, release_id: int, idx: np.ndarray) -> np.ndarray:
    """One uniform per (release, kind, customer): outcomes ignore who else is mailed."""
    return _rng.uniforms(seed, (kind, release_id), idx)


class FatigueCounter:
    """Counts, per customer, the mails received in the FATIGUE_DAYS up to a send day.

    The history's mails are sorted once; mails sent later are kept as a short list.
    """

    def __init__(self, n_customers: int, days: np.ndarray, customers: np.ndarray):
        order = np.argsort(days, kind="stable")
        self.n = n_customers
        self._days = days[order]
        self._customers = customers[order]
        self._extra: list[tuple[int, np.ndarray]] = []

    def add(self, day: int, customers: np.ndarray) -> None:
        self._extra.append((day, customers))

    def count(self, day: int, idx=slice(None)) -> np.ndarray:
        lo = np.searchsorted(self._days, day - P.FATIGUE_DAYS, side="left")
        hi = np.searchsorted(self._days, day, side="right")
        recent = [self._customers[lo:hi]]
        recent += [c for d, c in self._extra if day - P.FATIGUE_DAYS <= d <= day]
        return np.bincount(np.concatenate(recent), minlength=self.n)[idx]

    def copy(self) -> "FatigueCounter":
        new = FatigueCounter.__new__(FatigueCounter)
        new.n, new._days, new._customers = self.n, self._days, self._customers
        new._extra = list(self._extra)
        return new

    def reset(self) -> None:
        self._extra = []
