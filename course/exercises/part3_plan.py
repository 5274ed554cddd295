"""Part 3, Starting (開始編), notebooks 07-09: visible checks and hints, one section per notebook.

07 a realistic timeline · 08 the organisation · 09 the first step and the executive briefing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from course.exercises._shapes import is_number as _is_number
from course.feedback import Exercise, NotYet, call_learner, expect
from course.metrics import lift, two_proportion_test
from course.money import Money, Rate
from course.planning import mails_needed


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def _norm(value: object) -> str:
    return " ".join(str(value).split()).lower() if isinstance(value, str) else ""


def _as_set(value: object, name: str) -> set:
    expect(isinstance(value, set | frozenset | list | tuple), f"`{name}` should be a set such "
           "as {\"a\", \"b\"}.")
    return set(value)


# ======================================================================================
# 07 · A realistic timeline
# ======================================================================================

DELAY_CAUSES = ("no_precedent", "missing_labels", "below_requirement", "experimental_code")
_DELAYS_AT_KUMO = {"no_precedent", "below_requirement", "experimental_code"}


def _expected_schedule(phases: pd.DataFrame) -> tuple[list[float], list[float]]:
    weeks = phases["weeks"].astype(float).tolist()
    starts = [sum(weeks[:i]) for i in range(len(weeks))]
    return starts, [s + w for s, w in zip(starts, weeks, strict=True)]


def _check_one_schedule(schedule, phases: pd.DataFrame) -> None:
    given = phases.copy()
    result = call_learner(schedule, given)
    expect(isinstance(result, pd.DataFrame), f"`schedule` should return a DataFrame, not a "
           f"{type(result).__name__}.")
    expect(list(given.columns) == list(phases.columns), "`schedule` added columns to the table "
           "it was given: start from a copy (`plan = phases.copy()`) and return that.")
    missing = [c for c in ("phase", "weeks", "start_week", "end_week") if c not in result]
    expect(not missing, f"the plan lacks the columns {missing}: keep `phase` and `weeks` and add "
           "`start_week` and `end_week`.")
    expect(len(result) == len(phases), f"the plan has {len(result)} rows for {len(phases)} "
           "phases: one row per phase.")
    expect(result["phase"].tolist() == phases["phase"].tolist(), "the phases are not in the "
           "order given: keep them in order, the first phase first.")
    starts, ends = _expected_schedule(phases)
    got_start = result["start_week"].astype(float).tolist()
    got_end = result["end_week"].astype(float).tolist()
    expect(not _close(got_start[0], 1.0) or _close(starts[0], 1.0), "the first phase starts at "
           "week 1; count weeks from 0 (the start of the project), so that a phase of 2 weeks "
           "starting at 0 ends at 2.")
    expect(_close(got_start[0], 0.0), "the first phase should start at week 0.")
    lengths_ok = all(_close(e - s, w) for s, e, w in
                     zip(got_start, got_end, phases["weeks"].astype(float), strict=True))
    expect(lengths_ok, "for every phase, end_week − start_week should equal its weeks.")
    expect(all(_close(a, b) for a, b in zip(got_start, starts, strict=True)), "a phase should "
           "start when the one before it ends (a running total of the weeks before it).")
    expect(all(_close(a, b) for a, b in zip(got_end, ends, strict=True)), "end_week should be "
           "the running total of the weeks, up to and including the phase.")


def _check_schedule(schedule, *, phases) -> None:
    _check_one_schedule(schedule, phases)
    tiny = pd.DataFrame({"phase": ["a", "b", "c"], "weeks": [0.5, 2.0, 1.5]})
    _check_one_schedule(schedule, tiny)


def _check_labelling_weeks(labelling_weeks, *, factory) -> None:
    result = call_learner(labelling_weeks, **factory)
    expect(_is_number(result), f"`labelling_weeks` should return a number of weeks, not a "
           f"{type(result).__name__}.")
    hours = factory["n_images"] * factory["seconds_per_image"] / 3600
    per_week = factory["experts"] * factory["hours_per_expert_per_week"]
    expect(not _close(result, hours * 3600 / per_week), "that is 3,600 times too many weeks: "
           "the labelling time is in seconds, the experts' time in hours.")
    expect(not _close(result, hours / factory["hours_per_expert_per_week"]), "you counted one "
           "expert only: all the experts label at the same time.")
    expect(not _close(result, hours * per_week), "the experts' hours per week divide the "
           "labelling hours: total hours ÷ (experts × hours each per week).")
    expect(_close(result, hours / per_week), "not the number of weeks the labels take: "
           "labelling hours ÷ expert hours per week.")
    other = dict(n_images=3_600, seconds_per_image=2, experts=1, hours_per_expert_per_week=2)
    expect(_close(call_learner(labelling_weeks, **other), 1.0), "on 3,600 images of 2 seconds "
           "each and one expert with 2 hours a week, the labels take 1 week: use the arguments, "
           "not the factory's numbers.")


def _check_delays(delays_that_apply) -> None:
    chosen = _as_set(delays_that_apply, "DELAYS_THAT_APPLY")
    unknown = chosen - set(DELAY_CAUSES)
    expect(not unknown, f"{sorted(map(str, unknown))} are not causes of delay; use the names "
           f"{list(DELAY_CAUSES)}.")
    expect("missing_labels" not in chosen, "look at the evidence cell again: does every past "
           "mail already carry its label? Kumo Closet is not the factory.")
    messages = {
        "no_precedent": "has anyone at Kumo Closet put a model into production before? A first "
                        "of its kind has no past project to estimate from.",
        "below_requirement": "the model beat the query in a test run by hand; is the "
                             "production system, retrained on new data, sure to reach the "
                             "lift that pays for it, first time?",
        "experimental_code": "where does Aoi's model run today, and who starts it?",
    }
    for cause in ("no_precedent", "below_requirement", "experimental_code"):
        expect(cause in chosen, messages[cause])


def _expected_buffers(phases: pd.DataFrame, risks: pd.DataFrame, applies: set) -> list[float]:
    mine = risks[risks["cause"].isin(applies)]
    extra = mine.groupby("phase")["buffer_weeks"].sum()
    return [float(extra.get(p, 0.0)) for p in phases["phase"]]


def _check_one_buffering(add_risk_buffers, phases, risks, applies, *, main: bool) -> None:
    given_phases, given_risks = phases.copy(), risks.copy()
    result = call_learner(add_risk_buffers, given_phases, given_risks, set(applies))
    expect(isinstance(result, pd.DataFrame), f"`add_risk_buffers` should return a DataFrame, not "
           f"a {type(result).__name__}.")
    expect(given_phases.equals(phases), "`add_risk_buffers` changed the phases table it was "
           "given: work on a copy and return it.")
    missing = [c for c in ("phase", "weeks", "buffer_weeks") if c not in result]
    expect(not missing, f"the result lacks the columns {missing}.")
    expect(result["phase"].tolist() == phases["phase"].tolist(), "keep one row per phase, in "
           "the order given.")
    want = _expected_buffers(phases, risks, applies)
    got = result["buffer_weeks"].astype(float).tolist()
    every = _expected_buffers(phases, risks, set(risks["cause"]))
    if main and every != want:
        expect(got != every, "you added the buffer of every cause; add only those in "
               "`applies`.")
    last_wins = risks[risks["cause"].isin(applies)].drop_duplicates("phase", keep="last")
    last = [float(last_wins.set_index("phase")["buffer_weeks"].get(p, 0.0))
            for p in phases["phase"]]
    if last != want:
        expect(got != last, "a phase hit by two causes gets both buffers: add them up (a dict "
               "from phase to buffer keeps only the last one).")
    expect(all(_close(a, b) for a, b in zip(got, want, strict=True)), "buffer_weeks is not the "
           "sum of the buffers of the causes that apply to each phase.")
    base = phases["weeks"].astype(float).tolist()
    new = result["weeks"].astype(float).tolist()
    expect(not all(_close(a, b) for a, b in zip(new, base, strict=True)) or not any(want),
           "`weeks` is unchanged: each phase's weeks should include its buffer.")
    expect(all(_close(n, b + w) for n, b, w in zip(new, base, want, strict=True)),
           "`weeks` should be the phase's planned weeks plus its buffer.")


def _check_add_risk_buffers(add_risk_buffers, *, phases, risks, applies) -> None:
    _check_one_buffering(add_risk_buffers, phases, risks, set(applies), main=True)
    _check_one_buffering(add_risk_buffers, phases, risks, set(), main=False)
    # Another plan's buffers come in half weeks: nothing in the sum is a whole number.
    halves = risks.assign(buffer_weeks=risks["buffer_weeks"].astype(float) + 0.5)
    result = call_learner(add_risk_buffers, phases.copy(), halves.copy(), set(applies))
    want = _expected_buffers(phases, halves, set(applies))
    got = pd.to_numeric(result["buffer_weeks"], errors="coerce").astype(float).tolist()
    expect(all(_close(a, b) for a, b in zip(got, want, strict=True)), "with buffers of half "
           f"weeks (1.5, 2.5, …) your buffer_weeks are {got}, not {want}: keep the fractions "
           "of a week; do not round them or turn them into whole numbers (int).")


schedule = Exercise(
    key="part3-schedule",
    goal="Lay a first ML project's six phases end to end: when does each start and end?",
    answer_names=["schedule"],
    checker=_check_schedule,
    hints=[
        "Start from `plan = phases.copy()` so that the table you were given stays as it is.",
        "A phase ends at the running total of the weeks so far: `plan[\"weeks\"].cumsum()`.",
        "A phase starts where it ends minus its own weeks.",
    ],
    success="A plan is a table before it is a chart.",
)

labelling_weeks = Exercise(
    key="part3-labelling-weeks",
    goal="Put a number on a classic delay: labels that only scarce experts can make.",
    answer_names=["labelling_weeks"],
    checker=_check_labelling_weeks,
    hints=[
        "First the total labelling time: images × seconds per image, then in hours (÷ 3,600).",
        "The experts together label `experts × hours_per_expert_per_week` hours a week.",
    ],
    success="Months of footage can mean months of expert time before a model sees one label.",
)

delays_that_apply = Exercise(
    key="part3-delays",
    goal="Judge which causes of delay threaten Kumo Closet's step 3, from evidence.",
    answer_names=["DELAYS_THAT_APPLY"],
    checker=_check_delays,
    hints=[
        "Go through the four causes one by one and find the fact in the table that speaks "
        "for or against each.",
        "One of the four is already solved at Kumo Closet by how the mail log was kept.",
    ],
    success="Buffers go where the shop's own risks are, not everywhere.",
)

add_risk_buffers = Exercise(
    key="part3-risk-buffers",
    goal="Add risk buffers to the phases that the shop's delays would hit.",
    answer_names=["add_risk_buffers"],
    checker=_check_add_risk_buffers,
    hints=[
        "Keep the rows of `risks` whose `cause` is in `applies`, then add up `buffer_weeks` "
        "per `phase` (groupby and sum).",
        "Map that sum onto the phases (`.map(...)`), with 0 for phases no risk hits "
        "(`.fillna(0)`).",
        "Return a copy of `phases` with `buffer_weeks`, and with `weeks` increased by it.",
    ],
    success="The buffered plan is the one to take to the executives.",
)


# ======================================================================================
# 08 · The organisation
# ======================================================================================

JOURNEY_STAGES = ("Learning", "Experimenting", "Prototyping", "Building", "Deploying", "Scaling")
REQUIREMENTS = ("AI strategy", "data strategy", "collaboration", "leadership")
_REQUIREMENT_OF = {"A": "ai strategy", "B": "data strategy", "C": "collaboration",
                   "D": "leadership"}
_LEADER_OPTIONS = {
    "A": "allowing experiments, and failure, is what a leader should do first: most first "
         "ideas do not work, and a team that may not fail will not try.",
    "B": "securing data quality and access comes first: without it, no model can be built.",
    "D": "running fast PoCs to find the best use case is a first move: cheap tests choose "
         "where to invest.",
    "E": "bringing product, development and data science together is a first move: the PoC "
         "wall is often a hand-over between teams.",
}
ROLES = ("product manager", "data scientist", "ML engineer")
_OWNER_OF = {
    "a": "product manager", "b": "data scientist", "c": "ml engineer", "d": "product manager",
    "e": "data scientist", "f": "ml engineer",
}


def _stage(value: object) -> str:
    return _norm(value).capitalize()


def _check_journey(journey, poc_wall, kumo_stage) -> None:
    expect(isinstance(journey, list | tuple), "`JOURNEY` should be a list of the six stages.")
    names = [_stage(s) for s in journey]
    expect(sorted(names) == sorted(JOURNEY_STAGES), "`JOURNEY` should hold each of the six "
           "stages of the table exactly once (spelled as in the table).")
    expect(names[0] == "Learning" and names[-1] == "Scaling", "the journey starts where people "
           "first learn what ML can do, and ends where ML spreads to many products.")
    expect(names == list(JOURNEY_STAGES), "the first and last stages are right, the order of "
           "those in between is not: what has to exist before each stage can begin?")
    expect(isinstance(poc_wall, list | tuple) and len(poc_wall) == 2, "`POC_WALL` should be a "
           "pair (stage before the wall, stage after it).")
    before, after = (_stage(s) for s in poc_wall)
    expect(after == JOURNEY_STAGES[JOURNEY_STAGES.index(before) + 1]
           if before in JOURNEY_STAGES[:-1] else False, "`POC_WALL` should be two neighbouring "
           "stages, in journey order.")
    expect((before, after) == ("Prototyping", "Building"), "the PoC wall stands where a working "
           "prototype must become a real system: which two stages is that between?")
    stage = _stage(kumo_stage)
    expect(stage in JOURNEY_STAGES, "`KUMO_STAGE` should be one of the six stage names.")
    expect(stage not in ("Building", "Deploying", "Scaling"), "nothing of step 3 runs in the "
           "product yet: Kumo Closet has not passed the PoC wall.")
    expect(stage == "Prototyping", "Aoi's model is more than an idea: it was built, and judged "
           "against the business's rule on past campaigns and in an A/B test, by hand, outside "
           "the product.")


def _check_requirements(requirement_of, leader_not_first) -> None:
    expect(isinstance(requirement_of, Mapping), "`REQUIREMENT_OF` should be a dict such as "
           "{\"A\": \"AI strategy\", ...}.")
    missing = [k for k in "ABCD" if k not in requirement_of]
    expect(not missing, f"`REQUIREMENT_OF` lacks the observations {missing}.")
    given = {k: _norm(requirement_of[k]) for k in "ABCD"}
    allowed = {r.lower() for r in REQUIREMENTS}
    expect(all(v in allowed for v in given.values()), f"each value should be one of "
           f"{list(REQUIREMENTS)}.")
    wrong = [k for k in "ABCD" if given[k] != _REQUIREMENT_OF[k]]
    expect(not wrong, f"{len(wrong)} of 4 observations are matched to the wrong requirement "
           f"({', '.join(wrong)}). Ask of each: is it about what to use ML for, about the data, "
           "about how teams work together, or about what the leaders allow?")
    letter = _norm(leader_not_first).upper()
    expect(letter in ("A", "B", "C", "D", "E"), "`LEADER_NOT_FIRST` should be one letter, A to "
           "E.")
    expect(letter not in _LEADER_OPTIONS, "not that one: " + _LEADER_OPTIONS.get(letter, ""))


def _check_profile_table(profile_table, *, tables, today) -> None:
    table, date_column = tables["orders"], "order_date"
    result = call_learner(profile_table, table.copy(), date_column, today)
    expect(isinstance(result, Mapping), f"`profile_table` should return a dict, not a "
           f"{type(result).__name__}.")
    missing = [k for k in ("rows", "days_since_newest", "missing_share") if k not in result]
    expect(not missing, f"the dict lacks the keys {missing}.")
    expect(_is_number(result["rows"]) and result["rows"] == len(table), "`rows` should be the "
           "number of rows of the table.")
    days = result["days_since_newest"]
    expect(not isinstance(days, pd.Timedelta), "`days_since_newest` is a Timedelta; turn it "
           "into a number of days (divide by `pd.Timedelta(days=1)`).")
    expect(_is_number(days), "`days_since_newest` should be a number of days.")
    expect(days < 3_000, "that is years: measure from the shop's `today`, not from your "
           "computer's clock.")
    newest = (today - table[date_column].max()) / pd.Timedelta(days=1)
    oldest = (today - table[date_column].min()) / pd.Timedelta(days=1)
    expect(not _close(days, oldest), "that is the age of the oldest row; freshness is the age "
           "of the newest.")
    by_clock = (pd.Timestamp.now() - table[date_column].max()) / pd.Timedelta(days=1)
    expect(abs(days - by_clock) > 1, "you measured from your computer's clock; measure from "
           "`today`, the shop's today.")
    expect(abs(days - newest) < 1e-6, "`days_since_newest` should be the days from the newest "
           "date of `date_column` to `today`, with fractions of a day.")
    today_ = pd.Timestamp("2026-01-01")
    tiny = pd.DataFrame({
        "customer_id": [1, 2, 3, 4],
        "seen": pd.to_datetime(["2025-12-20 00:00", "2025-12-29 12:00", None, "2025-12-25 00:00"]),
        "item_id": pd.array([7, None, None, None], dtype="Int32"),
    })
    small = call_learner(profile_table, tiny, "seen", today_)
    share = small.get("missing_share") if isinstance(small, Mapping) else None
    expect(_is_number(share), "`missing_share` should be a number between 0 and 1.")
    expect(not _close(share, 4), "`missing_share` is a share, not a count: divide by the number "
           "of cells.")
    expect(not _close(share, 0.75), "you counted rows with a missing value; count missing "
           "cells, out of all cells (rows × columns).")
    expect(not _close(share, 0.25), "that is the share of missing dates only; count the missing "
           "cells of every column, out of all cells (rows × columns).")
    expect(_close(share, 4 / 12), "on a 4 × 3 table with 4 missing cells, `missing_share` "
           "should be 4/12: missing cells ÷ all cells.")
    expect(_close(small["days_since_newest"], 2.5), "on a small table whose newest date is 2.5 "
           "days before `today`, `days_since_newest` should be 2.5 (missing dates are skipped).")


def _check_readiness(readiness_level) -> None:
    teams = ("marketing", "development", "data science")
    cases = [
        (False, True, teams, "acceptable", "data without labels is at the first level, wherever "
         "it lives: a model cannot learn the answer from it yet."),
        (True, False, ("data science",), "better", "labelled data that lives in several places, "
         "open to few teams, is at the middle level."),
        (True, True, ("data science",), "better", "labelled and in one repository is not enough "
         "for the top level while some teams cannot read it."),
        (True, False, teams, "better", "labelled and open to every team, but scattered over "
         "several systems: not yet the top level."),
        (True, True, teams, "optimal", "labelled, in one repository, and open to every team is "
         "the top level."),
        (False, False, (), "acceptable", "raw, unlabelled data that few can read is still the "
         "first level: it exists."),
    ]
    for labelled, one_place, access, want, why in cases:
        got = call_learner(readiness_level, labelled, one_place, set(access), set(teams))
        expect(isinstance(got, str), f"`readiness_level` should return a string, not a "
               f"{type(got).__name__}.")
        expect(_norm(got) in ("acceptable", "better", "optimal"), "return one of "
               "\"acceptable\", \"better\" or \"optimal\".")
        expect(_norm(got) == want, why)
    try:
        flipped = call_learner(readiness_level, True, True, ["b", "a"], ("a", "b"))
    except NotYet as error:
        raise NotYet(f"given the teams as a list and a tuple, your function fails ({error}): "
                     "compare the teams as sets, `set(all_teams) <= set(teams_with_access)`, "
                     "whatever collection they come in.") from None
    expect(_norm(flipped) == "optimal", "when every one of the teams given can read the data, "
           "compare the teams as sets, not by their order.")


def _check_pilot_team(owner_of) -> None:
    expect(isinstance(owner_of, Mapping), "`OWNER_OF` should be a dict such as "
           "{\"a\": \"product manager\", ...}.")
    keys = {str(k).lower(): v for k, v in owner_of.items()}
    missing = [k for k in _OWNER_OF if k not in keys]
    expect(not missing, f"`OWNER_OF` lacks the tasks {missing}.")
    allowed = {r.lower() for r in ROLES}
    expect(all(_norm(keys[k]) in allowed for k in _OWNER_OF), f"each value should be one of "
           f"{list(ROLES)}.")
    counts = pd.Series([_norm(keys[k]) for k in _OWNER_OF]).value_counts()
    expect(counts.max() <= 2, "one role owns more than two tasks: each of the three roles owns "
           "two of the six.")
    wrong = [k for k in _OWNER_OF if _norm(keys[k]) != _OWNER_OF[k]]
    expect(not wrong, f"tasks {', '.join(wrong)} have the wrong owner. Ask of each: is it about "
           "the customer and the business, about the model and its evidence, or about running "
           "it reliably in production?")


journey = Exercise(
    key="part3-journey",
    goal="Place Kumo Closet on the ML journey, and find the PoC wall.",
    answer_names=["JOURNEY", "POC_WALL", "KUMO_STAGE"],
    checker=_check_journey,
    hints=[
        "Order the stages by what each needs from the one before: knowledge, then trials, then "
        "a working prototype, then a real system, then customers using it, then more of it.",
        "The wall stands where a prototype that works on past data must become part of the "
        "product.",
    ],
    success="Step 3's pilot is the climb over the PoC wall.",
)

requirements = Exercise(
    key="part3-requirements",
    goal="Name the four organisational requirements in Kumo Closet's own situation.",
    answer_names=["REQUIREMENT_OF", "LEADER_NOT_FIRST"],
    checker=_check_requirements,
    hints=[
        "AI strategy says what ML is for; data strategy makes the data usable; collaboration "
        "is how the teams work together; leadership is what the leaders allow and ask for.",
        "For the knowledge check, four of the options make the first PoCs possible; one is an "
        "investment that only pays once you know your use cases.",
    ],
    success="A plan that fixes none of these four stalls at the PoC wall.",
)

profile_table = Exercise(
    key="part3-profile-table",
    goal="Run the data checklist's measurable items on a table: size, freshness, completeness.",
    answer_names=["profile_table"],
    checker=_check_profile_table,
    hints=[
        "`table[date_column].max()` is the newest date; `today - newest` is a Timedelta.",
        "A Timedelta divided by `pd.Timedelta(days=1)` is a number of days, with fractions.",
        "`table.isna()` marks every missing cell; `.to_numpy().mean()` of it is their share.",
    ],
    success="Freshness and completeness are numbers you can check every night.",
)

readiness_level = Exercise(
    key="part3-readiness",
    goal="Classify data readiness: acceptable, better or optimal.",
    answer_names=["readiness_level"],
    checker=_check_readiness,
    hints=[
        "Without labels, the level is the first one, whatever else holds.",
        "The top level needs all three: labels, one repository, and every team able to read "
        "it (`set(all_teams) <= set(teams_with_access)`).",
    ],
    success="Step 3's data is labelled, but not yet where every team can use it.",
)

pilot_team = Exercise(
    key="part3-pilot-team",
    goal="Give each task of step 3 to the pilot team role that owns it.",
    answer_names=["OWNER_OF"],
    checker=_check_pilot_team,
    hints=[
        "The product manager owns the why and the decision; the data scientist the model and "
        "its evidence; the ML engineer everything that makes it run every day.",
    ],
    success="Three roles, one team: nobody throws the model over a wall.",
)


# ======================================================================================
# 09 · The first step and the executive briefing
# ======================================================================================

DAYS_PER_WEEK, WEEKS_PER_MONTH = 7.0, 365 / 12 / 7
CRITERIA_KEYS = ("baseline_rate", "min_lift", "alpha", "max_extra_unsubscribe_rate")
PLAN_KEYS = ("step", "start", "pilot_weeks", "mails_per_arm", "decision_date",
             "decision_maker", "support_needed", "go_criteria")


def _ref_step_cost(hours_per_week, yen_per_hour, weeks, machine_yen_per_month) -> float:
    staff = sum(h * yen_per_hour[role] for role, h in hours_per_week.items()) * weeks
    return staff + machine_yen_per_month / WEEKS_PER_MONTH * weeks


def _money(result: object, function: str) -> float:
    expect(not isinstance(result, Rate), f"`{function}` returned a Rate (yen per "
           f"{getattr(result, 'per', '?')}); the cost of a step is a one-off total: a Money.")
    expect(isinstance(result, Money), f"`{function}` should return a Money (course.money), not "
           f"a {type(result).__name__}.")
    return result.yen


def _check_step_cost(step_cost, *, steps, yen_per_hour) -> None:
    step = steps.iloc[2]
    args = (dict(step["hours_per_week"]), dict(yen_per_hour), step["weeks"],
            step["machine_yen_per_month"])
    got = _money(call_learner(step_cost, *args), "step_cost")
    hours, weeks, machine = args[0], args[2], args[3]
    staff = sum(h * yen_per_hour[r] for r, h in hours.items()) * weeks
    expect(not _close(got, staff), "the machine's cost is missing.")
    expect(not _close(got, staff + machine * weeks), "the machine is rented per month, the "
           "step lasts weeks: convert before you multiply (Rate(..., per=\"month\").over(weeks, "
           "\"week\")).")
    expect(not _close(got, staff + machine * weeks / 4), "a month is not 4 weeks but 365/12 "
           "days; let course.money convert (Rate.over).")
    one_rate = sum(hours.values()) * next(iter(yen_per_hour.values())) * weeks
    expect(not _close(got, one_rate + machine / WEEKS_PER_MONTH * weeks), "every role has its "
           "own hourly rate: look each role's rate up in `yen_per_hour`.")
    expect(_close(got, _ref_step_cost(*args)), "not the step's cost: each role's hours per "
           "week × its rate, over the weeks, plus the machine over the same weeks.")
    tiny = call_learner(step_cost, {"developer": 10}, {"developer": 1_000, "marketing": 9},
                        2, 0)
    expect(isinstance(tiny, Money) and _close(tiny.yen, 20_000), "10 developer hours a week at "
           "¥1,000 for 2 weeks is ¥20,000: use the arguments you are given.")


def _ref_break_even(results, cost_yen, margin, horizon_months) -> float:
    per_day = (results["rule_mails_per_day"] * results["rule_rate"]
               * results["rule_orders_per_access"] * margin)
    return cost_yen / (per_day * 365 / 12 * horizon_months)


def _check_break_even(break_even_lift, *, results, cost, margin, horizon_months) -> None:
    got = call_learner(break_even_lift, dict(results), cost, margin, horizon_months)
    expect(_is_number(got), f"`break_even_lift` should return a number (0.1 means +10%), not a "
           f"{type(got).__name__}.")
    want = _ref_break_even(results, cost.yen, margin, horizon_months)
    expect(not _close(got, want * 365 / 12), "that is about 30 times too much: the orders come "
           "every day, the horizon is in months. Convert (Rate(..., per=\"day\").over(months, "
           "\"month\")).")
    expect(not _close(got, want * results["rule_orders_per_access"]), "not every access "
           "becomes an order: multiply by the orders per access.")
    random_based = want * results["rule_rate"] / results["random_rate"]
    expect(not _close(got, random_based), "the model will replace step 2's query, not random "
           "lists: its extra accesses are a share of the query's.")
    expect(not _close(got, want * 100), "return the lift as a fraction (0.1 for +10%), not in "
           "per cent.")
    expect(_close(got, want), "not the break-even lift: the step's cost ÷ the margin that the "
           "query's mails bring over the horizon.")


def _ref_plan(results, min_lift, start, constants) -> dict:
    mails = mails_needed(results["rule_rate"], min_lift, alpha=constants["alpha"],
                         power=constants["power"])
    weeks = math.ceil(mails / (results["rule_mails_per_day"] * DAYS_PER_WEEK / 2))
    start = pd.Timestamp(start)
    return {
        "start": start, "pilot_weeks": weeks, "mails_per_arm": mails,
        "decision_date": start + pd.Timedelta(weeks=constants["build_weeks"] + weeks),
        "go_criteria": {
            "baseline_rate": results["rule_rate"], "min_lift": min_lift,
            "alpha": constants["alpha"],
            "max_extra_unsubscribe_rate": constants["max_extra_unsubscribe_rate"],
        },
    }


def _check_pilot_weeks(weeks, results, want, where: str) -> None:
    """The pilot's weeks against the reference plan `want`, naming the common mistakes."""
    expect(_is_number(weeks) and float(weeks).is_integer(), "`pilot_weeks` should be a whole "
           "number of weeks (round up)" + where + ".")
    exact = want["mails_per_arm"] / (results["rule_mails_per_day"] / 2 * DAYS_PER_WEEK)
    full = math.ceil(want["mails_per_arm"] / (results["rule_mails_per_day"] * DAYS_PER_WEEK))
    halved = ("each arm gets only half of the mails of a release: the pilot's mails per day "
              "per arm are half the query's")
    if weeks == math.floor(exact) < exact:
        also = f"; and {halved}" if weeks == full else ""
        raise NotYet(f"the pilot needs {exact:.2f} weeks and you gave {weeks:g}: round up "
                     f"(math.ceil), since a pilot cut short has too few mails{also}.")
    expect(weeks != full or full == want["pilot_weeks"], halved + ".")
    daily = math.ceil(want["mails_per_arm"] / (results["rule_mails_per_day"] / 2))
    expect(weeks != daily or daily == want["pilot_weeks"], "that is a number of days: divide "
           "by the mails per arm per *week*.")
    expect(weeks == want["pilot_weeks"], "`pilot_weeks` should be the weeks the pilot needs to "
           "mail `mails_per_arm` to each arm, rounded up.")


