"""Wrong and right answers of Part 0, How this course works."""

from catalogue import Right, Wrong

CASES = {
    "count_buyers": [
        Wrong("counts order lines, not customers",
              "def count_buyers(orders):\n    return len(orders)", "order lines"),
        Wrong("counts distinct orders",
              "def count_buyers(orders):\n    return orders['order_id'].nunique()",
              "order"),
        Wrong("returns the ids, not how many",
              "def count_buyers(orders):\n    return orders['customer_id'].unique()",
              "whole number"),
        Wrong("hard-codes this shop's count",
              "_n = count_buyers(site.orders)\ndef count_buyers(orders):\n    return _n",
              "", hardcoded=True),
        Right("a set of ids", "def count_buyers(orders):\n"
              "    return len(set(orders['customer_id']))"),
        Right("drop_duplicates", "def count_buyers(orders):\n"
              "    return len(orders['customer_id'].drop_duplicates())"),
    ],
    "campaign_access_rate": [
        Wrong("a percentage, not a fraction",
              "def campaign_access_rate(mail_log, campaign_id):\n"
              "    m = mail_log[mail_log['campaign_id'] == campaign_id]\n"
              "    return 100 * m['accessed'].mean()", "fraction"),
        Wrong("accesses over the whole log's mails",
              "def campaign_access_rate(mail_log, campaign_id):\n"
              "    m = mail_log[mail_log['campaign_id'] == campaign_id]\n"
              "    return m['accessed'].sum() / len(mail_log)", "every mail in the log"),
        Wrong("purchases instead of accesses",
              "def campaign_access_rate(mail_log, campaign_id):\n"
              "    m = mail_log[mail_log['campaign_id'] == campaign_id]\n"
              "    return m['purchased'].mean()", "access"),
        Wrong("counts accesses, no division",
              "def campaign_access_rate(mail_log, campaign_id):\n"
              "    m = mail_log[mail_log['campaign_id'] == campaign_id]\n"
              "    return float(m['accessed'].sum())", "fraction"),
        Right("sum over count with query", "def campaign_access_rate(mail_log, campaign_id):\n"
              "    m = mail_log.query('campaign_id == @campaign_id')\n"
              "    return m['accessed'].sum() / m['accessed'].count()"),
    ],
    "best_campaign": [
        Wrong("ignores min_sent",
              "def best_campaign(mail_log, min_sent):\n"
              "    return int(mail_log.groupby('campaign_id')['accessed'].mean().idxmax())",
              "min_sent"),
        Wrong("more than min_sent, not at least",
              "def best_campaign(mail_log, min_sent):\n"
              "    g = mail_log.groupby('campaign_id')['accessed'].agg(['mean', 'size'])\n"
              "    return int(g[g['size'] > min_sent]['mean'].idxmax())", "exactly 100 mails"),
        Wrong("most accesses, not the highest rate",
              "def best_campaign(mail_log, min_sent):\n"
              "    g = mail_log.groupby('campaign_id')['accessed'].agg(['sum', 'size'])\n"
              "    return int(g[g['size'] >= min_sent]['sum'].idxmax())", "rate"),
        Wrong("returns the rate, not the campaign",
              "def best_campaign(mail_log, min_sent):\n"
              "    g = mail_log.groupby('campaign_id')['accessed'].agg(['mean', 'size'])\n"
              "    return float(g[g['size'] >= min_sent]['mean'].max())", "campaign_id"),
        Right("sort and take the first", "def best_campaign(mail_log, min_sent):\n"
              "    sizes = mail_log['campaign_id'].value_counts()\n"
              "    keep = mail_log[mail_log['campaign_id'].isin(sizes[sizes >= min_sent].index)]\n"
              "    rates = keep.groupby('campaign_id')['accessed'].mean()\n"
              "    return rates.sort_values(ascending=False).index[0]"),
        Right("named aggregation, mails counted by recipient",
              "def best_campaign(mail_log, min_sent):\n"
              "    per = mail_log.groupby('campaign_id').agg(\n"
              "        rate=('accessed', 'mean'), n=('customer_id', 'count'))\n"
              "    return int(per[per['n'] >= min_sent]['rate'].idxmax())"),
    ],
}
