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


def _rebuilds_pay(ns, policy: str, at_least: float) -> bool | str:
    worth = ns["worth"](ns["policies"][policy])
    ratio = worth["value of the extra orders"] / max(worth["cost of the rebuilds"], 1)
    return between(ratio, at_least, 1e9, f"value ÷ cost of rebuilding {policy}")


def _season(ns, row: str) -> float:
    return ns["comparison"].loc[row, "access_rate"]


def _mail_misses_least(ns) -> bool | str:
    rates = ns["miss_rate_by_source"](ns["site"].events).rename(index=str)
    others = min(rates[source] for source in ("search", "direct", "social"))
    return True if rates["mail"] < min(0.01, others) else f"miss rates {rates.round(4).to_dict()}"


def _ab_test_said_go(ns) -> bool | str:
    lift, low = ns["RESULTS"]["ab_lift"], ns["RESULTS"]["ab_lift_low"]
    return True if lift >= 0.10 and low > 0 else f"A/B lift {lift:.3f}, interval from {low:.3f}"


def _two_halves_add(ns) -> bool | str:
    at_budget, no_mail = ns["at_budget"], ns["no_mail_rate"]
    rule, model = at_budget["step 2, the rule"], at_budget["step 3, the model"]
    return True if rule < no_mail < model else f"rule {rule:.3f}, without mail history " \
        f"{no_mail:.3f}, everything {model:.3f}"


def _flywheel_sooner_and_higher(ns) -> bool | str:
    steady, flywheel = ns["steady"], ns["flywheel"]
    first = ns["first_winning_month"]
    soon, late = first(flywheel), first(steady)
    higher = flywheel["model_rate"].iloc[-1] > steady["model_rate"].iloc[-1]
    sooner = soon is not None and (late is None or soon <= late)
    return True if sooner and higher else f"months {soon} and {late}; higher: {higher}"


def _rate(ns, row: str) -> float:
    return ns["comparison"].loc[row, "access_rate"]


def _intervals_overlap(ns, a: str, b: str) -> bool | str:
    low, high = ns["comparison"]["ci_low"], ns["comparison"]["ci_high"]
    overlap = low[a] <= high[b] and low[b] <= high[a]
    return True if overlap else f"intervals of {a} and {b} do not overlap"


def _funnel_narrows(ns) -> bool | str:
    values = ns["funnel"].to_numpy()
    return True if (values[1:] < values[:-1]).all() else f"funnel {ns['funnel'].to_dict()}"


def _curve_passes_the_rule(ns) -> bool | str:
    curve, rule = ns["curve"].set_index("n_mails")["access_rate"], ns["rule_rate"]
    few = curve[curve.index <= 500]
    many = curve[(curve.index >= 2_000) & (curve.index <= 8_000)]
    ok = (few < rule).all() and (many > rule).any()
    return True if ok else f"rates {curve.round(3).to_dict()} against the rule's {rule:.3f}"


def _passes_within_a_month(ns) -> bool | str:
    curve, rule = ns["curve"].set_index("n_mails")["auc"], ns["rule_auc"]
    month = ns["per_month"].mean()
    after = curve[curve.index >= month]
    return True if len(after) and (after > rule).all() else \
        f"with {month:,.0f} mails a month the AUCs are {after.round(3).to_dict()}, rule {rule:.3f}"


def _newest_cohort_missed(ns) -> bool | str:
    by_year = ns["pd"].DataFrame({"actual": ns["label"], "baseline": ns["baseline"]}).groupby(
        ns["cohort"]).sum()
    ratio = by_year["baseline"] / by_year["actual"]
    newest = ratio.index.max()
    ok = ratio[newest] < 0.9 and ratio[newest] < ratio.drop(newest).min()
    return True if ok else f"baseline ÷ actual by sign-up year {ratio.round(2).to_dict()}"


