"""Every notebook's registered claims, keyed by `<assignment>/<notebook stem>`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from claims import Claim, between
from course.features import FEATURES


def _weights(ns) -> pd.Series:
    model = ns["model"]
    last = model[-1] if hasattr(model, "steps") else model
    return pd.Series(np.ravel(last.coef_), index=FEATURES)


def _weights_story(ns) -> bool | str:
    w = _weights(ns)
    if w.idxmax() != "brand_views":
        return f"the largest weight is {w.idxmax()}, not brand_views"
    up = [name for name in ("brand_share", "access_rate") if w[name] <= 0]
    down = [name for name in ("views", "orders", "mails_28d") if w[name] >= 0]
    return True if not up and not down else f"signs differ: up {up}, down {down}"


def _orders_per_day(ns) -> float:
    log = ns["log"]
    return log["purchased"].sum() / ns["days"]


def _visit_conversion(ns) -> float:
    log = ns["log"]
    return log["purchased"].sum() / log["accessed"].sum()


def _simple_between_rule_and_model(ns) -> bool | str:
    simple = roc_auc_score(ns["test"]["accessed"], ns["simple_scores"])
    rule, model = (ns["judged"].loc[name, "auc"] for name in ("step 2, the rule",
                                                               "step 3, the model"))
    return True if rule < simple < model else f"AUCs: rule {rule:.3f}, simple {simple:.3f}, " \
        f"model {model:.3f}"


def _scenarios_clear_the_bar(ns) -> bool | str:
    measured = ns["RESULTS"]["ab_lift"]
    needed = {name: ns["break_even_lift"](results, ns["STEP3_COST"], ns["MARGIN_YEN_PER_ORDER"],
                                          months)
              for name, (results, months) in ns["scenarios"].items()}
    cleared = [name for name, bar in needed.items() if bar < measured]
    want = {"three times the customers", "ten times the customers", "a 36-month horizon"}
    return True if set(cleared) == want else f"bars {needed} against the lift {measured:.3f}"


CLAIMS: dict[str, list[Claim]] = {
    "part1_understanding/01_rules_versus_learning": [
        Claim("about 2 in\n100 come to the site from the mail",
              lambda ns: between(ns["base_rate"], 0.015, 0.03, "random mailing's access rate")),
        Claim("pull it down", _weights_story),
        Claim("`brand_orders` gets a weight near zero",
              lambda ns: between(abs(_weights(ns)["brand_orders"]), 0, 0.15,
                                 "|weight of brand_orders|")),
    ],
    "part1_understanding/02_which_ml_task": [
        Claim("About one mail visit in twenty ends in a purchase",
              lambda ns: between(ns["buy_per_access"], 0.03, 0.08, "orders per visit")),
        Claim("not every random mail", lambda ns: between(
            ns["rule_mails_per_month"] / (len(ns["log"]) / 12), 0.3, 0.8,
            "the rule's mails ÷ all random mails")),
    ],
    "part2_applying/04_which_problem_first": [
        Claim("the rule already brings most of the gain over random mailing", lambda ns: (
            lambda r: between(
                (r["rule + mail history"] - r["rule: bought the brand"])
                / (r["rule + mail history"] - r["random"]), -1, 0.5,
                "the model's share of the gain over random"))(ns["revenue_per_mail"])),
    ],
    "part2_applying/01_a_good_business_problem": [
        Claim("in the same order of size", lambda ns: (
            lambda s: True if s["brand_loyal"] > s["price_driven"] > s["window_shopper"]
            else f"shares {s.round(2).to_dict()}")(ns["segments"].value_counts(normalize=True))),
        Claim("more brand-loyal customers and fewer price-driven ones", lambda ns: (
            lambda s: True if s["brand_loyal"] > 0.6 and s["price_driven"] < 0.3
            else f"shares {s.round(2).to_dict()}")(ns["segments"].value_counts(normalize=True))),
    ],
    "part3_starting/01_certain_cost_uncertain_outcome": [
        Claim("bring about one order a day",
              lambda ns: between(_orders_per_day(ns), 0.6, 1.6, "orders per day from the mails")),
        Claim("about one visit in twenty",
              lambda ns: between(_visit_conversion(ns), 0.03, 0.08, "orders per visit")),
        Claim("Almost two years",
              lambda ns: between(ns["payback_months_for"](ns["PLAN"]), 18, 24,
                                 "payback in months")),
        Claim("a loss of millions", lambda ns: between(
            ns["expected_net_value"](ns["PLAN"], ns["CHANCES"], ns["HORIZON_MONTHS"]).yen,
            -1e9, -1e6, "expected net value")),
        Claim("testing first caps the\n  loss at the test's cost", lambda ns: between(
            ns["expected_value_testing_first"](ns["PLAN"], ns["CHANCES"], ns["HORIZON_MONTHS"],
                                               ns["TEST_COST"]).yen + ns["TEST_COST"].yen,
            -1, 1, "value of testing first + its cost")),
    ],
    "part3_starting/02_step1_mail_by_hand": [
        Claim("earn more than Yui's hours and the mails cost",
              lambda ns: between(ns["extra_margin"] / ns["test_cost"], 1, 10,
                                 "margin per yen spent")),
        Claim("about one visit in twenty turns into an order", lambda ns: between(
            ns["step1_result"]["purchased"].sum() / ns["step1_result"]["accessed"].sum(),
            0.025, 0.12, "orders per visit of the hand-picked lists")),
    ],
    "part3_starting/04_step3_personalisation_with_ml": [
        Claim("ranks only a little better than the rule", _simple_between_rule_and_model),
        Claim("mail in eight brings a customer to the site", lambda ns: between(
            ns["comparison"].loc["step 2, the rule", "access_rate"], 0.09, 0.16,
            "the rule's access rate over the season")),
    ],
    "part3_starting/06_production_questions": [
        Claim("costs millions of\ntimes more", lambda ns: between(
            ns["always_on"].per_month() / ns["scoring"].per_month(), 1e6, 1e12,
            "serving machine ÷ batch computing")),
        Claim("ends the year far below its first month", lambda ns: between(
            ns["stale"].iloc[-1] / ns["stale"].iloc[0], 0, 0.75, "last ÷ first month")),
        Claim("In the stable shop the launch-day list roughly holds its level", lambda ns: between(
            ns["calm_stale"].iloc[-1] / ns["calm_stale"].iloc[0],
            ns["stale"].iloc[-1] / ns["stale"].iloc[0], 2, "stable last ÷ first month")),
        Claim("late in the year even the simple rule", lambda ns: between(
            ns["rule_by_month"].iloc[-1] - ns["stale"].iloc[-1], 0, 1,
            "rule minus launch-day list, last month")),
        Claim("only a hundred or so accesses", lambda ns: between(
            ns["budget_accesses"].median(), 30, 300, "accesses at the budget in a month")),
    ],
    "part3_starting/09_first_step_and_briefing": [
        Claim("Step 3 needs the board\nand millions of yen",
              lambda ns: between(ns["STEP3_COST"].yen, 1e6, 1e8, "step 3's cost")),
        Claim("far above what the A/B test measured", lambda ns: between(
            ns["MIN_LIFT"] - ns["RESULTS"]["ab_lift_high"], 0, 10,
            "break-even lift minus the top of the A/B interval")),
        Claim("(the table below, with your `break_even_lift`)", _scenarios_clear_the_bar),
    ],
}