def _check_plan(first_step_plan, *, results, min_lift, start, constants) -> None:
    plan = call_learner(first_step_plan, dict(results), min_lift, start)
    expect(isinstance(plan, Mapping), f"`first_step_plan` should return a dict, not a "
           f"{type(plan).__name__}.")
    missing = [k for k in PLAN_KEYS if k not in plan]
    expect(not missing, f"the plan lacks the keys {missing}.")
    want = _ref_plan(results, min_lift, start, constants)
    expect(isinstance(plan["step"], str) and plan["step"].strip(), "`step` should name the "
           "step in a few words.")
    expect(isinstance(plan["decision_maker"], str) and plan["decision_maker"].strip(),
           "`decision_maker` should say who approves the step (a short text).")
    support = plan["support_needed"]
    expect(isinstance(support, list | tuple) and len(support) >= 2
           and all(isinstance(s, str) and s.strip() for s in support), "`support_needed` "
           "should be a list of at least two short texts: people, data, decisions you need.")
    criteria = plan["go_criteria"]
    expect(isinstance(criteria, Mapping), "`go_criteria` should be a dict.")
    lacking = [k for k in CRITERIA_KEYS if k not in criteria]
    expect(not lacking, f"`go_criteria` lacks the keys {lacking}.")
    expect(all(_is_number(criteria[k]) for k in CRITERIA_KEYS), "every go criterion should be "
           "a number: a criterion you cannot check is not a criterion.")
    expect(not _close(criteria["baseline_rate"], results["random_rate"]), "the baseline is what "
           "runs today, step 2's query, not random lists.")
    expect(_close(criteria["baseline_rate"], results["rule_rate"]), "`baseline_rate` should be "
           "the access rate you measured for step 2's query (in `results`).")
    expect(_close(criteria["min_lift"], min_lift), "`min_lift` should be the lift the step needs "
           "to pay for itself: the `min_lift` argument.")
    for key in ("alpha", "max_extra_unsubscribe_rate"):
        expect(_close(criteria[key], want["go_criteria"][key]), f"`{key}` should be the "
               "constant written down before the pilot (the locked cell above).")
    mails = plan["mails_per_arm"]
    expect(_is_number(mails) and _close(mails, want["mails_per_arm"]), "`mails_per_arm` should "
           "be `mails_needed(...)` for the baseline rate and the minimum lift, at ALPHA and "
           "POWER.")
    if min_lift > 0.10:  # a high bar needs few mails: see the timing on a longer pilot first
        longer = call_learner(first_step_plan, dict(results), 0.10, start)
        expect(isinstance(longer, Mapping) and "pilot_weeks" in longer, "`first_step_plan` "
               "should return the same dict for any `min_lift`.")
        _check_pilot_weeks(longer["pilot_weeks"], results,
                           _ref_plan(results, 0.10, start, constants), " (with min_lift=0.10)")
    weeks = plan["pilot_weeks"]
    _check_pilot_weeks(weeks, results, want, "")
    expect(isinstance(plan["start"], pd.Timestamp) and plan["start"] == want["start"],
           "`start` should be the start date you are given, as a pd.Timestamp.")
    decision = plan["decision_date"]
    expect(isinstance(decision, pd.Timestamp), "`decision_date` should be a pd.Timestamp.")
    expect(decision != want["start"] + pd.Timedelta(weeks=weeks), "the pilot starts after the "
           "build: add BUILD_WEEKS too.")
    expect(decision == want["decision_date"], "`decision_date` should be the start, plus the "
           "build's weeks, plus the pilot's weeks.")
    # A busier query: a pilot whose exact length is just over a whole number of weeks.
    for factor in [1 + k / 10 for k in range(1, 30)]:
        busier = dict(results, rule_mails_per_day=round(results["rule_mails_per_day"] * factor))
        other = _ref_plan(busier, min_lift, start, constants)
        exact = other["mails_per_arm"] / (busier["rule_mails_per_day"] / 2 * DAYS_PER_WEEK)
        if 0.05 < exact % 1 < 0.45:
            break
    again = call_learner(first_step_plan, busier, min_lift, start)
    expect(isinstance(again, Mapping) and again.get("pilot_weeks") == other["pilot_weeks"],
           f"with {busier['rule_mails_per_day']:,} mails a day the pilot needs {exact:.2f} "
           f"weeks, so {other['pilot_weeks']}; you gave "
           f"{again.get('pilot_weeks') if isinstance(again, Mapping) else again}: round up "
           "(math.ceil), never to the nearest.")


