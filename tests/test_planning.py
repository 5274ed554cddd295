"""course.planning: the Gantt chart, the recomputed Part 3 results, the pilot, the briefing."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course.metrics import two_proportion_test  # noqa: E402
from course.planning import (  # noqa: E402
    PLAN_KEYS,
    briefing_page,
    gantt_chart,
    mails_needed,
    part3_results,
)
from course.world import make_fashion_site  # noqa: E402

N = 2_000
BUDGET = N // 20


@pytest.fixture(scope="module")
def site():
    return make_fashion_site(n_customers=N, seed=4)


@pytest.fixture(scope="module")
def results(site):
    return part3_results(site, BUDGET, seed=4)


def _plan() -> pd.DataFrame:
    return pd.DataFrame({"phase": ["frame", "data", "model"], "start_week": [0, 1, 3],
                         "end_week": [1, 3, 8], "buffer_weeks": [0, 0, 2]})


# -- Gantt chart ----------------------------------------------------------------------------


def test_gantt_chart_draws_one_bar_per_phase_and_the_buffers():
    fig, ax = plt.subplots()
    assert gantt_chart(_plan(), ax=ax, marks={"estimate": 3}) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["frame", "data", "model"]
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == [1, 2, 2, 3]  # three phases, the last split into work and buffer
    assert ax.get_xlabel() and ax.get_title()
    assert len(ax.lines) == 1  # the mark
    plt.close(fig)


def test_gantt_chart_without_buffers_and_without_an_axes():
    ax = gantt_chart(_plan().drop(columns="buffer_weeks"))
    assert len(ax.patches) == 3
    plt.close(ax.figure)


@pytest.mark.parametrize("bad, error", [
    ("not a table", TypeError),
    (pd.DataFrame({"phase": ["a"], "start_week": [0]}), ValueError),
    (pd.DataFrame({"phase": ["a"], "start_week": [2], "end_week": [1]}), ValueError),
    (pd.DataFrame(columns=["phase", "start_week", "end_week"]), ValueError),
])
def test_gantt_chart_rejects_bad_plans(bad, error):
    with pytest.raises(error):
        gantt_chart(bad)


# -- sample size ----------------------------------------------------------------------------


def test_mails_needed_matches_the_textbook_formula_and_shrinks_with_the_lift():
    assert mails_needed(0.10, 0.20) == 3841  # 10% against 12%, alpha 0.05, power 0.8
    sizes = [mails_needed(0.12, lift) for lift in (0.05, 0.1, 0.2, 0.4)]
    assert sizes == sorted(sizes, reverse=True)
    assert mails_needed(0.12, 0.1, power=0.9) > mails_needed(0.12, 0.1)
    assert mails_needed(0.12, 0.1, alpha=0.01) > mails_needed(0.12, 0.1)


def test_mails_needed_gives_the_promised_power():
    rng = np.random.default_rng(0)
    n = mails_needed(0.10, 0.25)
    a, b = rng.binomial(n, 0.10, 4_000), rng.binomial(n, 0.125, 4_000)
    pooled = (a + b) / (2 * n)
    z = (b - a) / n / np.sqrt(pooled * (1 - pooled) * 2 / n)
    assert 0.77 < np.mean(np.abs(z) > 1.959964) < 0.83


@pytest.mark.parametrize("kwargs", [
    {"base_rate": 0, "lift": 0.1}, {"base_rate": 0.1, "lift": 0}, {"base_rate": 0.6, "lift": 1},
    {"base_rate": 0.1, "lift": 0.1, "alpha": 1}, {"base_rate": 0.1, "lift": 0.1, "power": 0},
    {"base_rate": "0.1", "lift": 0.1},
])
def test_mails_needed_rejects_bad_arguments(kwargs):
    with pytest.raises((TypeError, ValueError)):
        mails_needed(**kwargs)


# -- Part 3 results and the pilot ------------------------------------------------------------


def test_part3_results_hold_the_course_calibration(site, results):
    assert 0.01 < results["random_rate"] < 0.05
    assert results["rule_rate"] > 2 * results["random_rate"]
    assert results["rule_ci_low"] < results["rule_rate"] < results["rule_ci_high"]
    assert results["rule_mails_per_day"] == pytest.approx(results["rule_mails"] / 90)
    assert 0 < results["rule_orders_per_access"] <= 1
    assert results["rule_unsubscribe_rate"] == pytest.approx(
        results["rule_unsubscribed"] / results["rule_mails"])
    assert len(site.sent_log) == 0 and site.oracle_calls == 0


def test_the_ab_test_has_two_equal_arms_and_a_consistent_readout(results):
    assert results["ab_rule_mails"] == results["ab_model_mails"] > 0
    for arm in ("rule", "model"):
        rate = results[f"ab_{arm}_accesses"] / results[f"ab_{arm}_mails"]
        assert results[f"ab_{arm}_rate"] == pytest.approx(rate)
        assert results[f"ab_{arm}_ci_low"] <= rate <= results[f"ab_{arm}_ci_high"]
    assert results["ab_lift"] == pytest.approx(
        results["ab_model_rate"] / results["ab_rule_rate"] - 1)
    assert results["ab_lift_low"] < results["ab_lift"] < results["ab_lift_high"]
    p = two_proportion_test(results["ab_model_accesses"], results["ab_model_mails"],
                            results["ab_rule_accesses"], results["ab_rule_mails"]).p_value
    assert results["ab_p_value"] == pytest.approx(p)


def test_part3_results_are_reproducible_and_the_model_is_optional(site, results):
    quick = part3_results(site, BUDGET, seed=4, with_model=False)
    assert not any(key.startswith("ab_") for key in quick)
    assert {k: results[k] for k in quick} == quick
    assert part3_results(site, BUDGET, seed=4) == results


@pytest.mark.parametrize("kwargs, error", [
    ({"site": "shop", "budget": 10}, TypeError),
    ({"budget": 1}, ValueError),
    ({"budget": 10, "seed": -1}, ValueError),
])
def test_part3_results_reject_bad_arguments(site, kwargs, error):
    with pytest.raises(error):
        part3_results(**{"site": site, **kwargs})


# -- the briefing page -----------------------------------------------------------------------


def _first_step(results):
    return {
        "step": "step 3", "start": pd.Timestamp("2026-01-12"), "pilot_weeks": 8,
        "mails_per_arm": 9_000, "decision_date": pd.Timestamp("2026-01-12") + pd.Timedelta(
            weeks=21), "decision_maker": "the board", "support_needed": ["people", "data"],
        "go_criteria": {"baseline_rate": results["rule_rate"], "min_lift": 0.1,
                        "alpha": 0.05, "max_extra_unsubscribe_rate": 0.001},
    }


def test_briefing_page_is_one_figure_with_the_ask(results):
    fig = briefing_page(results, _first_step(results), "¥3,000,000")
    assert isinstance(fig, Figure)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "13 weeks to build" in texts and "¥3,000,000" in texts
    assert "break-even" in texts and "the board" in texts and "A/B test" in texts
    chart = fig.axes[0]
    assert chart.get_ylabel() and chart.get_title()
    plt.close(fig)


def test_briefing_page_names_what_is_missing(results):
    plan = _first_step(results)
    with pytest.raises(ValueError, match="decision_date"):
        briefing_page(results, {k: v for k, v in plan.items() if k != "decision_date"}, 1)
    with pytest.raises(ValueError, match="go_criteria"):
        briefing_page(results, dict(plan, go_criteria={"alpha": 0.05}), 1)
    with pytest.raises(ValueError, match="ab_lift"):
        briefing_page({k: v for k, v in results.items() if k != "ab_lift"}, plan, 1)
    with pytest.raises(TypeError):
        briefing_page(results, "plan", 1)
    assert set(PLAN_KEYS) == set(plan)
    assert math.isfinite(results["ab_lift"])
