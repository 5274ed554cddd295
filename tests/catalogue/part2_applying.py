"""Wrong and right answers of Part 2, Applying."""

from catalogue import Right, Wrong


def _edit(base: str, *pairs: str) -> str:
    """`base` with each (old, new) pair replaced; every old text must be there."""
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in base, old
        base = base.replace(old, new)
    return base


_SEGMENT = """def segment_customers(orders, items, brands, events):
    lines = (orders
             .merge(items[['item_id', 'price', 'release_date']], on='item_id',
                    suffixes=('', '_list'))
             .merge(brands[['brand_id', 'price_tier']], on='brand_id'))
    signals = pd.DataFrame({
        'on_sale': lines['price'] < lines['price_list'],
        'late': lines['order_date'] - lines['release_date'] > pd.Timedelta(days=3),
        'budget': lines['price_tier'] == 'budget',
    })
    price_score = signals.mean(axis=1).groupby(lines['customer_id']).mean()
    people = pd.DataFrame({
        'purchases': lines.groupby('customer_id').size(),
        'views': events[events['event'] == 'view'].groupby('customer_id').size(),
    }).fillna(0)
    people = people[(people['purchases'] > 0) | (people['views'] >= 8)]
    window = people['views'] >= 8 * people['purchases'].clip(lower=1)
    price = price_score.reindex(people.index).fillna(0) >= 0.5
    labels = np.where(window, 'window_shopper', np.where(price, 'price_driven', 'brand_loyal'))
    return pd.Series(labels, index=people.index, name='segment')
"""

_PROFILE = """def segment_profile(orders, items, events, segments):
    lines = orders.merge(items[['item_id', 'release_date']], on='item_id')
    lines['segment'] = lines['customer_id'].map(segments)
    lines = lines.dropna(subset=['segment'])
    lines['release_day'] = lines['order_date'].dt.normalize() == lines['release_date']
    views = events[events['event'] == 'view']
    view_segment = views['customer_id'].map(segments).dropna()
    by_segment = lines.groupby('segment')
    table = pd.DataFrame({
        'customers': segments.value_counts(),
        'order_lines': by_segment.size(),
        'release_day_share': by_segment['release_day'].mean(),
        'median_price_paid': by_segment['price'].median(),
        'views': view_segment.groupby(view_segment).size(),
    }).reindex(['brand_loyal', 'price_driven', 'window_shopper'])
    table['purchases_per_customer'] = table['order_lines'] / table['customers']
    table['views_per_purchase'] = table['views'] / table['order_lines']
    return table[['customers', 'purchases_per_customer', 'release_day_share',
                  'median_price_paid', 'views_per_purchase']]
"""

_BOARD = """def big_picture(events, items, customer_id):
    mine = events[events['customer_id'] == customer_id]
    sessions = mine.loc[mine['event'] == 'visit', ['session_id', 'timestamp', 'source']]
    first_view = (mine[mine['event'] == 'view'].sort_values('timestamp')
                  .drop_duplicates('session_id')[['session_id', 'item_id']])
    first_view = first_view.merge(items[['item_id', 'release_date', 'brand_id']], on='item_id')
    sessions = sessions.merge(first_view, on='session_id', how='left')
    on_release_day = sessions['timestamp'].dt.normalize() == sessions['release_date']
    learned = sessions[sessions['source'].isin(['mail', 'social'])].assign(
        domain_event='learned of a release')
    visited = sessions.assign(domain_event=np.where(
        on_release_day, 'visited on release day', 'visited after release day'))
    names = {'purchase': 'purchased', 'sold_out': 'missed the release date',
             'post': 'posted on social media'}
    acts = mine[mine['event'].isin(list(names))]
    acts = acts.assign(domain_event=acts['event'].astype(str).map(names))
    columns = ['timestamp', 'domain_event', 'brand_id']
    board = pd.concat([learned[columns], visited[columns], acts[columns]], ignore_index=True)
    board['domain_event'] = pd.Categorical(board['domain_event'], categories=DOMAIN_EVENTS,
                                           ordered=True)
    return board.sort_values(['timestamp', 'domain_event']).reset_index(drop=True)
"""

_FUNNEL = """def aisas_funnel(events, mail_log):
    visits = events[events['event'] == 'visit']

    def customers(rows):
        return set(rows['customer_id'])

    stages = {
        'Attention': set(mail_log['customer_id']) | customers(visits[visits['source'] == 'social']),
        'Interest': customers(events[events['event'] == 'view']),
        'Search': customers(visits[visits['source'] == 'search']),
        'Action': customers(events[events['event'] == 'purchase']),
        'Share': customers(events[events['event'] == 'post']),
    }
    return pd.Series({stage: len(ids) for stage, ids in stages.items()})
"""