def _arm_rate(arm: Mapping, key: str) -> float:
    return arm[key] / arm["mails"]


def _ref_decision(pilot, criteria) -> str:
    rule, model = pilot["rule"], pilot["model"]
    big = lift(_arm_rate(model, "accesses"), _arm_rate(rule, "accesses")) >= criteria["min_lift"]
    p = two_proportion_test(model["accesses"], model["mails"], rule["accesses"],
                            rule["mails"]).p_value
    safe = (_arm_rate(model, "unsubscribed") - _arm_rate(rule, "unsubscribed")
            <= criteria["max_extra_unsubscribe_rate"])
    return "go" if big and p < criteria["alpha"] and safe else "stop"


def _pilot(rule: tuple[int, int, int], model: tuple[int, int, int]) -> dict:
    keys = ("mails", "accesses", "unsubscribed")
    return {"rule": dict(zip(keys, rule, strict=True)),
            "model": dict(zip(keys, model, strict=True))}


def _check_decision(first_step_decision, *, criteria) -> None:
    criteria = dict(criteria)
    criteria.update(baseline_rate=0.10, min_lift=0.10, alpha=0.05,
                    max_extra_unsubscribe_rate=0.001)
    cases = [
        (_pilot((20_000, 2_000, 20), (20_000, 2_400, 22)), "go", "a pilot where the model beats "
         "the query by 20%, clearly, with as few unsubscribes, is a go."),
        (_pilot((20_000, 2_400, 20), (18_000, 2_160, 20)), "stop", "the model reached 12.0% "
         "while the query reached 12.0% in the same weeks: compare with the pilot's own query "
         "arm, not with the baseline written before."),
        (_pilot((20_000, 1_500, 10), (20_000, 1_800, 12)), "go", "the query's arm reached 7.5% "
         "and the model 9.0% (+20%, p < 0.001): a go, even though both are below the old "
         "baseline. Compare the arms with each other."),
        (_pilot((20_000, 2_000, 20), (20_000, 2_160, 20)), "stop", "a lift of 8% is below the "
         "10% the step needs, even if it is significant: stop."),
        (_pilot((600, 60, 1), (600, 78, 1)), "stop", "a lift of 30% measured on 600 mails per "
         "arm is not significant (p ≈ 0.10): stop. Did you test significance?"),
        (_pilot((20_000, 2_000, 20), (20_000, 2_400, 60)), "stop", "the model beats the query, "
         "but its unsubscribes rise by 0.2% of mails, above the 0.1% allowed: stop."),
    ]
    for pilot, want, why in cases:
        got = call_learner(first_step_decision, pilot, dict(criteria))
        expect(isinstance(got, str) and got in ("go", "stop"), "`first_step_decision` should "
               "return the text \"go\" or \"stop\".")
        if got != want:
            raise NotYet(why)
    relaxed = dict(criteria, max_extra_unsubscribe_rate=0.003)
    got = call_learner(first_step_decision, cases[-1][0], relaxed)
    expect(got == "go", "with `max_extra_unsubscribe_rate` of 0.3%, the same pilot is a go: "
           "read the thresholds from `criteria`, do not write them in your function.")


