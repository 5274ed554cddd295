"""Turn the raw simulated history into the tables a learner explores."""

import numpy as np
import pandas as pd

from . import _params as P
from . import _rng
from ._history import DAY, HOUR, History
from ._people import Truth


def _group_cumsum(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` within runs of equal ``keys`` (keys already sorted)."""
    total = np.cumsum(values)
    first = np.r_[True, keys[1:] != keys[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(keys.size), 0))
    return total - (total - values)[start]


def allocate_stock(
    history: History, items: pd.DataFrame, releases: pd.DataFrame, n_days: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stock per item, units sold per attempt (0 = missed) and the sell-out attempt per item.

    Attempts are served first come, first served; popular releases get less stock than their
    demand, the others more.
    """
    rng = _rng.stream(seed, _rng.STOCK)
    n_items = len(items)
    item_release = items["release"].to_numpy()
    popular = (releases["popularity"].to_numpy() > P.POPULAR_THRESHOLD)[item_release]
    demand = np.bincount(history.att_item, weights=history.att_quantity, minlength=n_items)
    factor = np.where(
        popular,
        rng.uniform(*P.POPULAR_STOCK_FACTOR, n_items),
        rng.uniform(*P.REGULAR_STOCK_FACTOR, n_items),
    )
    # Future releases: stock planned from the brand's past demand per unit of appeal.
    past = releases["day"].to_numpy()[item_release] < n_days
    brand = items["brand"].to_numpy()
    appeal = items["appeal"].to_numpy() * releases["popularity"].to_numpy()[item_release]
    per_appeal = np.bincount(brand[past], demand[past], minlength=brand.max() + 1) / np.maximum(
        np.bincount(brand[past], appeal[past], minlength=brand.max() + 1), 1e-9
    )
    expected = np.where(past, demand, per_appeal[brand] * appeal)
    stock = np.where(popular, np.floor(expected * factor), np.ceil(expected * factor) + 2)
    stock = np.maximum(stock, 1).astype(np.int64)

    order = np.lexsort((history.att_time, history.att_item))
    item_s, qty_s = history.att_item[order], history.att_quantity[order].astype(np.int64)
    cum = _group_cumsum(item_s, qty_s)
    before = cum - qty_s
    sold_s = np.clip(stock[item_s] - before, 0, qty_s)
    sold = np.empty_like(sold_s)
    sold[order] = sold_s
    # The attempt that takes the last unit marks the sell-out.
    last = np.flatnonzero((cum >= stock[item_s]) & (before < stock[item_s]))
    sold_out_attempt = np.full(n_items, -1)
    sold_out_attempt[item_s[last]] = order[last]
    return stock, sold, sold_out_attempt


def assemble(
    history: History,
    truth: Truth,
    brands: pd.DataFrame,
    releases: pd.DataFrame,
    items: pd.DataFrame,
    pick_item,
    start: pd.Timestamp,
    n_days: int,
    seed: int,
) -> dict[str, pd.DataFrame]:
    rng = _rng.stream(seed, _rng.SESSIONS, 0)
    start_us = np.datetime64(start.as_unit("us").to_datetime64(), "us").astype(np.int64)

    def stamp(seconds: np.ndarray) -> np.ndarray:
        return (start_us + seconds.astype(np.int64) * 1_000_000).view("datetime64[us]")

    def dates(days: np.ndarray) -> np.ndarray:
        return stamp(np.asarray(days, dtype=np.int64) * DAY)

    h = history
    item_release = items["release"].to_numpy()
    item_brand = items["brand"].to_numpy()
    rel_day = releases["day"].to_numpy()
    stock, sold, sold_out_attempt = allocate_stock(h, items, releases, n_days, seed)

    # Orders: the attempts that got at least one unit.
    n_att = h.att_customer.size
    purchase_time = h.att_time + rng.integers(20, 120, n_att)
    ok = sold > 0
    on_sale = rel_day[h.att_release] * DAY + P.ON_SALE_HOUR * HOUR
    on_sale_price = items["price"].to_numpy()[h.att_item]
    sale = h.att_time > on_sale + P.SALE_AFTER_DAYS * DAY
    price = np.where(sale, np.round(on_sale_price * (1 - P.SALE_DISCOUNT) / 10) * 10, on_sale_price)
    o = np.flatnonzero(ok)
    o = o[np.argsort(purchase_time[o], kind="stable")]
    orders = pd.DataFrame(
        {
            "order_id": np.arange(1, o.size + 1, dtype=np.int32),
            "customer_id": h.att_customer[o] + 1,
            "item_id": h.att_item[o] + 1,
            "brand_id": (item_brand[h.att_item[o]] + 1).astype(np.int32),
            "order_date": stamp(purchase_time[o]),
            "price": price[o].astype(np.int64),
            "quantity": sold[o].astype(np.int32),
        }
    )

    # Items, with the moment the last unit sold.
    sold_out = np.full(len(items), np.datetime64("NaT"), dtype="datetime64[us]")
    has = sold_out_attempt >= 0
    sold_out[has] = stamp(purchase_time[sold_out_attempt[has]])
    items_df = pd.DataFrame(
        {
            "item_id": np.arange(1, len(items) + 1, dtype=np.int32),
            "release_id": (item_release + 1).astype(np.int32),
            "brand_id": (item_brand + 1).astype(np.int32),
            "category": pd.Categorical.from_codes(items["garment"].to_numpy(), P.GARMENTS),
            "price": items["price"].to_numpy().astype(np.int64),
            "release_date": dates(rel_day[item_release]),
            "stock": stock.astype(np.int32),
            "sold_out_date": sold_out,
        }
    )

    # A customer who tries after the last unit went sees "sold out" after that moment.
    missed = sold == 0
    gone_at = purchase_time[sold_out_attempt[h.att_item[missed]]]
    miss_time = h.att_time.copy()
    miss_time[missed] = np.maximum(h.att_time[missed], gone_at + rng.integers(1, 60, missed.sum()))
    events = _events(h, truth, items, pick_item, purchase_time, miss_time, sold, n_days, rng, stamp)

    # Campaigns and the mail log.
    past = np.flatnonzero(rel_day < n_days)
    n_sent = np.bincount(h.mail_release, minlength=len(releases))[past]
    campaigns = pd.DataFrame(
        {
            "campaign_id": (past + 1).astype(np.int32),
            "brand_id": (releases["brand"].to_numpy()[past] + 1).astype(np.int32),
            "release_id": (past + 1).astype(np.int32),
            "send_date": dates(rel_day[past]),
            "release_date": dates(rel_day[past]),
            "n_sent": n_sent.astype(np.int32),
        }
    )
    purchased = np.zeros(h.mail_customer.size, dtype=bool)
    from_mail = (h.att_mail >= 0) & ok
    purchased[h.att_mail[from_mail]] = True
    mail_log = pd.DataFrame(
        {
            "campaign_id": h.mail_release + 1,
            "customer_id": h.mail_customer + 1,
            "brand_id": (releases["brand"].to_numpy()[h.mail_release] + 1).astype(np.int32),
            "send_date": dates(rel_day[h.mail_release]),
            "accessed": h.mail_accessed,
            "purchased": purchased,
        }
    )

    release_df = pd.DataFrame(
        {
            "release_id": np.arange(1, len(releases) + 1, dtype=np.int32),
            "brand_id": (releases["brand"].to_numpy() + 1).astype(np.int32),
            "release_date": dates(rel_day),
            "n_items": releases["n_items"].to_numpy().astype(np.int32),
            "popular": releases["popularity"].to_numpy() > P.POPULAR_THRESHOLD,
        }
    )
    return {
        "orders": orders,
        "items": items_df,
        "events": events,
        "campaigns": campaigns,
        "mail_log": mail_log,
        "releases": release_df,
    }


def _events(
    h: History, truth: Truth, items, pick_item, purchase_time, miss_time, sold, n_days, rng, stamp
):
    """Web events: one session per purchase attempt, per mail access and per browse."""
    seg_att = truth.segment[h.att_customer]
    organic = np.flatnonzero(h.att_mail < 0)
    n_org, n_mail, n_browse = organic.size, h.access_row.size, h.browse_customer.size

    def draw_source(segment: np.ndarray) -> np.ndarray:
        cum = np.cumsum(np.asarray(P.SOURCE_SHARES), axis=1)[segment]
        return (1 + (rng.random(segment.size)[:, None] > cum).sum(axis=1)).astype(np.int8)

    # Sessions: organic attempts, then mail accesses, then browsing. Ids follow start time.
    s_start = np.concatenate(
        [h.att_time[organic] - rng.integers(90, 900, n_org), h.access_time, h.browse_time]
    )
    s_customer = np.concatenate(
        [h.att_customer[organic], h.mail_customer[h.access_row], h.browse_customer]
    )
    s_source = np.concatenate(
        [
            draw_source(seg_att[organic]),
            np.zeros(n_mail, dtype=np.int8),  # "mail"
            draw_source(truth.segment[h.browse_customer]),
        ]
    )
    session_id = np.empty(s_start.size, dtype=np.int64)
    session_id[np.argsort(s_start, kind="stable")] = np.arange(1, s_start.size + 1)
    mail_session = np.full(h.mail_customer.size, -1, dtype=np.int64)
    mail_session[h.access_row] = n_org + np.arange(n_mail)
    att_session = np.empty(h.att_customer.size, dtype=np.int64)
    att_session[organic] = np.arange(n_org)
    from_mail = h.att_mail >= 0
    att_session[from_mail] = mail_session[h.att_mail[from_mail]]

    browse_idx = n_org + n_mail + np.arange(n_browse)
    second = np.flatnonzero(h.browse_item2 >= 0)
    mail_view_item = pick_item(h.mail_release[h.access_row], rng.random(n_mail))
    ok = sold > 0
    posts = np.flatnonzero(ok & (rng.random(ok.size) < np.asarray(P.POST_SHARE)[seg_att]))
    bought, missed = np.flatnonzero(ok), np.flatnonzero(~ok)

    # Blocks of rows: (session index, time, item or -1, event code into P.EVENTS).
    blocks = [
        (np.arange(s_start.size), s_start, -1, 0),
        (np.arange(n_org), h.att_time[organic] - rng.integers(5, 60, n_org),
         h.att_item[organic], 1),
        (n_org + np.arange(n_mail), h.access_time + rng.integers(10, 120, n_mail),
         mail_view_item, 1),
        (browse_idx, h.browse_time + rng.integers(10, 120, n_browse), h.browse_item, 1),
        (browse_idx[second], h.browse_time[second] + rng.integers(130, 600, second.size),
         h.browse_item2[second], 1),
        (att_session[bought], h.att_time[bought], h.att_item[bought], 2),
        (att_session[missed], miss_time[missed], h.att_item[missed], 4),
        (att_session[bought], purchase_time[bought], h.att_item[bought], 3),
        (att_session[posts], purchase_time[posts] + rng.integers(300, 7200, posts.size),
         h.att_item[posts], 5),
    ]
    time = np.concatenate([b[1] for b in blocks])
    # Posts may fall after the end of the history; everything else is inside it.
    order = np.flatnonzero(time < n_days * DAY)
    order = order[np.argsort(time[order], kind="stable")]
    time = time[order]
    sess = np.concatenate([b[0] for b in blocks]).astype(np.int32)[order]
    item = np.concatenate(
        [np.broadcast_to(np.asarray(b[2], dtype=np.int32), b[0].shape) for b in blocks]
    )[order]
    code = np.concatenate([np.full(b[0].size, b[3], dtype=np.int8) for b in blocks])[order]
    del blocks

    no_item = item < 0
    item_brand = items["brand"].to_numpy().astype(np.int32)
    brand = item_brand[np.maximum(item, 0)] + 1
    return pd.DataFrame(
        {
            "session_id": session_id[sess],
            "customer_id": s_customer[sess] + 1,
            "timestamp": stamp(time),
            "source": pd.Categorical.from_codes(s_source[sess], P.SOURCES),
            "event": pd.Categorical.from_codes(code, P.EVENTS),
            "item_id": pd.arrays.IntegerArray(item + 1, no_item),
            "brand_id": pd.arrays.IntegerArray(brand, no_item),
        }
    )