_ACCESS = """def access_rate_from_events(events, items, campaigns):
    mail_views = events[(events['source'] == 'mail') & (events['event'] == 'view')]
    first_views = mail_views.sort_values('timestamp').drop_duplicates('session_id')
    first_views = first_views.merge(items[['item_id', 'release_id']], on='item_id')
    accesses_per_release = first_views.groupby('release_id').size()
    table = campaigns.set_index('campaign_id')[['release_id', 'n_sent']]
    accesses = accesses_per_release.reindex(table['release_id'], fill_value=0).to_numpy()
    result = pd.DataFrame({'sent': table['n_sent'], 'accesses': accesses}, index=table.index)
    result['access_rate'] = result['accesses'] / result['sent']
    return result
"""

_METRIC = """def is_good_metric(trial, metric, min_gain=0.10):
    means = trial.groupby('list', observed=True)[metric].mean()
    change = means / means['random'] - 1
    rises_with_aim = all(change[name] >= min_gain
                         for name in ('rule: bought the brand', 'rule + mail history'))
    ignores_volume = abs(change['random, twice the mails']) < min_gain
    return bool(rises_with_aim and ignores_volume)
"""

_MISSED = """def missed_release_problem(events, items):
    missed = events.loc[events['event'] == 'sold_out', ['customer_id', 'item_id']]
    missed = missed.merge(items[['item_id', 'price']], on='item_id')
    customers = int(missed['customer_id'].nunique())
    return {'customers_affected': customers,
            'yen_per_customer': float(missed['price'].sum() / customers)}
"""

_PRIORITY = """def prioritise(candidates, today, yearly_revenue):
    table = candidates.copy()
    days = (table['deadline'] - today).dt.days
    table['urgency'] = np.select([days <= 30, days <= 90], [3, 2], default=1)
    table['impact'] = table['customers_affected'] * table['yen_per_customer']
    share = table['impact'] / yearly_revenue
    table['importance'] = np.select([share >= 0.10, share >= 0.02], [3, 2], default=1)
    table['poc_priority'] = table['urgency'] + table['importance']
    return table.sort_values(['poc_priority', 'impact'], ascending=False).reset_index(drop=True)
"""

_ML = """def ml_value_and_burden(cases):
    table = cases.copy()
    per_year = table['predictions'] * table['per'].map(PER_YEAR)
    table['ml_value'] = per_year * table['effect_yen']
    table['ml_burden'] = per_year * table['wrong_impact_yen']
    return table
"""