step_cost = Exercise(
    key="part3-step-cost",
    goal="Cost each step toward ML, with units: people by the week, machines by the month.",
    answer_names=["step_cost"],
    checker=_check_step_cost,
    hints=[
        "`staff_cost(hours, yen_per_hour[role], per=\"week\")` is one role's cost per week; "
        "add the roles up.",
        "A Rate becomes a total with `.over(weeks, \"week\")`; the machine is "
        "`Rate(machine_yen_per_month, per=\"month\")`.",
    ],
    success="Every step's cost has its unit, so none is off by a factor of four or thirty.",
)

break_even_lift = Exercise(
    key="part3-break-even-lift",
    goal="Turn the step's certain cost into the lift the model must reach to pay for itself.",
    answer_names=["break_even_lift"],
    checker=_check_break_even,
    hints=[
        "A lift of 1 (+100%) would double the query's orders: that margin per day is mails per "
        "day × access rate × orders per access × margin per order.",
        "Make it a `Rate(..., per=\"day\")` and take `.over(horizon_months, \"month\")`.",
        "The lift that pays back the cost is cost ÷ that margin over the horizon.",
    ],
    success="The go threshold now comes from the business case, not from a feeling.",
)

first_step_plan = Exercise(
    key="part3-first-step-plan",
    goal="Plan the first step: timing and go/stop criteria as checkable numbers.",
    answer_names=["first_step_plan"],
    checker=_check_plan,
    hints=[
        "`mails_needed(results[\"rule_rate\"], min_lift, alpha=ALPHA, power=POWER)` is the "
        "mails each arm needs.",
        "Each arm gets half of the query's mails: `results[\"rule_mails_per_day\"] * 7 / 2` a "
        "week. Round the weeks up with `math.ceil`.",
        "decision_date = start + pd.Timedelta(weeks=BUILD_WEEKS + pilot_weeks).",
    ],
    success="Written before the pilot, these numbers decide it.",
)

first_step_decision = Exercise(
    key="part3-first-step-decision",
    goal="Decide go or stop from a pilot's results, with the criteria written before.",
    answer_names=["first_step_decision"],
    checker=_check_decision,
    hints=[
        "Compute each arm's access rate (accesses ÷ mails) and the lift of the model's arm over "
        "the query's arm, with `lift(...)`.",
        "`two_proportion_test(x1, n1, x2, n2).p_value` says whether the difference could be "
        "luck.",
        "It is a go only if all three hold: lift, significance and unsubscribes.",
    ],
    success="A go or a stop that anyone can recompute from the pilot's numbers.",
)
