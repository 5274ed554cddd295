"""Helpers of Part 2, Applying (応用編): boards, funnels, grids and a fair list trial.

Nothing here answers an exercise. The notebooks use these to draw what the learner builds
(an Event Storming timeline, an AISAS funnel, an urgency x importance grid) and to set up
the metric trial of notebook 3 (`list_trial`).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = [
    "AISAS_STAGES",
    "DOMAIN_EVENTS",
    "PROBLEM_EVENTS",
    "TRIAL_LISTS",
    "list_trial",
    "plot_big_picture",
    "plot_funnel",
    "plot_priority_grid",
]

# The Big Picture's domain events, in the order of a customer's journey (ties sort this way).
DOMAIN_EVENTS = (
    "learned of a release",
    "visited on release day",
    "visited after release day",
    "purchased",
    "missed the release date",
    "posted on social media",
)
# Problem stickies (hot spots): where the customer drops out.
PROBLEM_EVENTS = ("missed the release date",)
AISAS_STAGES = ("Attention", "Interest", "Search", "Action", "Share")

_STICKY = "#f5a623"  # Event Storming's orange domain-event sticky
_HOT_SPOT = "#e8467c"  # the pink/red problem sticky
_FIGSIZE = (8, 3.5)


def _require_columns(name: str, table, columns: tuple[str, ...]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(table.columns)}")


def _new_figure() -> tuple[Figure, object]:
    # pyplot, so that a notebook shows the figure at the end of the cell
    return plt.subplots(figsize=_FIGSIZE)


def plot_big_picture(timeline: pd.DataFrame, title: str = "Big Picture of one customer") -> Figure:
    """Draw a timeline as Event Storming stickies: one lane per domain event, time left to right.

    ``timeline`` needs the columns ``timestamp`` and ``domain_event`` (names from
    ``DOMAIN_EVENTS``); problem stickies (``PROBLEM_EVENTS``) are drawn in pink.
    """
    _require_columns("timeline", timeline, ("timestamp", "domain_event"))
    if timeline.empty:
        raise ValueError("timeline is empty: there is nothing to draw")
    unknown = sorted(set(timeline["domain_event"]) - set(DOMAIN_EVENTS))
    if unknown:
        raise ValueError(f"timeline has unknown domain_event(s) {unknown}; use {DOMAIN_EVENTS}")
    lane = {event: i for i, event in enumerate(DOMAIN_EVENTS)}
    fig, ax = _new_figure()
    y = timeline["domain_event"].map(lane).to_numpy()
    problem = timeline["domain_event"].isin(PROBLEM_EVENTS).to_numpy()
    times = pd.to_datetime(timeline["timestamp"]).to_numpy()
    ax.scatter(times[~problem], y[~problem], marker="s", s=90, color=_STICKY,
               edgecolor="black", linewidth=0.5, label="domain event")
    if problem.any():
        ax.scatter(times[problem], y[problem], marker="s", s=110, color=_HOT_SPOT,
                   edgecolor="black", linewidth=0.5, label="problem sticky")
    ax.set_yticks(range(len(DOMAIN_EVENTS)), DOMAIN_EVENTS, fontsize=8)
    ax.set_ylim(len(DOMAIN_EVENTS) - 0.5, -0.5)  # the journey reads top to bottom
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title)
    ax.set_xlabel("date (time runs left to right)")
    ax.set_ylabel("domain event")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def plot_funnel(funnel: pd.Series, title: str = "AISAS funnel",
                unit: str = "customers") -> Figure:
    """Horizontal funnel: one bar per stage, labelled with its count and its share of the first."""
    if not isinstance(funnel, pd.Series):
        raise TypeError(f"funnel must be a pandas Series, got {type(funnel).__name__}")
    if funnel.empty:
        raise ValueError("funnel is empty: give one value per stage")
    values = pd.to_numeric(funnel, errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError("funnel must hold non-negative numbers, one per stage")
    fig, ax = _new_figure()
    positions = np.arange(len(values))
    ax.barh(positions, values.to_numpy(), color=_STICKY, edgecolor="black", linewidth=0.5)
    first = float(values.iloc[0])
    for position, value in zip(positions, values.to_numpy(), strict=True):
        share = f" ({value / first:.0%} of {values.index[0]})" if first > 0 else ""
        ax.text(value, position, f" {value:,.0f}{share}", va="center", fontsize=8)
    ax.set_yticks(positions, [str(stage) for stage in values.index])
    ax.invert_yaxis()
    ax.set_xlim(0, float(values.max()) * 1.45 or 1)
    ax.set_title(title)
    ax.set_xlabel(f"number of {unit}")
    ax.set_ylabel("stage")
    fig.tight_layout()
    return fig


def plot_priority_grid(table: pd.DataFrame,
                       title: str = "Which problem first? Urgency x importance") -> Figure:
    """Place each problem in its cell of the 3 x 3 urgency x importance grid.

    ``table`` needs the columns ``problem``, ``urgency`` and ``importance`` (scores 1-3).
    Cells are shaded by PoC priority (urgency + importance).
    """
    _require_columns("table", table, ("problem", "urgency", "importance"))
    for column in ("urgency", "importance"):
        scores = pd.to_numeric(table[column], errors="coerce")
        if not scores.isin([1, 2, 3]).all():
            raise ValueError(f"table[{column!r}] must hold the scores 1, 2 or 3 only")
    fig, ax = _new_figure()
    shade = np.add.outer(np.arange(1, 4), np.arange(1, 4))  # importance (rows) + urgency
    ax.imshow(shade, origin="lower", extent=(0.5, 3.5, 0.5, 3.5), cmap="Oranges",
              vmin=0, vmax=9, aspect="auto")
    for urgency in (1, 2, 3):
        for importance in (1, 2, 3):
            ax.text(urgency - 0.47, importance + 0.45, f"priority {urgency + importance}",
                    ha="left", va="top", fontsize=6, color="dimgray")
    cells: dict[tuple[int, int], list[str]] = {}
    for row in table.itertuples(index=False):
        name = textwrap.fill(str(row.problem), width=30)
        cells.setdefault((int(row.urgency), int(row.importance)), []).append(name)
    for (urgency, importance), problems in cells.items():
        ax.text(urgency, importance, "\n".join(problems), ha="center", va="center", fontsize=7)
    ticks = [1, 2, 3]
    labels = ["1 low", "2 medium", "3 high"]
    ax.set_xticks(ticks, labels)
    ax.set_yticks(ticks, labels)
    ax.set_xlim(0.5, 3.5)
    ax.set_ylim(0.5, 3.5)
    for edge in (1.5, 2.5):
        ax.axvline(edge, color="white", linewidth=2)
        ax.axhline(edge, color="white", linewidth=2)
    ax.set_title(title)
    ax.set_xlabel("urgency (score; is there a deadline?)")
    ax.set_ylabel("importance (score)")
    fig.tight_layout()
    return fig


# ---- the metric trial of notebook 3 ----------------------------------------------------------

TRIAL_LISTS = (
    "random",
    "random, twice the mails",
    "rule: bought the brand",
    "rule + mail history",
)
_TRIAL_SHARE = 0.25
_VISIT_WINDOW = pd.Timedelta(hours=72)
_ON_SALE = pd.Timedelta(hours=10)


def _prior_counts(mails: pd.DataFrame, history: pd.DataFrame, time: str,
                  by: list[str]) -> np.ndarray:
    """For each mail, how many rows of ``history`` (same ``by`` keys) happened before its send."""
    past = history.sort_values(time)[[*by, time]].copy()
    past["count"] = past.groupby(by).cumcount() + 1
    left = mails[["row", "send_date", *by]].sort_values("send_date")
    joined = pd.merge_asof(left, past, left_on="send_date", right_on=time, by=by,
                           allow_exact_matches=False)
    return joined.sort_values("row")["count"].fillna(0).to_numpy()


def _mail_revenue(site) -> pd.Series:
    """Yen spent in sessions that came from a release mail, per (campaign_id, customer_id)."""
    events = site.events
    bought = events[(events["source"] == "mail") & (events["event"] == "purchase")]
    bought = bought[["customer_id", "item_id", "timestamp"]].astype({"item_id": "int32"})
    orders = site.orders[["customer_id", "item_id", "order_date", "price", "quantity"]]
    lines = bought.merge(orders, left_on=["customer_id", "item_id", "timestamp"],
                         right_on=["customer_id", "item_id", "order_date"])
    lines = lines.merge(site.items[["item_id", "release_id"]], on="item_id")
    lines = lines.merge(site.campaigns[["campaign_id", "release_id"]], on="release_id")
    yen = lines["price"] * lines["quantity"]
    return yen.groupby([lines["campaign_id"], lines["customer_id"]]).sum()


def _auc_by_campaign(mails: pd.DataFrame, score: str) -> pd.Series:
    """Area under the ROC curve of ``score`` for ``accessed``, within each campaign."""
    ranks = mails.groupby("campaign_id")[score].rank(method="average")
    grouped = mails.assign(_rank=ranks).groupby("campaign_id")
    positives = grouped["accessed"].sum()
    negatives = grouped["accessed"].size() - positives
    rank_sum = ranks.where(mails["accessed"], 0.0).groupby(mails["campaign_id"]).sum()
    auc = (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
    return auc.where((positives > 0) & (negatives > 0))


def list_trial(site, seed: int = 0) -> pd.DataFrame:
    """What four recipient lists would have achieved on every past campaign.

    Past campaigns mailed a random share of customers, so the part of a campaign's recipients
    that a list would have picked shows, without bias, what that list would have achieved.
    Lists (``TRIAL_LISTS``), each taken from the campaign's recipients:

    * ``random``: a random quarter;
    * ``random, twice the mails``: a random half (more mail, no better aim);
    * ``rule: bought the brand``: the quarter who bought the brand most often before the send;
    * ``rule + mail history``: the quarter with most brand purchases plus past mail accesses.

    One row per campaign and list: ``model_auc`` (how well the list's score ranks who accessed,
    0.5 = chance), ``mails_sent``, ``accesses``, ``access_rate``, ``purchases_per_mail``,
    ``revenue_per_mail`` (yen) and ``top_page_visits`` (site visits of everyone in the 72 hours
    after the send, counting only the mail accesses of this list's recipients).
    """
    if not hasattr(site, "mail_log") or not hasattr(site, "events"):
        raise TypeError(f"site must be a FashionSite, got {type(site).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    mails = site.mail_log.sort_values(["send_date", "campaign_id", "customer_id"])
    mails = mails.reset_index(drop=True)
    mails["row"] = np.arange(len(mails))
    brand_buys = _prior_counts(mails, site.orders.rename(columns={"order_date": "when"}),
                               "when", ["customer_id", "brand_id"])
    accessed_before = _prior_counts(
        mails, mails.loc[mails["accessed"], ["customer_id", "send_date"]].rename(
            columns={"send_date": "when"}),
        "when", ["customer_id"])
    revenue = _mail_revenue(site)
    key = pd.MultiIndex.from_arrays([mails["campaign_id"], mails["customer_id"]])
    mails["revenue"] = revenue.reindex(key).fillna(0).to_numpy()

    rng = np.random.default_rng(seed)
    noise = rng.random(len(mails))
    scores = {
        "random": (noise, _TRIAL_SHARE),
        "random, twice the mails": (noise, 2 * _TRIAL_SHARE),
        "rule: bought the brand": (brand_buys, _TRIAL_SHARE),
        "rule + mail history": (brand_buys + accessed_before, _TRIAL_SHARE),
    }
    visits = np.sort(site.events.loc[site.events["event"] == "visit", "timestamp"].to_numpy())
    campaigns = mails.groupby("campaign_id").agg(
        send_date=("send_date", "first"), brand_id=("brand_id", "first"),
        recipients=("customer_id", "size"), accesses_all=("accessed", "sum"))
    start = (campaigns["send_date"] + _ON_SALE).to_numpy()
    campaigns["site_visits"] = (np.searchsorted(visits, start + _VISIT_WINDOW.to_timedelta64())
                                - np.searchsorted(visits, start))

    rows, auc_of = [], {}
    for name, (score, share) in scores.items():
        scored = mails[["campaign_id", "accessed", "purchased", "revenue"]].assign(
            score=score, tiebreak=noise)
        order = scored.sort_values(["campaign_id", "score", "tiebreak"],
                                   ascending=[True, False, False])
        position = order.groupby("campaign_id").cumcount()
        size = np.maximum(1, np.round(campaigns["recipients"] * share)).astype(int)
        chosen = order[position.to_numpy() < size.reindex(order["campaign_id"]).to_numpy()]
        per = chosen.groupby("campaign_id").agg(
            mails_sent=("accessed", "size"), accesses=("accessed", "sum"),
            purchases=("purchased", "sum"), revenue=("revenue", "sum"))
        table = campaigns[["send_date", "brand_id"]].join(per)
        table["list"] = name
        if id(score) not in auc_of:  # both random lists share one score
            auc_of[id(score)] = _auc_by_campaign(scored, "score")
        table["model_auc"] = auc_of[id(score)]
        table["access_rate"] = table["accesses"] / table["mails_sent"]
        table["purchases_per_mail"] = table["purchases"] / table["mails_sent"]
        table["revenue_per_mail"] = table["revenue"] / table["mails_sent"]
        table["top_page_visits"] = (campaigns["site_visits"] - campaigns["accesses_all"]
                                    + table["accesses"])
        rows.append(table.reset_index())
    columns = ["campaign_id", "send_date", "brand_id", "list", "model_auc", "mails_sent",
               "accesses", "access_rate", "purchases_per_mail", "revenue_per_mail",
               "top_page_visits"]
    trial = pd.concat(rows, ignore_index=True)[columns]
    trial["list"] = pd.Categorical(trial["list"], categories=TRIAL_LISTS, ordered=True)
    return trial.sort_values(["campaign_id", "list"]).reset_index(drop=True)
