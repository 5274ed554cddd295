"""Metrics: values against hand-computed numbers, and clear errors."""

import math

import numpy as np
import pandas as pd
import pytest

from course.metrics import (
    access_rate,
    access_rate_ci,
    lift,
    precision_at_k,
    two_proportion_test,
)


def test_access_rate_is_accesses_over_mails_sent():
    assert access_rate([True, False, False, True]) == 0.5
    assert access_rate(np.array([1, 0, 0, 0])) == 0.25
    assert access_rate(pd.Series([False] * 99 + [True])) == 0.01


@pytest.mark.parametrize(
    ("value", "error"),
    [([], ValueError), ("abc", TypeError), (5, TypeError), ([2, 0], TypeError),
     ([[True, False]], ValueError), ([0.5, 0.5], TypeError)],
)
def test_access_rate_rejects_bad_input(value, error):
    with pytest.raises(error, match="accessed"):
        access_rate(value)


def test_wilson_interval_matches_hand_computation():
    # 0 of 10: centre = (z^2/20)/(1+z^2/10) = half width, upper = 0.2775 (textbook value).
    low, high = access_rate_ci(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.27753, abs=1e-5)
    # 25 of 1000 at 95%: z = 1.959964, centre 0.026818, half width 0.009828.
    low, high = access_rate_ci(25, 1000)
    assert low == pytest.approx(0.016990, abs=1e-5)
    assert high == pytest.approx(0.036645, abs=1e-5)
    # A higher level gives a wider interval; the rate lies inside.
    low99, high99 = access_rate_ci(25, 1000, level=0.99)
    assert low99 < low < 0.025 < high < high99


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [((5, 0), ValueError, "sent"), ((11, 10), ValueError, "accesses"),
     ((-1, 10), ValueError, "accesses"), ((2.5, 10), TypeError, "accesses"),
     ((1, "10"), TypeError, "sent"), ((1, 10, 1.5), ValueError, "level"),
     ((1, 10, 1.0), ValueError, "level")],
)
def test_access_rate_ci_rejects_bad_input(args, error, name):
    with pytest.raises(error, match=name):
        access_rate_ci(*args)


def test_lift_is_relative():
    assert lift(0.03, 0.02) == pytest.approx(0.5)
    assert lift(0.02, 0.02) == 0.0
    assert lift(0.01, 0.02) == pytest.approx(-0.5)
    with pytest.raises(ValueError, match="control_rate"):
        lift(0.03, 0.0)
    with pytest.raises(ValueError, match="treatment_rate"):
        lift(3.0, 0.02)  # a percentage passed as a number above 1
    with pytest.raises(TypeError, match="control_rate"):
        lift(0.03, "0.02")


def test_two_proportion_test_matches_hand_computation():
    # pooled p = 50/2000 = 0.025; se = sqrt(0.025 * 0.975 * (2/1000)) = 0.0069821
    # z = (0.030 - 0.020) / se = 1.43223; two-sided p = erfc(z / sqrt 2) = 0.15207
    result = two_proportion_test(30, 1000, 20, 1000)
    assert result.z == pytest.approx(1.43223, abs=1e-4)
    assert result.p_value == pytest.approx(0.15207, abs=1e-4)
    z, p = two_proportion_test(20, 1000, 30, 1000)
    assert z == pytest.approx(-result.z) and p == pytest.approx(result.p_value)
    # A large, clear difference.
    assert two_proportion_test(130, 1000, 26, 1000).p_value < 1e-10
    assert two_proportion_test(0, 100, 0, 200) == (0.0, 1.0)


def test_two_proportion_test_agrees_with_scipy():
    from scipy.stats import norm

    z, p = two_proportion_test(57, 1200, 35, 1100)
    assert p == pytest.approx(2 * norm.sf(abs(z)))


@pytest.mark.parametrize(
    ("args", "name"),
    [((5, 0, 1, 10), "n1"), ((11, 10, 1, 10), "x1"), ((1, 10, 1, -3), "n2"),
     ((1, 10, 12, 10), "x2")],
)
def test_two_proportion_test_rejects_bad_counts(args, name):
    with pytest.raises(ValueError, match=name):
        two_proportion_test(*args)
    with pytest.raises(TypeError, match="x1"):
        two_proportion_test(0.5, 10, 1, 10)


def test_precision_at_k():
    scores = [0.9, 0.1, 0.8, 0.3]
    labels = [1, 0, 0, 1]
    assert precision_at_k(scores, labels, 1) == 1.0
    assert precision_at_k(scores, labels, 2) == 0.5
    assert precision_at_k(scores, labels, 3) == pytest.approx(2 / 3)
    assert precision_at_k(np.array(scores), np.array(labels, dtype=bool), 4) == 0.5
    # Ties keep the input order.
    assert precision_at_k([1, 1, 1], [0, 1, 1], 1) == 0.0


@pytest.mark.parametrize(
    ("scores", "labels", "k", "error", "name"),
    [([0.1, 0.2], [1], 1, ValueError, "same length"),
     ([0.1, 0.2], [1, 0], 0, ValueError, "k"),
     ([0.1, 0.2], [1, 0], 3, ValueError, "k"),
     ([0.1, 0.2], [1, 0], 1.0, TypeError, "k"),
     (["a", "b"], [1, 0], 1, TypeError, "scores"),
     ([0.1, 0.2], [2, 0], 1, TypeError, "labels"),
     ([0.1, float("nan")], [1, 0], 1, ValueError, "NaN")],
)
def test_precision_at_k_rejects_bad_input(scores, labels, k, error, name):
    with pytest.raises(error, match=name):
        precision_at_k(scores, labels, k)


def test_math_constants_used_in_comments():
    # Guard the hand computations above.
    assert math.sqrt(0.025 * 0.975 * 2 / 1000) == pytest.approx(0.0069821, abs=1e-7)
