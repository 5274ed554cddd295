"""FashionSite: the tables a learner explores and the mail simulator behind them."""

import copy

import numpy as np
import pandas as pd

from . import _mail, _rng
from ._checks import check_ids, check_int
from ._people import Truth

_RESULT_COLUMNS = ["customer_id", "accessed", "purchased", "unsubscribed"]


class FashionSite:
    """A synthetic fashion e-commerce site: a year of history plus an upcoming season.

    Build one with :func:`make_fashion_site`. Tables are plain pandas DataFrames; see
    docs/data.md for every column. :meth:`send_mail` mails an upcoming release.
    """

    def __init__(
        self,
        *,
        tables: dict[str, pd.DataFrame],
        truth: Truth,
        release_brand: np.ndarray,
        release_day: np.ndarray,
        release_popularity: np.ndarray,
        start: pd.Timestamp,
        n_days: int,
        seed: int,
    ):
        self.customers = tables["customers"]
        self.brands = tables["brands"]
        self.items = tables["items"]
        self.orders = tables["orders"]
        self.events = tables["events"]
        self.campaigns = tables["campaigns"]
        self.mail_log = tables["mail_log"]
        self.releases = tables["releases"]
        self.today = start + pd.Timedelta(days=n_days)
        self.upcoming_releases = self.releases[self.releases["release_date"] > self.today]
        self.upcoming_releases = self.upcoming_releases.reset_index(drop=True)
        self.seed = seed
        self.n_customers = len(self.customers)
        self.oracle_calls = 0
        self._truth = truth
        self._start = start
        self._n_days = n_days
        self._release_brand = release_brand
        self._release_day = release_day
        self._release_popularity = release_popularity
        log = self.mail_log
        self._fatigue = _mail.FatigueCounter(
            self.n_customers,
            ((log["send_date"] - start).dt.days).to_numpy(np.int32),
            log["customer_id"].to_numpy(np.int32) - 1,
        )
        self._unsubscribed = np.zeros(self.n_customers, dtype=bool)
        self._sent: list[pd.DataFrame] = []

    def __repr__(self) -> str:
        return (
            f"FashionSite(n_customers={self.n_customers:_}, n_brands={len(self.brands)}, "
            f"history={self._start.date()}..{(self.today - pd.Timedelta(days=1)).date()}, "
            f"today={self.today.date()}, upcoming_releases={len(self.upcoming_releases)}, "
            f"seed={self.seed})"
        )

    # -- mail simulator -------------------------------------------------------------------

    def send_mail(self, brand_id: int, customer_ids, release_id: int | None = None) -> pd.DataFrame:
        """Mail a brand's next upcoming release (or ``release_id``) to ``customer_ids``.

        Returns one row per recipient, in the given order: customer_id, accessed, purchased,
        unsubscribed (True if the address is unsubscribed after this mail).
        """
        r = self._release_index(brand_id, release_id)
        ids = check_ids("customer_ids", customer_ids, self.n_customers)
        idx = ids - 1
        rid, day = r + 1, int(self._release_day[r])
        fatigue = self._fatigue.count(day, idx)
        was_out = self._unsubscribed[idx]
        new_out = ~was_out & (
            _mail.draws(self.seed, _rng.UNSUBSCRIBE, rid, idx)
            < _mail.unsubscribe_probability(fatigue + 1)
        )
        p = _mail.access_probability(
            self._truth, idx, int(self._release_brand[r]), day, self._release_popularity[r], fatigue
        )
        accessed = ~was_out & ~new_out & (_mail.draws(self.seed, _rng.MAIL_ACCESS, rid, idx) < p)
        q = _mail.buy_probability(self._truth, idx, int(self._release_brand[r]), day)
        purchased = accessed & (_mail.draws(self.seed, _rng.MAIL_BUY, rid, idx) < q)
        self._unsubscribed[idx] |= new_out
        self._fatigue.add(day, idx)
        result = pd.DataFrame(
            {
                "customer_id": ids,
                "accessed": accessed,
                "purchased": purchased,
                "unsubscribed": was_out | new_out,
            }
        )
        self._sent.append(result.assign(release_id=rid, brand_id=int(self._release_brand[r]) + 1))
        return result

    def oracle_recipients(self, brand_id: int, k: int, release_id: int | None = None) -> np.ndarray:
        """Course-only oracle: the ``k`` customer ids most likely to access from this mail.

        Uses the hidden truth, so a learner's answer must never call it; each call is counted
        in ``oracle_calls``.
        """
        r = self._release_index(brand_id, release_id)
        k = check_int("k", k, low=1, high=self.n_customers)
        self.oracle_calls += 1
        p = self._true_access_probability(r)
        top = np.argsort(-p, kind="stable")[:k]
        return (top + 1).astype(np.int64)

    def _true_access_probability(self, release_index: int) -> np.ndarray:
        """Hidden P(access) of every customer for a release (0-based index), given the state."""
        day = int(self._release_day[release_index])
        p = _mail.access_probability(
            self._truth,
            slice(None),
            int(self._release_brand[release_index]),
            day,
            self._release_popularity[release_index],
            self._fatigue.count(day),
        )
        p[self._unsubscribed] = 0.0
        return p

    @property
    def sent_log(self) -> pd.DataFrame:
        """Every mail sent through :meth:`send_mail` since the last reset."""
        columns = ["release_id", "brand_id", *_RESULT_COLUMNS]
        if not self._sent:
            empty = {c: pd.Series(dtype="int64" if "id" in c else bool) for c in columns}
            return pd.DataFrame(empty)
        return pd.concat(self._sent, ignore_index=True)[columns]

    def reset_mailing(self) -> None:
        """Forget every mail sent through the simulator (fatigue and unsubscribes too)."""
        self._fatigue.reset()
        self._unsubscribed[:] = False
        self._sent = []

    def copy(self) -> "FashionSite":
        """An independent copy, including the simulator's state and oracle counter."""
        new = copy.copy(self)
        for name in (
            "customers", "brands", "items", "orders", "events", "campaigns", "mail_log",
            "releases", "upcoming_releases",
        ):
            # Copy-on-write: lazy copies cost nothing until one side is modified.
            setattr(new, name, getattr(self, name).copy(deep=False))
        new._fatigue = self._fatigue.copy()
        new._unsubscribed = self._unsubscribed.copy()
        new._sent = list(self._sent)
        return new

    def _release_index(self, brand_id, release_id) -> int:
        n_brands = len(self.brands)
        brand_id = check_int("brand_id", brand_id)
        if not 1 <= brand_id <= n_brands:
            raise ValueError(f"brand_id: unknown brand {brand_id}; ids run from 1 to {n_brands}")
        b = brand_id - 1
        upcoming = np.flatnonzero(
            (self._release_brand == b) & (self._release_day > self._n_days)
        )
        if release_id is None:
            return int(upcoming[0])
        release_id = check_int("release_id", release_id)
        if not 1 <= release_id <= self._release_brand.size:
            raise ValueError(f"release_id: unknown release {release_id}")
        r = release_id - 1
        if self._release_brand[r] != b:
            raise ValueError(
                f"release_id: release {release_id} belongs to brand {self._release_brand[r] + 1}, "
                f"not to brand_id {brand_id}"
            )
        if self._release_day[r] <= self._n_days:
            raise ValueError(
                f"release_id: release {release_id} is in the past; only upcoming releases "
                "(site.upcoming_releases) can be mailed"
            )
        return r
