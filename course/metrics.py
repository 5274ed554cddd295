"""Metrics for mail campaigns: access rate, confidence interval, lift, a two-proportion test.

The course's CX metric is the access rate: accesses to the site from the mail / mails sent.
"""

import math
import numbers
from statistics import NormalDist
from typing import NamedTuple

import numpy as np


class TwoProportionTest(NamedTuple):
    z: float
    p_value: float


def _count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (a count), got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return int(value)


def _counts(x_name: str, x, n_name: str, n) -> tuple[int, int]:
    x, n = _count(x_name, x), _count(n_name, n)
    if n == 0:
        raise ValueError(f"{n_name} must be at least 1: no mails sent, no rate")
    if x > n:
        raise ValueError(f"{x_name} ({x}) cannot exceed {n_name} ({n})")
    return x, n


def _rate(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1, got {value!r}")
    if not 0.0 <= value <= 1.0 or math.isnan(value):
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return float(value)


def access_rate(accessed) -> float:
    """Share of mails that led to a site access: mean of a boolean (or 0/1) sequence."""
    if isinstance(accessed, str | bytes) or not hasattr(accessed, "__len__"):
        raise TypeError("accessed must be a sequence of booleans, e.g. result['accessed']")
    values = np.asarray(accessed)
    if values.ndim != 1:
        raise ValueError(f"accessed must be one-dimensional, got shape {values.shape}")
    if values.size == 0:
        raise ValueError("accessed is empty: no mails sent, no rate")
    if values.dtype != bool:
        if values.dtype.kind not in "iu" or not np.isin(values, (0, 1)).all():
            raise TypeError("accessed must contain booleans (True/False) or 0/1 only")
    return float(values.mean())


def access_rate_ci(accesses: int, sent: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the access rate ``accesses / sent``."""
    x, n = _counts("accesses", accesses, "sent", sent)
    level = _rate("level", level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level}")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = x / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low = 0.0 if x == 0 else max(0.0, centre - half)
    high = 1.0 if x == n else min(1.0, centre + half)
    return low, high


def lift(treatment_rate: float, control_rate: float) -> float:
    """Relative lift: (treatment - control) / control; 0.25 means 25% better."""
    treatment_rate = _rate("treatment_rate", treatment_rate)
    control_rate = _rate("control_rate", control_rate)
    if control_rate == 0.0:
        raise ValueError("control_rate is 0: a relative lift over nothing is undefined")
    return (treatment_rate - control_rate) / control_rate


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> TwoProportionTest:
    """Pooled two-proportion z-test of x1/n1 against x2/n2, with a two-sided p-value."""
    x1, n1 = _counts("x1", x1, "n1", n1)
    x2, n2 = _counts("x2", x2, "n2", n2)
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0.0:  # both rates 0 or both 1: no evidence of a difference
        return TwoProportionTest(z=0.0, p_value=1.0)
    z = (x1 / n1 - x2 / n2) / se
    return TwoProportionTest(z=z, p_value=math.erfc(abs(z) / math.sqrt(2)))


def precision_at_k(scores, labels, k: int) -> float:
    """Share of positives among the ``k`` highest scores (ties keep the input order)."""
    s, y = np.asarray(scores), np.asarray(labels)
    if s.ndim != 1 or y.ndim != 1:
        raise ValueError("scores and labels must be one-dimensional")
    if s.shape != y.shape:
        raise ValueError(f"scores ({s.size}) and labels ({y.size}) must have the same length")
    if s.dtype.kind not in "biuf":
        raise TypeError(f"scores must be numbers, got dtype {s.dtype}")
    if y.dtype != bool and not (y.dtype.kind in "iuf" and np.isin(y, (0, 1)).all()):
        raise TypeError("labels must be booleans or 0/1")
    if np.isnan(s.astype(float)).any():
        raise ValueError("scores contain NaN")
    k = _count("k", k)
    if not 1 <= k <= s.size:
        raise ValueError(f"k must be between 1 and the number of scores ({s.size}), got {k}")
    top = np.argsort(-s.astype(float), kind="stable")[:k]
    return float(y[top].astype(float).mean())
