"""Planning helpers of Part 3: a Gantt chart, the Part 3 results, and the briefing page.

Notebooks run on fresh kernels, so the closing notebook of Part 3 cannot read the numbers
measured in the earlier ones. :func:`part3_results` recomputes them with the same methods: a
season of random lists and of step 2's query (notebooks 3 and 4), and the A/B test of the
model against the query (notebook 5). :func:`briefing_page` draws the one page for the
executives, and :func:`gantt_chart` draws a project plan.

>>> import pandas as pd
>>> plan = pd.DataFrame({"phase": ["frame", "build"], "start_week": [0, 1], "end_week": [1, 4]})
>>> ax = gantt_chart(plan)
>>> [label.get_text() for label in ax.get_yticklabels()]
['frame', 'build']
>>> mails_needed(0.10, 0.20)
3841
"""

from __future__ import annotations

import math
import numbers
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from course.campaigns import compare_seasons, random_lists_like, run_season
from course.features import FEATURES, mail_training_table
from course.metrics import access_rate_ci, two_proportion_test
from course.personalisation import fit_access_model, lift_ci, rule_ranking, upcoming_features
from course.world import FashionSite

__all__ = [
    "PLAN_KEYS",
    "SEASON_DAYS",
    "briefing_page",
    "gantt_chart",
    "mails_needed",
    "part3_results",
]

SEASON_DAYS = 90  # the upcoming season: releases within the next 90 days
PLAN_KEYS = ("step", "start", "pilot_weeks", "mails_per_arm", "decision_date",
             "decision_maker", "support_needed", "go_criteria")
CRITERIA_KEYS = ("baseline_rate", "min_lift", "alpha", "max_extra_unsubscribe_rate")
_BAR, _BUFFER, _MODEL = "#5bc0de", "#f0ad4e", "#5cb85c"


# -- the project plan -------------------------------------------------------------------------


