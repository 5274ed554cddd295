"""Step 3 of Part 3 (personalisation with ML): helpers shared by notebooks 04 to 06.

* :func:`upcoming_features` builds the features of every customer for every upcoming release (one
  :func:`course.features.recipient_features` table per release).
* :func:`rule_ranking` is step 2's rule (most order lines of the brand, then the latest order,
  then the smallest id), in pandas, ranking every buyer of a brand.
* :func:`lift_ci` puts a confidence interval on the relative lift of one access rate over
  another, as an A/B test's read-out needs.
* :func:`features_as_of` builds the features of past mails as they were known on an earlier
  day: what a score table computed once, on that day, would have used for every later mail.
* :func:`fit_access_model` is the course's own step-3 model, for notebooks 05 and 06 (the
  learner builds theirs in notebook 04; its check refuses this one).

>>> low, high = lift_ci(150, 1_000, 100, 1_000)  # 15% against 10%: a lift of +50%
>>> round(low, 2), round(high, 2)
(0.18, 0.9)
"""

from __future__ import annotations

import math
import numbers
from statistics import NormalDist

import numpy as np
import pandas as pd

from course.features import FEATURES, mail_features_known_on, upcoming_tables
from course.world import FashionSite

__all__ = ["features_as_of", "fit_access_model", "is_course_model", "lift_ci", "rule_ranking",
           "upcoming_features"]

_MAIL_COLUMNS = ["campaign_id", "customer_id", "brand_id", "send_date", "accessed"]


_COURSE_MODEL = "course_reference_model_"


def fit_access_model(mails: pd.DataFrame):
    """The course's access model, fitted on past mails (their FEATURES and `accessed`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    if not isinstance(mails, pd.DataFrame) or not {*FEATURES, "accessed"} <= set(mails):
        raise TypeError("mails: a DataFrame with the FEATURES columns and `accessed` is needed")
    pipeline = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(),
                             LogisticRegression(max_iter=500))
    pipeline.fit(mails[FEATURES], mails["accessed"])
    setattr(pipeline, _COURSE_MODEL, True)
    return pipeline


def is_course_model(model: object) -> bool:
    """Was `model` built by :func:`fit_access_model` (not by the learner)?"""
    return bool(getattr(model, _COURSE_MODEL, False))


def _check_site(site: object) -> FashionSite:
    if not isinstance(site, FashionSite):
        kind = type(site).__name__
        raise TypeError(f"site must be a FashionSite (make_fashion_site), got {kind}")
    return site


def upcoming_features(site: FashionSite) -> dict[int, pd.DataFrame]:
    """``{release_id: features of every customer}`` for each upcoming release, in date order.

    Each table is :func:`course.features.recipient_features` for that release: a
    ``customer_id`` column, then :data:`course.features.FEATURES`.
    """
    _check_site(site)
    upcoming = site.upcoming_releases.sort_values(["release_date", "release_id"], kind="stable")
    releases = [release for _, release in upcoming.iterrows()]
    return {int(release["release_id"]): table
            for release, table in zip(releases, upcoming_tables(site, releases), strict=True)}


def rule_ranking(orders: pd.DataFrame, brand_id: int) -> np.ndarray:
    """Step 2's rule: every buyer of ``brand_id``, best first.

    Ranked by order lines of the brand (most first), then the latest order of the brand
    (most recent first), then ``customer_id`` (smallest first). Returns the customer ids.
    """
    if not isinstance(orders, pd.DataFrame) or not {
        "customer_id", "brand_id", "order_date"} <= set(orders):
        raise TypeError("orders: a DataFrame with customer_id, brand_id and order_date is needed")
    if isinstance(brand_id, bool) or not isinstance(brand_id, numbers.Integral):
        raise TypeError(f"brand_id must be a whole number, got {brand_id!r}")
    mine = orders[orders["brand_id"] == brand_id]
    per = mine.groupby("customer_id")["order_date"].agg(["size", "max"]).reset_index()
    per = per.sort_values(["size", "max", "customer_id"], ascending=[False, False, True],
                          kind="stable")
    return per["customer_id"].to_numpy(dtype=np.int64)


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (a count), got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return int(value)


def lift_ci(
    treatment_accesses: int,
    treatment_mails: int,
    control_accesses: int,
    control_mails: int,
    level: float = 0.95,
) -> tuple[float, float]:
    """Confidence interval of the relative lift ``treatment rate / control rate - 1``.

    The interval of the log of the ratio of two proportions (Katz), mapped back to a lift:
    0.10 means 10% better than the control. A zero count in the treatment arm is replaced by
    0.5 so the interval stays finite; a control without any access has no lift (ValueError).
    """
    x1, n1 = _count("treatment_accesses", treatment_accesses), _count(
        "treatment_mails", treatment_mails)
    x2, n2 = _count("control_accesses", control_accesses), _count(
        "control_mails", control_mails)
    for x, n, arm in ((x1, n1, "treatment"), (x2, n2, "control")):
        if n == 0:
            raise ValueError(f"{arm}_mails must be at least 1: no mails sent, no rate")
        if x > n:
            raise ValueError(f"{arm}_accesses ({x}) cannot exceed {arm}_mails ({n})")
    if x2 == 0:
        raise ValueError("control_accesses is 0: a relative lift over nothing is undefined")
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    x1_used = x1 if x1 > 0 else 0.5
    z = NormalDist().inv_cdf(0.5 + level / 2)
    log_ratio = math.log((x1_used / n1) / (x2 / n2))
    se = math.sqrt(max(1 / x1_used - 1 / n1 + 1 / x2 - 1 / n2, 0.0))
    return math.exp(log_ratio - z * se) - 1, math.exp(log_ratio + z * se) - 1


def features_as_of(site: FashionSite, mails: pd.DataFrame, as_of) -> pd.DataFrame:
    """Features of past mails as they were known on ``as_of``, not on each mail's send date.

    ``mails`` holds rows of ``site.mail_log`` (or of :func:`course.features.mail_training_table`)
    sent on or after ``as_of``. The result has the columns of ``mail_training_table``, with
    the rows and index of ``mails``: the ids, ``send_date`` and ``accessed`` of each mail, but every
    feature computed as if the mail had been sent on ``as_of``: purchases, page views and mail
    outcomes known that day, nothing later. That is what a score table built once on ``as_of``
    would have used for every later mail.
    """
    _check_site(site)
    if not isinstance(mails, pd.DataFrame) or not set(_MAIL_COLUMNS) <= set(mails):
        raise TypeError(f"mails: a DataFrame with columns {_MAIL_COLUMNS} is needed")
    if mails.empty:
        raise ValueError("mails: the table is empty")
    as_of = pd.Timestamp(as_of)
    if (mails["send_date"] < as_of).any():
        raise ValueError(
            f"as_of: {as_of.date()} is after some mails' send date; features known on a later "
            "day than the send would leak the future"
        )
    features = mail_features_known_on(site, mails, as_of)
    ids = mails[["campaign_id", "customer_id", "brand_id", "send_date"]]
    return pd.concat([ids, features, mails[["accessed"]]], axis=1)