def _first_leads(ns) -> bool | str:
    """The lead, in accesses, in the month each simulation overtakes for good."""
    mails, leads = ns["top_mails"], []
    for simulation in (ns["steady"], ns["flywheel"]):
        month = ns["first_winning_month"](simulation)
        if month is not None:
            row = simulation.set_index("month").loc[month]
            leads.append((row["model_rate"] - row["rule_rate"]) * mails)
    ok = 2_000 <= mails <= 4_500 and leads and all(1 <= lead <= 150 for lead in leads)
    return True if ok else f"leads {[round(x) for x in leads]} in {mails:,} mails"


CLAIMS: dict[str, list[Claim]] = {
    "part0_orientation/00_how_this_course_works": [
        Claim("hover at a few percent", lambda ns: between(
            ns["per_campaign"]["access_rate"].median(), 0.01, 0.05, "the median campaign's rate")),
    ],
    "part1_understanding/03_the_winning_pattern": [
        Claim("its lead is a handful to a few dozen accesses in some three\n  thousand mails",
              _first_leads),
        Claim("With a few hundred mails the model knows less than the marketing lead",
              _curve_passes_the_rule),
        Claim("would\n  pass the rule within its first month", _passes_within_a_month),
        Claim("gets there sooner and climbs higher", _flywheel_sooner_and_higher),
    ],
    "part1_understanding/01_rules_versus_learning": [
        Claim("a few customers bought 50 times", lambda ns: between(
            ns["train"]["orders"].max(), 25, 200, "the most order lines of one customer")),
        Claim("The boosted trees are not clearly better here", lambda ns: between(
            roc_auc_score(ns["test"]["accessed"],
                          ns["boosted"].predict_proba(ns["test"][FEATURES])[:, 1])
            - roc_auc_score(ns["test"]["accessed"],
                            ns["model"].predict_proba(ns["test"][FEATURES])[:, 1]),
            -1, 0.02, "boosted AUC minus the logistic regression's")),
        Claim("far better than random", lambda ns: between(
            ns["rates"]["rule"] / ns["base_rate"], 2, 20, "the rule's rate ÷ random's")),
        Claim("beats the rule at the same budget", lambda ns: between(
            ns["rates"]["model"] / ns["rates"]["rule"] - 1, 0.05, 1, "the model's lift")),
        Claim("buyers of the brand come far more often", lambda ns: between(
            ns["test"].loc[ns["bought_brand"], "accessed"].mean()
            / ns["test"].loc[~ns["bought_brand"], "accessed"].mean(), 2, 100,
            "buyers' access rate ÷ others'")),
        Claim("about 2 in\n100 come to the site from the mail",
              lambda ns: between(ns["base_rate"], 0.015, 0.03, "random mailing's access rate")),
        Claim("pull it down", _weights_story),
        Claim("`brand_orders` gets a weight near zero",
              lambda ns: between(abs(_weights(ns)["brand_orders"]), 0, 0.15,
                                 "|weight of brand_orders|")),
    ],
    "part1_understanding/02_which_ml_task": [
        Claim("falls furthest short for the newest cohort", _newest_cohort_missed),
        Claim("About one mail visit in twenty ends in a purchase",
              lambda ns: between(ns["buy_per_access"], 0.03, 0.08, "orders per visit")),
        Claim("for the mails the rule would send", lambda ns: between(
            ns["rule_mails_per_month"] / (len(ns["log"]) / 12), 0.3, 0.8,
            "the rule's mails ÷ all random mails")),
    ],
    "part2_applying/02_event_storming_from_data": [
        Claim("Every stage loses customers", _funnel_narrows),
        Claim("(under 1%)", _mail_misses_least),
    ],
    "part2_applying/03_defining_the_cx_metric": [
        Claim("barely move (about 1%)", lambda ns: between(
            ns["change"]["top_page_visits"].abs().max(), 0, 0.05,
            "top-page visits' largest change")),
        Claim("with the more accurate lists", lambda ns: between(
            ns["change"].loc[["rule: bought the brand", "rule + mail history"],
                             "access_rate"].min(), 0.1, 0.99, "the rule lists' rise")),
        Claim("they are far rarer than accesses", lambda ns: between(
            ns["trial"]["purchases_per_mail"].mean() / ns["trial"]["access_rate"].mean(),
            0, 0.15, "purchases ÷ accesses per mail")),
        Claim("about 2% of them brought the customer to the site", lambda ns: between(
            ns["site"].mail_log["accessed"].mean(), 0.015, 0.03, "random mails' access rate")),
    ],
    "part2_applying/04_which_problem_first": [
        Claim("The **top page** makes even more predictions", lambda ns: between(
            ns["weighed"].loc["top page from purchase history", "ml_burden"]
            / ns["weighed"].loc["top page from purchase history", "wrong_impact_yen"]
            / (ns["weighed"].loc["release mail to the brand's fans", "ml_burden"]
               / ns["weighed"].loc["release mail to the brand's fans", "wrong_impact_yen"]),
            1, 1e6, "top-page predictions a year ÷ the mail's")),
        Claim("the next popular release is days away", lambda ns: between(
            (ns["next_popular"] - ns["today"]).days, 0, 14, "days to the next popular release")),
        Claim("Fans missing releases is both the most urgent", lambda ns: between(
            float(ns["ranked"].iloc[0]["problem"] == "missed the release date"), 1, 1,
            "missing releases ranks first (1 = yes)")),
        Claim("The **coupon** risks more than it brings", lambda ns: between(
            ns["weighed"].loc["an early personal coupon", "ml_burden"]
            - ns["weighed"].loc["an early personal coupon", "ml_value"], 0, 1e12,
            "the coupon's burden minus its value")),
        Claim("the rule already brings most of the gain over random mailing", lambda ns: (
            lambda r: between(
                (r["rule + mail history"] - r["rule: bought the brand"])
                / (r["rule + mail history"] - r["random"]), -1, 0.5,
                "the model's share of the gain over random"))(ns["revenue_per_mail"])),
    ],
    "part2_applying/01_a_good_business_problem": [
        Claim("January is low", lambda ns: between(
            ns["kpi"].iloc[1:].min() - ns["kpi"].iloc[0], 0, 1,
            "the lowest other month minus January")),
        Claim("pay much less than the list's typical price", lambda ns: between(
            ns["profile"].loc["price_driven", "median_price_paid"]
            / ns["profile"].loc["brand_loyal", "median_price_paid"], 0, 0.8,
            "price-driven ÷ brand-loyal median price")),
        Claim("view many items per purchase", lambda ns: between(
            float(ns["profile"]["views_per_purchase"].idxmax() == "window_shopper"), 1, 1,
            "window shoppers view the most per purchase (1 = yes)")),
        Claim("three in ten", lambda ns: between(ns["kpi"].iloc[1:].mean(), 0.2, 0.4,
                                                "the mean monthly active-user ratio")),
        Claim("well below the 40%", lambda ns: between(
            ns["TARGET_ACTIVE_RATIO"] - ns["kpi"].max(), 0.05, 1, "target minus the best month")),
        Claim("about a quarter of all visits", lambda ns: between(
            ns["stale"].mean(), 0.17, 0.33, "share of stale sessions")),
        Claim("most often shown nothing new", lambda ns: between(
            float(ns["stale_by_frequency"].iloc[-1] == ns["stale_by_frequency"].max()), 1, 1,
            "the most frequent visitors have the most stale sessions (1 = yes)")),
        Claim("most of their items on release day", lambda ns: between(
            ns["profile"].loc["brand_loyal", "release_day_share"], 0.5, 1,
            "brand-loyal release-day share")),
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
        Claim("about thirty releases a season across a dozen brands", lambda ns: True if (
            25 <= len(ns["site"].upcoming_releases) <= 36 and 10 <= len(ns["site"].brands) <= 14)
            else f"{len(ns['site'].upcoming_releases)} releases, {len(ns['site'].brands)} brands"),
        Claim("The two intervals are far apart", lambda ns: between(
            ns["experiment"].loc["Yui's lists", "95% CI low"]
            - ns["experiment"].loc["random lists", "95% CI high"], 0.01, 1,
            "gap between the intervals")),
        Claim("earn more than Yui's hours and the mails cost",
              lambda ns: between(ns["extra_margin"] / ns["test_cost"], 1, 10,
                                 "margin per yen spent")),
        Claim("about one visit in twenty turns into an order", lambda ns: between(
            ns["step1_result"]["purchased"].sum() / ns["step1_result"]["accessed"].sum(),
            0.025, 0.12, "orders per visit of the hand-picked lists")),
    ],
    "part3_starting/04_step3_personalisation_with_ml": [
        Claim("thirty releases are still a sample", lambda ns: between(
            len(ns["site"].upcoming_releases), 25, 36, "releases in the season")),
        Claim("a\nnegative weight on `views`", lambda ns: between(
            -ns["weights"]["views"], 0, 100, "minus the weight of views")),
        Claim("went to a random 10–20% of the customers", lambda ns: between(
            (ns["site"].campaigns["n_sent"] / ns["N_CUSTOMERS"]).median(), 0.05, 0.25,
            "a past campaign's share of the customers")),
        Claim("`days_since_order` is at most 400", lambda ns: between(
            ns["test"]["days_since_order"].max(), 0, 400, "the largest days_since_order")),
        Claim("most customers bought nothing, a few bought a lot", lambda ns: between(
            (ns["train"]["brand_orders"] == 0).mean(), 0.5, 1, "share of mails to non-buyers")),
        Claim("beat the rule by a clear but realistic margin", lambda ns: between(
            ns["over_rule"], 0.1, 0.4, "step 3's lift over the rule in the season")),
        Claim("Still far from the oracle", lambda ns: between(
            ns["gap_closed"], 0, 0.5, "share of the gap to the oracle closed")),
        Claim("Both halves of the shop's history add to the rule", _two_halves_add),
        Claim("count against", lambda ns: between(
            -ns["weights"]["mails_28d"], 0, 100, "minus the weight of mails_28d")),
        Claim("ranks only a little better than the rule", _simple_between_rule_and_model),
        Claim("mail in eight brings a customer to the site", lambda ns: between(
            ns["comparison"].loc["step 2, the rule", "access_rate"], 0.09, 0.16,
            "the rule's access rate over the season")),
    ],
    "part3_starting/03_step2_rule_as_a_query": [
        Claim("Mailing only part of the releases gives the highest rates", lambda ns: between(
            float(ns["comparison"]["access_rate"].idxmax() in (
                "step 1, marketing's time", "step 2, same releases")), 1, 1,
            "a row of part of the releases has the highest rate (1 = yes)")),
        Claim("On those same releases the query does about as well", lambda ns: between(
            _rate(ns, "step 2, same releases") / _rate(ns, "step 1, marketing's time"), 0.85,
            1.2, "the query's rate ÷ the hand list's, on the same releases")),
        Claim("reach about the same rate", lambda ns: _intervals_overlap(
            ns, "step 1, every release", "step 2, every release")),
        Claim("step 1 reaches fewer than half of the releases", lambda ns: between(
            ns["comparison"].loc["step 1, marketing's time", "releases"]
            / ns["comparison"].loc["step 2, every release", "releases"], 0, 0.5,
            "releases within marketing's time ÷ all")),
        Claim("for less than half the staff cost", lambda ns: between(
            ns["by_query"].yen / ns["by_hand"].yen, 0, 0.5, "the query's staff cost ÷ by hand")),
        Claim("both reached an access rate around\n12%", lambda ns: between(
            _season(ns, "step 2, every release"), 0.10, 0.15, "the query's season rate")),
        Claim("about five times the", lambda ns: between(
            _season(ns, "step 2, every release") / _season(ns, "random lists"), 4, 7,
            "the query's rate ÷ random's")),
        Claim("both are several times better than random mailing", lambda ns: between(
            _season(ns, "step 1, every release") / _season(ns, "random lists"), 3, 10,
            "step 1's rate ÷ random's")),
    ],
    "part3_starting/05_an_honest_ab_test": [
        Claim("The season's pooled interval is narrow", lambda ns: between(
            ns["readout"]["lift_high"] - ns["readout"]["lift_low"], 0, 0.25,
            "width of the season's interval")),
        Claim("an interval so wide that it often holds both", lambda ns: between(
            ((ns["single"]["lift_low"] < 0)
             & (ns["single"]["lift_high"] > ns["CRITERIA"]["min_lift"])).mean(), 0.3, 1,
            "share of one-release intervals holding both")),
        Claim("a small test that does say go tends to overstate the gain", lambda ns: between(
            ns["lucky"].mean() - ns["readout"]["lift"], 0, 10,
            "the go tests' mean lift minus the season's")),
        Claim("see a +10% difference\n  in a rate near 12%", lambda ns: between(
            ns["readout"]["control_rate"], 0.10, 0.14, "the rule arm's rate")),
    ],
    "part3_starting/06_production_questions_more": [
        Claim("rebuilding every month barely pays\nfor itself", lambda ns: (
            lambda w: between(w["value of the extra orders"] / w["cost of the rebuilds"], 0.8,
                              2.5, "value ÷ cost of rebuilding every month"))(
            ns["worth"](ns["policies"]["every month"]))),
        Claim("so it nets more", lambda ns: between(
            ns["worth"](ns["policies"]["by the rule"])["net"]
            - ns["worth"](ns["policies"]["every month"])["net"], 0, 1e12,
            "net of rebuilding by the rule minus every month")),
        Claim("earned several times its cost", lambda ns: _rebuilds_pay(ns, "by the rule", 2)),
        Claim("lost about half its access rate in eight months", lambda ns: between(
            ns["stale"].iloc[-1] / ns["stale"].iloc[0], 0.35, 0.7, "last ÷ first month")),
        Claim("the mails themselves cost more than the computing", lambda ns: between(
            ns["mail_sending"].per_month() / ns["scoring"].per_month(), 1, 1e12,
            "mails ÷ computing")),
    ],
    "part3_starting/06_production_questions": [
        Claim("only when the monitor sees a drop, here rarely", lambda ns: between(
            int(ns["policies"]["by the rule"]["rebuilt"].sum()), 0, 2,
            "rebuilds by the rule in eight months")),
        Claim("adds thousands of labels", lambda ns: between(
            ns["later"].groupby(ns["later"]["send_date"].dt.to_period("M")).size().min(), 1000,
            1e7, "mails of the smallest month")),
        Claim("A few hundred labels give a model no better than the rule", lambda ns: True if (
            ns["curve"].iloc[0] <= 1.05 * ns["rule_level"] < 1.1 * ns["rule_level"]
            < ns["curve"].iloc[-1]) else f"curve {ns['curve'].round(3).to_dict()}, rule "
            f"{ns['rule_level']:.3f}"),
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
        Claim("about one visit in twenty becomes an order", lambda ns: between(
            ns["RESULTS"]["rule_orders_per_access"], 0.03, 0.12, "the query's orders per visit")),
        Claim("step 3 passed its A/B test in notebook 5", _ab_test_said_go),
        Claim("beat the\nquery by about 30%", lambda ns: between(
            ns["RESULTS"]["ab_lift"], 0.2, 0.4, "the A/B lift")),
        Claim("beats the query by about 54%", lambda ns: between(
            ns["MIN_LIFT"], 0.4, 0.7, "the break-even lift")),
        Claim("costs\nabout 2.8 million yen", lambda ns: between(
            ns["STEP3_COST"].yen, 2.7e6, 2.9e6, "step 3's cost")),
        Claim("an access rate of about 12%, five times the 2% of random lists", lambda ns: (
            lambda r: True if 0.10 <= r["rule_rate"] <= 0.15 and 4 <= r["rule_rate"] / r[
                "random_rate"] <= 7 else f"rates {r['rule_rate']:.3f} and {r['random_rate']:.3f}")(
            ns["RESULTS"])),
        Claim("Step 3 needs the board\nand millions of yen",
              lambda ns: between(ns["STEP3_COST"].yen, 1e6, 1e8, "step 3's cost")),
        Claim("far above what the A/B test measured", lambda ns: between(
            ns["MIN_LIFT"] - ns["RESULTS"]["ab_lift_high"], 0, 10,
            "break-even lift minus the top of the A/B interval")),
        Claim("(the table below, with your `break_even_lift`)", _scenarios_clear_the_bar),
    ],
}
CLAIMS["part3_starting/06_production_questions"] += CLAIMS.pop(
    "part3_starting/06_production_questions_more")