CASES = {
    "active_user_ratio": [
        Wrong("a percentage instead of a fraction",
              "def active_user_ratio(events, customers, month):\n"
              "    period = pd.Period(month, freq='M')\n"
              "    visits = events[events['event'] == 'visit']\n"
              "    in_month = visits['timestamp'].dt.to_period('M') == period\n"
              "    active = visits.loc[in_month, 'customer_id'].nunique()\n"
              "    signed = (customers['signup_date'] <= period.end_time).sum()\n"
              "    return 100 * active / signed", "percentage"),
        Wrong("counts visit rows, not customers",
              "def active_user_ratio(events, customers, month):\n"
              "    period = pd.Period(month, freq='M')\n"
              "    visits = events[events['event'] == 'visit']\n"
              "    in_month = visits['timestamp'].dt.to_period('M') == period\n"
              "    signed = (customers['signup_date'] <= period.end_time).sum()\n"
              "    return in_month.sum() / signed", "count each active customer once"),
        Wrong("divides by every customer, even later sign-ups",
              "def active_user_ratio(events, customers, month):\n"
              "    period = pd.Period(month, freq='M')\n"
              "    visits = events[events['event'] == 'visit']\n"
              "    in_month = visits['timestamp'].dt.to_period('M') == period\n"
              "    return visits.loc[in_month, 'customer_id'].nunique() / len(customers)",
              "signed up after the month"),
        Wrong("month end taken as midnight of the last day",
              "def active_user_ratio(events, customers, month):\n"
              "    start = pd.Timestamp(month)\n"
              "    end = start + pd.offsets.MonthEnd(0)\n"
              "    visits = events[events['event'] == 'visit']\n"
              "    in_month = (visits['timestamp'] >= start) & (visits['timestamp'] <= end)\n"
              "    active = visits.loc[in_month, 'customer_id'].nunique()\n"
              "    return active / (customers['signup_date'] <= end).sum()", "last day"),
        Wrong("active = bought in the month",
              "def active_user_ratio(events, customers, month):\n"
              "    period = pd.Period(month, freq='M')\n"
              "    buys = events[events['event'] == 'purchase']\n"
              "    in_month = buys['timestamp'].dt.to_period('M') == period\n"
              "    signed = (customers['signup_date'] <= period.end_time).sum()\n"
              "    return buys.loc[in_month, 'customer_id'].nunique() / signed", "buyers"),
        Wrong("visits up to the end of the month, not inside it",
              "def active_user_ratio(events, customers, month):\n"
              "    period = pd.Period(month, freq='M')\n"
              "    visits = events[events['event'] == 'visit']\n"
              "    upto = visits['timestamp'] <= period.end_time\n"
              "    signed = (customers['signup_date'] <= period.end_time).sum()\n"
              "    return visits.loc[upto, 'customer_id'].nunique() / signed", "4/6"),
        Right("strftime and to_period on sign-ups",
              "def active_user_ratio(events, customers, month):\n"
              "    v = events.query('event == \"visit\"')\n"
              "    active = set(v.loc[v['timestamp'].dt.strftime('%Y-%m') == month, 'customer_id'])\n"
              "    signed = customers['signup_date'].dt.to_period('M') <= pd.Period(month, 'M')\n"
              "    return len(active) / signed.sum()"),
    ],
    "stale_sessions": [
        Wrong("compares items, not releases",
              "def stale_sessions(events, items):\n"
              "    views = events.loc[events['event'] == 'view', ['session_id', 'customer_id', 'item_id']]\n"
              "    first = views.groupby(['customer_id', 'item_id'])['session_id'].transform('min')\n"
              "    return (views['session_id'] > first).groupby(views['session_id']).all()",
              "compare releases"),
        Wrong("seen by any customer, not the same one",
              "def stale_sessions(events, items):\n"
              "    views = events.loc[events['event'] == 'view', ['session_id', 'customer_id', 'item_id']]\n"
              "    views = views.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    first = views.groupby('release_id')['session_id'].transform('min')\n"
              "    return (views['session_id'] > first).groupby(views['session_id']).all()",
              "their own past"),
        Wrong("any view seen before, not all",
              "def stale_sessions(events, items):\n"
              "    views = events.loc[events['event'] == 'view', ['session_id', 'customer_id', 'item_id']]\n"
              "    views = views.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    first = views.groupby(['customer_id', 'release_id'])['session_id'].transform('min')\n"
              "    return (views['session_id'] > first).groupby(views['session_id']).any()",
              "every release viewed"),
        Wrong(">= the first session instead of >",
              "def stale_sessions(events, items):\n"
              "    views = events.loc[events['event'] == 'view', ['session_id', 'customer_id', 'item_id']]\n"
              "    views = views.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    first = views.groupby(['customer_id', 'release_id'])['session_id'].transform('min')\n"
              "    return (views['session_id'] >= first).groupby(views['session_id']).all()",
              "first session cannot be stale"),
        Wrong("seen = the release appears in more than one session",
              "def stale_sessions(events, items):\n"
              "    views = events.loc[events['event'] == 'view', ['session_id', 'customer_id', 'item_id']]\n"
              "    views = views.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    n = views.groupby(['customer_id', 'release_id'])['session_id'].transform('nunique')\n"
              "    return (n > 1).groupby(views['session_id']).all()",
              "first session cannot be stale"),
        Wrong("keeps only the stale sessions",
              "def stale_sessions(events, items):\n"
              "    views = events.loc[events['event'] == 'view', ['session_id', 'customer_id', 'item_id']]\n"
              "    views = views.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    first = views.groupby(['customer_id', 'release_id'])['session_id'].transform('min')\n"
              "    flags = (views['session_id'] > first).groupby(views['session_id']).all()\n"
              "    return flags[flags]", "index it by session_id"),
        Right("duplicated in session order, all per session",
              "def stale_sessions(events, items):\n"
              "    v = events[events['event'] == 'view'].sort_values('session_id', kind='stable')\n"
              "    v = v.assign(release_id=v['item_id'].astype(int).map(items.set_index('item_id')['release_id']))\n"
              "    seen = v.duplicated(['customer_id', 'release_id'])\n"
              "    return seen.groupby(v['session_id']).all()"),
    ],
    "segment_customers": [
        Wrong("counts cart rows as views",
              _edit(_SEGMENT, "events[events['event'] == 'view']",
                    "events[events['event'].isin(['view', 'cart'])]"), "only rows whose event is 'view'"),
        Wrong("counts units (quantity) instead of order lines",
              _edit(_SEGMENT, "lines.groupby('customer_id').size()",
                    "lines.groupby('customer_id')['quantity'].sum()"), "order lines"),
        Wrong("on sale with <= (full price counts as on sale)",
              _edit(_SEGMENT, "lines['price'] < lines['price_list']",
                    "lines['price'] <= lines['price_list']"), "list price"),
        Wrong("price-driven on any signal, not the mean",
              _edit(_SEGMENT, "signals.mean(axis=1)", "signals.any(axis=1)"),
              "mean of the three signals"),
        Wrong("window shopper with > instead of >=",
              _edit(_SEGMENT, "people['views'] >= 8 * people", "people['views'] > 8 * people"),
              "the rule uses >="),
        Wrong("price-driven above 0.5, not from 0.5",
              _edit(_SEGMENT, ".fillna(0) >= 0.5", ".fillna(0) > 0.5"), ">= 0.5"),
        Wrong("keeps every customer, no activity filter",
              _edit(_SEGMENT, "    people = people[(people['purchases'] > 0) | (people['views'] >= 8)]\n", ""),
              "customer 4"),
        Wrong("late as whole days > 3 (3 days 20 hours is not late)",
              _edit(_SEGMENT, "lines['order_date'] - lines['release_date'] > pd.Timedelta(days=3)",
                    "(lines['order_date'] - lines['release_date']).dt.days > 3"), "more than 3 days"),
        Wrong("late measured the wrong way round (release - order)",
              _edit(_SEGMENT, "lines['order_date'] - lines['release_date'] > pd.Timedelta(days=3)",
                    "lines['release_date'] - lines['order_date'] > pd.Timedelta(days=3)"),
              "late"),
        Right("one groupby.agg and np.select",
              "def segment_customers(orders, items, brands, events):\n"
              "    it = items.set_index('item_id')\n"
              "    tier = brands.set_index('brand_id')['price_tier'].astype(str)\n"
              "    o = orders.assign(\n"
              "        s1=(orders['price'] < orders['item_id'].map(it['price'])).astype(float),\n"
              "        s2=((orders['order_date'] - orders['item_id'].map(it['release_date'])).dt.total_seconds() > 3 * 86400).astype(float),\n"
              "        s3=(orders['item_id'].map(it['brand_id']).map(tier) == 'budget').astype(float))\n"
              "    o['score'] = (o['s1'] + o['s2'] + o['s3']) / 3\n"
              "    per = o.groupby('customer_id').agg(purchases=('order_id', 'count'), score=('score', 'mean'))\n"
              "    v = events.loc[events['event'] == 'view', 'customer_id'].value_counts().rename('views')\n"
              "    per = per.join(v, how='outer')\n"
              "    per[['purchases', 'views']] = per[['purchases', 'views']].fillna(0)\n"
              "    per = per.query('purchases > 0 or views >= 8')\n"
              "    label = np.select([per['views'] >= 8 * np.maximum(per['purchases'], 1),\n"
              "                       per['score'].fillna(0) >= 0.5],\n"
              "                      ['window_shopper', 'price_driven'], default='brand_loyal')\n"
              "    return pd.Series(label, index=per.index)"),
    ],
    "segment_profile": [
        Wrong("mean price instead of the median",
              _edit(_PROFILE, "by_segment['price'].median()", "by_segment['price'].mean()"),
              "median"),
        Wrong("release day taken as within one day of the release",
              _edit(_PROFILE, "lines['order_date'].dt.normalize() == lines['release_date']",
                    "(lines['order_date'] - lines['release_date']).dt.days <= 1"),
              "same calendar day"),
        Wrong("units (quantity) instead of order lines",
              _edit(_PROFILE, "'order_lines': by_segment.size(),",
                    "'order_lines': by_segment['quantity'].sum(),"), "not units"),
        Wrong("purchases per buying customer only",
              _edit(_PROFILE, "table['order_lines'] / table['customers']",
                    "table['order_lines'] / by_segment['customer_id'].nunique()"),
              "customers who bought nothing"),
        Wrong("release day as an exact timestamp match",
              _edit(_PROFILE, "lines['order_date'].dt.normalize() == lines['release_date']",
                    "lines['order_date'] == lines['release_date']"), "same calendar day"),
        Wrong("views per purchase as a mean of per-customer ratios",
              _edit(_PROFILE, "    table['views_per_purchase'] = table['views'] / table['order_lines']\n",
                    "    per = pd.DataFrame({'v': views.groupby('customer_id').size(),\n"
                    "                        'p': lines.groupby('customer_id').size()}).fillna(0)\n"
                    "    per = per[per.index.isin(segments.index)]\n"
                    "    ratio = per['v'] / per['p']\n"
                    "    table['views_per_purchase'] = ratio.groupby(segments.reindex(ratio.index)).mean()\n"),
              "per-customer ratios"),
        Wrong("counts every event row as a view",
              _edit(_PROFILE, "views = events[events['event'] == 'view']", "views = events"),
              "item views"),
        Wrong("customers counted among buyers only",
              _edit(_PROFILE, "'customers': segments.value_counts(),",
                    "'customers': by_segment['customer_id'].nunique(),"),
              "from `segments`"),
        Right("merge the segments, named aggregation",
              "def segment_profile(orders, items, events, segments):\n"
              "    seg = segments.rename('segment').rename_axis('customer_id').reset_index()\n"
              "    o = orders.merge(items[['item_id', 'release_date']], on='item_id').merge(seg, on='customer_id')\n"
              "    o['on_day'] = o['order_date'].dt.date == o['release_date'].dt.date\n"
              "    g = o.groupby('segment').agg(lines=('order_id', 'size'), release_day_share=('on_day', 'mean'),\n"
              "                                 median_price_paid=('price', 'median'))\n"
              "    v = events[events['event'] == 'view'].merge(seg, on='customer_id')['segment'].value_counts()\n"
              "    out = pd.DataFrame(index=['brand_loyal', 'price_driven', 'window_shopper'])\n"
              "    out['customers'] = segments.value_counts()\n"
              "    out = out.join(g)\n"
              "    out['purchases_per_customer'] = out['lines'] / out['customers']\n"
              "    out['views_per_purchase'] = v / out['lines']\n"
              "    return out[['customers', 'purchases_per_customer', 'release_day_share',\n"
              "                'median_price_paid', 'views_per_purchase']]"),
    ],
    "big_picture": [
        Wrong("release day of any brand's release",
              _edit(_BOARD, "sessions['timestamp'].dt.normalize() == sessions['release_date']",
                    "sessions['timestamp'].dt.normalize().isin(items['release_date'])"),
              "first item viewed"),
        Wrong("release day compared without normalising the visit time",
              _edit(_BOARD, "sessions['timestamp'].dt.normalize() == sessions['release_date']",
                    "sessions['timestamp'] == sessions['release_date']"), ".dt.normalize()"),
        Wrong("forgets to keep only the customer asked for",
              _edit(_BOARD, "mine = events[events['customer_id'] == customer_id]", "mine = events"),
              "customer 8"),
        Wrong("one 'visited' per view row, not per session",
              _edit(_BOARD, "sessions = sessions.merge(first_view, on='session_id', how='left')",
                    "sessions = sessions.merge(mine.loc[mine['event'] == 'view', ['session_id', 'item_id']]"
                    ".merge(items[['item_id', 'release_date', 'brand_id']], on='item_id'), on='session_id')",
                    "    first_view = first_view.merge(items[['item_id', 'release_date', 'brand_id']], on='item_id')\n", ""),
              "sessions"),
        Wrong("only mail sessions are 'learned of a release'",
              _edit(_BOARD, "isin(['mail', 'social'])", "isin(['mail'])"), "a mail or a social post"),
        Wrong("ties left in concat order, visit before 'learned'",
              _edit(_BOARD, "pd.concat([learned[columns], visited[columns], acts[columns]], ignore_index=True)",
                    "pd.concat([visited[columns], learned[columns], acts[columns]], ignore_index=True)",
                    "board.sort_values(['timestamp', 'domain_event'])",
                    "board.sort_values('timestamp', kind='stable')"), "order of DOMAIN_EVENTS"),
        Wrong("session stickies keep the visit row's brand (missing)",
              _edit(_BOARD, "['session_id', 'timestamp', 'source']]", "['session_id', 'timestamp', 'source', 'brand_id']]",
                    "items[['item_id', 'release_date', 'brand_id']]", "items[['item_id', 'release_date']]"),
              "brand"),
        Right("session table by groupby, sort on the journey position",
              "def big_picture(events, items, customer_id):\n"
              "    mine = events.query('customer_id == @customer_id')\n"
              "    views = mine[mine['event'] == 'view'].sort_values('timestamp')\n"
              "    first = views.groupby('session_id')['item_id'].first().astype(int)\n"
              "    it = items.set_index('item_id')\n"
              "    s = mine[mine['event'] == 'visit'].set_index('session_id')[['timestamp', 'source']]\n"
              "    s['release_date'] = first.map(it['release_date']).reindex(s.index)\n"
              "    s['brand_id'] = first.map(it['brand_id']).reindex(s.index)\n"
              "    rows = []\n"
              "    for _, r in s.iterrows():\n"
              "        if r['source'] in ('mail', 'social'):\n"
              "            rows.append((r['timestamp'], 'learned of a release', r['brand_id']))\n"
              "        day = r['timestamp'].floor('D') == r['release_date']\n"
              "        rows.append((r['timestamp'], 'visited on release day' if day else 'visited after release day', r['brand_id']))\n"
              "    names = {'purchase': 'purchased', 'sold_out': 'missed the release date', 'post': 'posted on social media'}\n"
              "    for _, r in mine[mine['event'].isin(list(names))].iterrows():\n"
              "        rows.append((r['timestamp'], names[r['event']], r['brand_id']))\n"
              "    board = pd.DataFrame(rows, columns=['timestamp', 'domain_event', 'brand_id'])\n"
              "    board['_pos'] = board['domain_event'].map(DOMAIN_EVENTS.index)\n"
              "    return board.sort_values(['timestamp', '_pos']).drop(columns='_pos').reset_index(drop=True)"),
    ],
    "aisas_funnel": [
        Wrong("sold-out attempts counted as Action",
              _edit(_FUNNEL, "events[events['event'] == 'purchase']",
                    "events[events['event'].isin(['purchase', 'sold_out'])]"), "Action"),
        Wrong("Attention forgets social posts",
              _edit(_FUNNEL, "set(mail_log['customer_id']) | customers(visits[visits['source'] == 'social'])",
                    "set(mail_log['customer_id'])"), "social post"),
        Wrong("Attention from mail sessions, not every recipient",
              _edit(_FUNNEL, "set(mail_log['customer_id']) | customers(",
                    "customers(visits[visits['source'] == 'mail']) | customers("),
              "clicked or not"),
        Wrong("Attention adds mails and social customers without a union",
              _edit(_FUNNEL, "set(mail_log['customer_id']) | customers(visits[visits['source'] == 'social'])",
                    "list(mail_log['customer_id']) + list(customers(visits[visits['source'] == 'social']))"),
              "each customer once"),
        Wrong("Attention: distinct recipients plus distinct social customers (no union)",
              _edit(_FUNNEL, "set(mail_log['customer_id']) | customers(visits[visits['source'] == 'social'])",
                    "list(set(mail_log['customer_id'])) + list(customers(visits[visits['source'] == 'social']))"),
              "distinct customers"),
        Wrong("Search counts search sessions, not customers",
              _edit(_FUNNEL, "'Search': customers(visits[visits['source'] == 'search'])",
                    "'Search': list(visits.loc[visits['source'] == 'search', 'customer_id'])"),
              "each once"),
        Wrong("Interest counts view rows",
              _edit(_FUNNEL, "'Interest': customers(events[events['event'] == 'view'])",
                    "'Interest': list(events.loc[events['event'] == 'view', 'customer_id'])"),
              "viewed an item"),
        Wrong("stages in alphabetical order",
              _edit(_FUNNEL, "return pd.Series({stage: len(ids) for stage, ids in stages.items()})",
                    "return pd.Series({stage: len(ids) for stage, ids in stages.items()}).sort_index()"),
              "AISAS order"),
        Right("nunique per stage with query",
              "def aisas_funnel(events, mail_log):\n"
              "    v = events.query('event == \"visit\"')\n"
              "    att = pd.concat([mail_log['customer_id'], v.loc[v['source'] == 'social', 'customer_id']])\n"
              "    def n(event):\n"
              "        return events.loc[events['event'] == event, 'customer_id'].nunique()\n"
              "    return pd.Series([att.nunique(), n('view'), v.loc[v['source'] == 'search', 'customer_id'].nunique(),\n"
              "                      n('purchase'), n('post')],\n"
              "                     index=['Attention', 'Interest', 'Search', 'Action', 'Share'])"),
    ],
    "miss_rate_by_source": [
        Wrong("mean of per-customer miss rates",
              "def miss_rate_by_source(events):\n"
              "    att = events[events['event'].isin(['purchase', 'sold_out'])]\n"
              "    per = (att['event'] == 'sold_out').groupby([att['source'], att['customer_id']], observed=True).mean()\n"
              "    return per.groupby(level='source', observed=True).mean()", "attempts"),
        Wrong("sold-out rows over purchases",
              "def miss_rate_by_source(events):\n"
              "    sold = (events['event'] == 'sold_out').groupby(events['source'], observed=True).sum()\n"
              "    bought = (events['event'] == 'purchase').groupby(events['source'], observed=True).sum()\n"
              "    return sold / bought", "divided sold-out rows by purchases"),
        Wrong("sold-out rows over every row of the source",
              "def miss_rate_by_source(events):\n"
              "    return (events['event'] == 'sold_out').groupby(events['source'], observed=True).mean()",
              "every event row"),
        Wrong("a percentage",
              "def miss_rate_by_source(events):\n"
              "    att = events[events['event'].isin(['purchase', 'sold_out'])]\n"
              "    return 100 * (att['event'] == 'sold_out').groupby(att['source'], observed=True).mean()",
              "between 0 and 1"),
        Wrong("cart rows counted as attempts",
              "def miss_rate_by_source(events):\n"
              "    att = events[events['event'].isin(['cart', 'purchase', 'sold_out'])]\n"
              "    return (att['event'] == 'sold_out').groupby(att['source'], observed=True).mean()",
              "purchase + sold_out"),
        Wrong("sold-out counts over attempt counts: NaN where nobody missed",
              "def miss_rate_by_source(events):\n"
              "    att = events[events['event'].isin(['purchase', 'sold_out'])]\n"
              "    sold = att[att['event'] == 'sold_out'].groupby('source', observed=True).size()\n"
              "    return sold / att.groupby('source', observed=True).size()", "NaN"),
        Right("crosstab with normalised rows",
              "def miss_rate_by_source(events):\n"
              "    att = events[events['event'].isin(['purchase', 'sold_out'])]\n"
              "    t = pd.crosstab(att['source'].astype(str), att['event'].astype(str))\n"
              "    t = t.reindex(columns=['purchase', 'sold_out'], fill_value=0)\n"
              "    return t['sold_out'] / t.sum(axis=1)"),
    ],
    "access_rate_from_events": [
        Wrong("counts every row of the mail sessions",
              _edit(_ACCESS, "mail_views = events[(events['source'] == 'mail') & (events['event'] == 'view')]\n"
                    "    first_views = mail_views.sort_values('timestamp').drop_duplicates('session_id')",
                    "first_views = events[events['source'] == 'mail'].assign(item_id=lambda d: d.groupby('session_id')['item_id'].transform('first'))"),
              "one session"),
        Wrong("gives mail sessions to the brand's campaigns, not the release's",
              "def access_rate_from_events(events, items, campaigns):\n"
              "    s = events[(events['source'] == 'mail') & (events['event'] == 'view')].drop_duplicates('session_id')\n"
              "    per_brand = s.groupby('brand_id').size()\n"
              "    table = campaigns.set_index('campaign_id')\n"
              "    acc = table['brand_id'].map(per_brand).fillna(0).astype(int)\n"
              "    return pd.DataFrame({'sent': table['n_sent'], 'accesses': acc, 'access_rate': acc / table['n_sent']})",
              "not to the brand"),
        Wrong("inner merge drops campaigns nobody accessed",
              "def access_rate_from_events(events, items, campaigns):\n"
              "    s = events[(events['source'] == 'mail') & (events['event'] == 'view')].drop_duplicates('session_id')\n"
              "    s = s.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    acc = s.groupby('release_id').size().rename('accesses').reset_index()\n"
              "    t = campaigns.merge(acc, on='release_id').set_index('campaign_id')\n"
              "    t['sent'] = t['n_sent']\n"
              "    t['access_rate'] = t['accesses'] / t['sent']\n"
              "    return t[['sent', 'accesses', 'access_rate']]", "keep every campaign"),
        Wrong("left merge without fillna: NaN accesses",
              "def access_rate_from_events(events, items, campaigns):\n"
              "    s = events[(events['source'] == 'mail') & (events['event'] == 'view')].drop_duplicates('session_id')\n"
              "    s = s.merge(items[['item_id', 'release_id']], on='item_id')\n"
              "    acc = s.groupby('release_id').size().rename('accesses').reset_index()\n"
              "    t = campaigns.merge(acc, on='release_id', how='left').set_index('campaign_id')\n"
              "    t['sent'] = t['n_sent']\n"
              "    t['access_rate'] = t['accesses'] / t['sent']\n"
              "    return t[['sent', 'accesses', 'access_rate']]", "fillna(0)"),
        Wrong("forgets the mail filter: every session counts",
              _edit(_ACCESS, "events[(events['source'] == 'mail') & (events['event'] == 'view')]",
                    "events[events['event'] == 'view']"), "search session"),
        Wrong("access rate as a percentage",
              _edit(_ACCESS, "result['accesses'] / result['sent']", "100 * result['accesses'] / result['sent']"),
              "accesses ÷ sent"),
        Wrong("not indexed by campaign_id",
              _edit(_ACCESS, "return result", "return result.reset_index(drop=True)"),
              "index the table by campaign_id"),
        Right("map release per session, value_counts and map onto campaigns",
              "def access_rate_from_events(events, items, campaigns):\n"
              "    views = events.query('source == \"mail\" and event == \"view\"').sort_values('timestamp')\n"
              "    first = views.groupby('session_id')['item_id'].first().astype(int)\n"
              "    per_release = first.map(items.set_index('item_id')['release_id']).value_counts()\n"
              "    out = campaigns[['campaign_id', 'release_id', 'n_sent']].rename(columns={'n_sent': 'sent'})\n"
              "    out['accesses'] = out['release_id'].map(per_release).fillna(0).astype(int)\n"
              "    out['access_rate'] = out['accesses'] / out['sent']\n"
              "    return out.set_index('campaign_id')[['sent', 'accesses', 'access_rate']]"),
    ],
    "is_good_metric": [
        Wrong("differences, not relative changes",
              _edit(_METRIC, "change = means / means['random'] - 1", "change = means - means['random']"),
              "relative changes"),
        Wrong("forgets the 'twice the mails' test",
              _edit(_METRIC, "return bool(rises_with_aim and ignores_volume)", "return bool(rises_with_aim)"),
              "twice the mails"),
        Wrong("one rule list rising is enough",
              _edit(_METRIC, "rises_with_aim = all(", "rises_with_aim = any("), "both rule lists"),
        Wrong("no abs(): a drop with more mail passes",
              _edit(_METRIC, "abs(change['random, twice the mails']) < min_gain",
                    "change['random, twice the mails'] < min_gain"), "either direction"),
        Wrong("min_gain typed in as 0.10",
              _edit(_METRIC, ">= min_gain", ">= 0.10", ") < min_gain", ") < 0.10"), "min_gain"),
        Wrong("returns a numpy bool, not a plain True/False",
              _edit(_METRIC, "return bool(rises_with_aim and ignores_volume)",
                    "return np.bool_(rises_with_aim) & ignores_volume"), "True or False"),
        Wrong("relative change the wrong way round (random / rule)",
              _edit(_METRIC, "change = means / means['random'] - 1", "change = means['random'] / means - 1"),
              "relative changes"),
        Right("loc per list, plain comparisons",
              "def is_good_metric(trial, metric, min_gain=0.10):\n"
              "    def mean(name):\n"
              "        return trial.loc[trial['list'] == name, metric].mean()\n"
              "    base = mean('random')\n"
              "    up = min(mean('rule: bought the brand'), mean('rule + mail history')) / base - 1\n"
              "    vol = mean('random, twice the mails') / base - 1\n"
              "    return bool(up >= min_gain and -min_gain < vol < min_gain)"),
    ],
    "missed_release_problem": [
        Wrong("one miss per customer-item pair",
              _edit(_MISSED, "missed = events.loc[events['event'] == 'sold_out', ['customer_id', 'item_id']]",
                    "missed = events.loc[events['event'] == 'sold_out', ['customer_id', 'item_id']].drop_duplicates()"),
              "customer–item pair"),
        Wrong("counts missed attempts, not customers",
              _edit(_MISSED, "customers = int(missed['customer_id'].nunique())", "customers = len(missed)"),
              "each once"),
        Wrong("yen per missed attempt",
              _edit(_MISSED, "float(missed['price'].sum() / customers)", "float(missed['price'].mean())"),
              "per affected customer"),
        Wrong("each missed item's price counted once",
              _edit(_MISSED, "float(missed['price'].sum() / customers)",
                    "float(missed.drop_duplicates('item_id')['price'].sum() / customers)"), "once for the whole shop"),
        Wrong("yen truncated to whole yen",
              _edit(_MISSED, "float(missed['price'].sum() / customers)", "int(missed['price'].sum() // customers)"),
              "keep the fraction"),
        Wrong("sizes purchases instead of sold_out rows",
              _edit(_MISSED, "events['event'] == 'sold_out'", "events['event'] == 'purchase'"),
              "customers 1 and 2 missed"),
        Wrong("this shop's numbers typed in",
              "_shop = missed_release_problem(site.events, site.items)\n"
              "def missed_release_problem(events, items):\n"
              "    return dict(_shop)", "", hardcoded=True),
        Right("map prices, groupby customer",
              "def missed_release_problem(events, items):\n"
              "    gone = events[events['event'] == 'sold_out']\n"
              "    yen = gone['item_id'].astype(int).map(items.set_index('item_id')['price'])\n"
              "    per_customer = yen.groupby(gone['customer_id']).sum()\n"
              "    return {'customers_affected': len(per_customer), 'yen_per_customer': per_customer.mean()}"),
    ],
    "prioritise": [
        Wrong("within 30 days with <",
              _edit(_PRIORITY, "days <= 30", "days < 30"), "exactly 30 days"),
        Wrong("no deadline filled as 0 days",
              _edit(_PRIORITY, "days = (table['deadline'] - today).dt.days", "days = (table['deadline'] - today).dt.days.fillna(0)"),
              "no deadline"),
        Wrong("importance from customers alone",
              _edit(_PRIORITY, "share = table['impact'] / yearly_revenue",
                    "share = table['customers_affected'] / table['customers_affected'].sum()"),
              "in a tiny table"),
        Wrong("10% with > instead of >=",
              _edit(_PRIORITY, "share >= 0.10", "share > 0.10"), "10% counts as high"),
        Wrong("ties not broken by impact",
              _edit(_PRIORITY, "sort_values(['poc_priority', 'impact'], ascending=False)",
                    "sort_values('poc_priority', ascending=False, kind='stable')"), "larger impact"),
        Wrong("edits the table it is given",
              _edit(_PRIORITY, "table = candidates.copy()", "table = candidates"), "copy"),
        Wrong("sorted lowest first",
              _edit(_PRIORITY, "ascending=False", "ascending=True"), "highest first"),
        Right("pd.cut for both scores",
              "def prioritise(candidates, today, yearly_revenue):\n"
              "    t = candidates.assign(impact=candidates['customers_affected'] * candidates['yen_per_customer'])\n"
              "    days = (t['deadline'] - today).dt.days.fillna(10**6)\n"
              "    t['urgency'] = pd.cut(days, [-np.inf, 30, 90, np.inf], labels=[3, 2, 1]).astype(int)\n"
              "    share = t['impact'] / yearly_revenue\n"
              "    t['importance'] = pd.cut(share, [-np.inf, 0.02, 0.10, np.inf], right=False, labels=[1, 2, 3]).astype(int)\n"
              "    t['poc_priority'] = t['urgency'] + t['importance']\n"
              "    return t.sort_values(['poc_priority', 'impact'], ascending=[False, False]).reset_index(drop=True)"),
    ],
    "ml_value_and_burden": [
        Wrong("forgets to convert to per year",
              _edit(_ML, "table['predictions'] * table['per'].map(PER_YEAR)", "table['predictions']"),
              "predictions per year"),
        Wrong("52 weeks a year",
              _edit(_ML, "table['per'].map(PER_YEAR)", "table['per'].map({'day': 365, 'week': 52, 'month': 12, 'year': 1})"),
              "365/7 weeks"),
        Wrong("burden from the effect, not the wrong impact",
              _edit(_ML, "per_year * table['wrong_impact_yen']", "per_year * table['effect_yen']"),
              "wrong_impact_yen"),
        Wrong("a month as 30 days",
              _edit(_ML, "table['per'].map(PER_YEAR)", "table['per'].map({'day': 365, 'week': 365 / 7, 'month': 365 / 30, 'year': 1})"),
              "12 months"),
        Wrong("360 days a year",
              _edit(_ML, "table['per'].map(PER_YEAR)", "table['per'].map({'day': 360, 'week': 360 / 7, 'month': 12, 'year': 1})"),
              "365 days"),
        Wrong("edits the table it is given",
              _edit(_ML, "table = cases.copy()", "table = cases"), "copy"),
        Right("Rate per row with apply",
              "def ml_value_and_burden(cases):\n"
              "    per_year = cases.apply(lambda r: Rate(r['predictions'], per=r['per']).to('year').yen, axis=1)\n"
              "    return cases.assign(ml_value=per_year * cases['effect_yen'],\n"
              "                        ml_burden=per_year * cases['wrong_impact_yen'])"),
    ],
}