def gantt_chart(
    plan: pd.DataFrame,
    ax: Axes | None = None,
    title: str = "Project plan",
    marks: Mapping[str, float] | None = None,
) -> Axes:
    """Draw a plan table as a Gantt chart: one bar per phase, first phase on top.

    ``plan`` has columns ``phase``, ``start_week`` and ``end_week`` (weeks from the start);
    an optional ``buffer_weeks`` column draws the last weeks of a phase as a hatched risk
    buffer. ``marks`` adds labelled vertical lines, e.g. ``{"first estimate": 3}``.
    """
    if not isinstance(plan, pd.DataFrame):
        raise TypeError(f"plan: expected a DataFrame, got {type(plan).__name__}")
    missing = [c for c in ("phase", "start_week", "end_week") if c not in plan]
    if missing:
        raise ValueError(f"plan: missing columns {missing}")
    if plan.empty:
        raise ValueError("plan: no phases to draw")
    start = plan["start_week"].to_numpy(dtype=float)
    end = plan["end_week"].to_numpy(dtype=float)
    if np.isnan(start).any() or np.isnan(end).any() or (end < start).any() or (start < 0).any():
        raise ValueError("plan: weeks must be numbers with 0 <= start_week <= end_week")
    buffer = (plan["buffer_weeks"].to_numpy(dtype=float) if "buffer_weeks" in plan
              else np.zeros(len(plan)))
    buffer = np.clip(np.nan_to_num(buffer), 0, end - start)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 3.5))
    rows = np.arange(len(plan))
    ax.barh(rows, end - start - buffer, left=start, color=_BAR, label="planned work")
    buffered = buffer > 0
    if buffered.any():
        ax.barh(rows[buffered], buffer[buffered], left=(end - buffer)[buffered], color=_BUFFER,
                hatch="//", edgecolor="white", label="risk buffer")
    for row, finish in zip(rows, end, strict=True):
        ax.text(finish + 0.15, row, f"{finish:g}", va="center", fontsize=8)
    for label, week in (marks or {}).items():
        ax.axvline(week, color="black", linestyle="--", linewidth=0.9)
        ax.text(week, -0.6, f" {label}", fontsize=8, va="bottom")
    ax.set_yticks(rows, [str(p) for p in plan["phase"]])
    ax.set_ylim(len(plan) - 0.5, -0.9)  # first phase on top, room for the marks' labels
    ax.set_xlim(0, max(end.max(), *(marks or {0: 0}).values()) + 1.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("weeks from the start")
    ax.set_title(title)
    if buffered.any():
        ax.legend(loc="lower left", fontsize=8)
    return ax


def mails_needed(base_rate: float, lift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Mails per arm for an A/B test to detect a relative ``lift`` over ``base_rate``.

    The usual normal-approximation formula for two proportions, two-sided at ``alpha``, with
    the given ``power`` (the chance to see the lift when it is really there).
    """
    from statistics import NormalDist

    for name, value, low, high in (("base_rate", base_rate, 0, 1), ("alpha", alpha, 0, 1),
                                   ("power", power, 0, 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name}: expected a number, got {value!r}")
        if not low < value < high:
            raise ValueError(f"{name}: must be strictly between {low} and {high}, got {value}")
    if isinstance(lift, bool) or not isinstance(lift, numbers.Real) or lift <= 0:
        raise ValueError(f"lift: must be a positive number (0.1 means +10%), got {lift!r}")
    treated = base_rate * (1 + lift)
    if treated >= 1:
        raise ValueError(f"lift: {lift} would take the rate {base_rate} to 1 or more")
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_power = NormalDist().inv_cdf(power)
    pooled = (base_rate + treated) / 2
    spread = (z_alpha * math.sqrt(2 * pooled * (1 - pooled))
              + z_power * math.sqrt(base_rate * (1 - base_rate) + treated * (1 - treated)))
    return math.ceil(spread**2 / (treated - base_rate) ** 2)


# -- the Part 3 results, recomputed -----------------------------------------------------------


def _check_site(site: object) -> FashionSite:
    if not isinstance(site, FashionSite):
        raise TypeError(f"site: expected a FashionSite (make_fashion_site), got "
                        f"{type(site).__name__}")
    return site


def _check_count(name: str, value: object, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name}: expected a whole number >= {low}, got {value!r}")
    return int(value)


def _rule_lists(site: FashionSite, n: int) -> dict[int, np.ndarray]:
    """Step 2's list of every upcoming release: the first ``n`` of the rule's ranking."""
    return {int(r.release_id): rule_ranking(site.orders, int(r.brand_id))[:n]
            for r in site.upcoming_releases.itertuples()}


def _fit_model(site: FashionSite):
    """Notebook 5's model (the course's, `fit_access_model`), fitted on every past mail."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # a model this small fits fastest on one thread
        return fit_access_model(mail_training_table(site))


def _ab_test(site: FashionSite, budget: int, seed: int) -> dict[str, float]:
    """Notebook 5's A/B test: the rule in one random half of the customers, the model in the
    other, for every release of the season, each arm mailing half of the budget."""
    model = _fit_model(site)
    ids = site.customers["customer_id"].to_numpy()
    shuffled = np.random.default_rng(seed).permutation(ids)
    arm_rule, arm_model = shuffled[: ids.size // 2], shuffled[ids.size // 2:]
    brand_of = site.upcoming_releases.set_index("release_id")["brand_id"].astype(int)
    n = budget // 2
    rule_lists, model_lists = {}, {}
    for release_id, customers in upcoming_features(site).items():
        by_rule = rule_ranking(site.orders, int(brand_of[release_id]))
        scores = model.predict_proba(customers[FEATURES])[:, 1]
        by_model = customers["customer_id"].to_numpy()[np.argsort(-scores, kind="stable")]
        rule_lists[release_id] = by_rule[np.isin(by_rule, arm_rule)][:n]
        size = len(rule_lists[release_id])
        model_lists[release_id] = by_model[np.isin(by_model, arm_model)][:size]
    out: dict[str, float] = {}
    for arm, lists in (("rule", rule_lists), ("model", model_lists)):
        season = run_season(site, lists)
        for column in ("mails", "accesses", "unsubscribed"):
            out[f"ab_{arm}_{column}"] = int(season[column].sum())
        rate = out[f"ab_{arm}_accesses"] / out[f"ab_{arm}_mails"]
        low, high = access_rate_ci(out[f"ab_{arm}_accesses"], out[f"ab_{arm}_mails"])
        out.update({f"ab_{arm}_rate": rate, f"ab_{arm}_ci_low": low, f"ab_{arm}_ci_high": high})
    counts = (out["ab_model_accesses"], out["ab_model_mails"], out["ab_rule_accesses"],
              out["ab_rule_mails"])
    out["ab_lift"] = out["ab_model_rate"] / out["ab_rule_rate"] - 1
    out["ab_lift_low"], out["ab_lift_high"] = lift_ci(*counts)
    out["ab_p_value"] = two_proportion_test(*counts).p_value
    return out


def part3_results(site: FashionSite, budget: int, seed: int = 0,
                  with_model: bool = True) -> dict[str, float]:
    """The numbers Part 3 measured, recomputed for ``site`` with a list size of ``budget``.

    ``random_*`` and ``rule_*`` come from a season of random lists and of step 2's query, as in
    notebooks 3 and 4: ``rate``, ``ci_low``, ``ci_high``; then the rule's ``mails``,
    ``accesses``, ``orders``, ``unsubscribed``, ``mails_per_day`` over the 90-day season,
    ``orders_per_access`` and ``unsubscribe_rate``. With ``with_model``, ``ab_*`` is notebook
    5's A/B test of the model against the rule (arms split with ``seed``): for each arm
    ``ab_rule_*`` and ``ab_model_*`` (``mails``, ``accesses``, ``unsubscribed``, ``rate``,
    ``ci_low``, ``ci_high``), then ``ab_lift``, ``ab_lift_low``, ``ab_lift_high`` and
    ``ab_p_value``. The site itself is never mailed and the oracle is never called.
    """
    _check_site(site)
    budget = _check_count("budget", budget, low=2)
    seed = _check_count("seed", seed, low=0)
    rule = _rule_lists(site, budget)
    seasons = compare_seasons({
        "random": run_season(site, random_lists_like(site, rule, seed=seed)),
        "rule": run_season(site, rule),
    })
    results: dict[str, float] = {}
    for name in ("random", "rule"):
        for column in ("access_rate", "ci_low", "ci_high"):
            key = "rate" if column == "access_rate" else column
            results[f"{name}_{key}"] = float(seasons.loc[name, column])
    counts = seasons.loc["rule", ["mails", "accesses", "orders", "unsubscribed"]]
    results.update({f"rule_{k}": int(v) for k, v in counts.items()})
    results["rule_mails_per_day"] = results["rule_mails"] / SEASON_DAYS
    results["rule_orders_per_access"] = results["rule_orders"] / max(results["rule_accesses"], 1)
    results["rule_unsubscribe_rate"] = results["rule_unsubscribed"] / results["rule_mails"]
    if with_model:
        results.update(_ab_test(site, budget, seed))
    return results


# -- the one-page briefing --------------------------------------------------------------------


def _check_plan(plan: Mapping) -> None:
    if not isinstance(plan, Mapping):
        raise TypeError(f"plan: expected a dict like first_step_plan's, got {type(plan).__name__}")
    missing = [k for k in PLAN_KEYS if k not in plan]
    if missing:
        raise ValueError(f"plan: missing keys {missing}")
    criteria = plan["go_criteria"]
    if not isinstance(criteria, Mapping) or any(k not in criteria for k in CRITERIA_KEYS):
        raise ValueError(f"plan: go_criteria needs the keys {list(CRITERIA_KEYS)}")


def _briefing_rows(results: Mapping, plan: Mapping, cost: object) -> list[tuple[str, str]]:
    c = plan["go_criteria"]
    start, decision = pd.Timestamp(plan["start"]), pd.Timestamp(plan["decision_date"])
    build_weeks = round((decision - start) / pd.Timedelta(weeks=1)) - plan["pilot_weeks"]
    support = plan["support_needed"]
    support = "; ".join(support) if not isinstance(support, str) else support
    return [
        ("Evidence", f"step 2's query: {results['rule_rate']:.1%} of mails bring a visit, "
                     f"random lists {results['random_rate']:.1%}. A/B test of the model "
                     f"against the query: {results['ab_lift']:+.0%} (95% interval "
                     f"{results['ab_lift_low']:+.0%} to {results['ab_lift_high']:+.0%}), "
                     f"p = {results['ab_p_value']:.2g}"),
        ("Ask", f"approve {plan['step']}: {build_weeks} weeks to build, then a pilot of "
                f"{plan['pilot_weeks']} weeks against the query ({plan['mails_per_arm']:,} "
                "mails per arm)"),
        ("Certain cost", f"{cost} before the pilot measures anything"),
        ("Decided by", str(plan["decision_maker"])),
        ("Timing", f"start {start:%d %b %Y}; go/stop decision on {decision:%d %b %Y}"),
        ("Go if", f"the model's access rate beats the query's, in the same weeks, by at least "
                  f"{c['min_lift']:.1%} (the break-even lift), with p < {c['alpha']:g}, and "
                  f"unsubscribes rise by at most {c['max_extra_unsubscribe_rate']:.2%} of mails"),
        ("Stop if", "any go criterion fails: step 2's query keeps mailing every release"),
        ("Support needed", support),
    ]


def briefing_page(results: Mapping, plan: Mapping, cost: object,
                  title: str = "Release mails: from a query to personalisation") -> Figure:
    """One page for the executives: the measured CX metric, and the ask with its criteria.

    ``results`` is :func:`part3_results`' dict (with the A/B test), ``plan`` a first-step
    plan with the keys :data:`PLAN_KEYS` (``go_criteria`` holding ``baseline_rate``,
    ``min_lift``, ``alpha``, ``max_extra_unsubscribe_rate``), ``cost`` the step's certain
    cost (a ``course.money.Money`` or any printable amount).
    """
    if not isinstance(results, Mapping):
        raise TypeError(f"results: expected part3_results' dict, got {type(results).__name__}")
    arms = [f"ab_{arm}_{k}" for arm in ("rule", "model") for k in ("rate", "ci_low", "ci_high")]
    needed = ["random_rate", "random_ci_low", "random_ci_high", "rule_rate", "rule_ci_low",
              "rule_ci_high", *arms, "ab_lift", "ab_lift_low", "ab_lift_high", "ab_p_value"]
    missing = [k for k in needed if k not in results]
    if missing:
        raise ValueError(f"results: missing keys {missing} (use part3_results(..., "
                         "with_model=True))")
    _check_plan(plan)
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8, 8))
    grid = fig.add_gridspec(2, 1, height_ratios=[1, 1.3], hspace=0.3)
    chart, text = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    names = ["random lists\n(season)", "step 2: the query\n(season)",
             "A/B test:\nquery's half", "A/B test:\nmodel's half"]
    keys = ["random", "rule", "ab_rule", "ab_model"]
    rates = np.array([results[f"{k}_rate"] for k in keys]) * 100
    low = np.array([results[f"{k}_ci_low"] for k in keys]) * 100
    high = np.array([results[f"{k}_ci_high"] for k in keys]) * 100
    chart.bar(names, rates, yerr=[rates - low, high - rates], capsize=6,
              color=["#bbbbbb", _BAR, _BAR, _MODEL])
    line = results["ab_rule_rate"] * (1 + plan["go_criteria"]["min_lift"]) * 100
    chart.hlines(line, 1.55, 3.45, color="#d9534f", linestyle="--", linewidth=1)
    chart.text(1.55, line, f"break-even: query +{plan['go_criteria']['min_lift']:.1%}",
               color="#d9534f", fontsize=8, va="bottom")
    for x, rate in enumerate(rates):
        chart.text(x, rate / 2, f"{rate:.1f}%", ha="center", fontsize=9,
                   bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    chart.set_ylabel("access rate (% of mails sent)")
    chart.set_title("CX metric: accesses from the mail ÷ mails sent (95% interval)", fontsize=10)
    text.axis("off")
    y = 1.0
    for label, detail in _briefing_rows(results, plan, cost):
        lines = textwrap.wrap(detail, width=78) or [""]
        text.text(0.0, y, label, fontweight="bold", fontsize=9, va="top",
                  transform=text.transAxes)
        text.text(0.2, y, "\n".join(lines), fontsize=9, va="top", transform=text.transAxes)
        y -= 0.058 * len(lines) + 0.035
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig
