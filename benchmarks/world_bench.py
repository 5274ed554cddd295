"""Time and peak memory of make_fashion_site at several sizes (not a test).

    python benchmarks/world_bench.py                  # 20k, 100k and 1M customers
    python benchmarks/world_bench.py --sizes 20000 200000

Each size runs in a fresh process so that its peak memory (max resident set size) is its own.
"""

import argparse
import json
import resource
import subprocess
import sys
import time


def measure(n_customers: int) -> dict:
    from course.world import make_fashion_site

    started = time.perf_counter()
    site = make_fashion_site(n_customers=n_customers)
    seconds = time.perf_counter() - started
    release = site.upcoming_releases.iloc[0]
    recipients = site.customers["customer_id"].iloc[: max(1, n_customers // 20)]
    started = time.perf_counter()
    site.send_mail(int(release["brand_id"]), recipients)
    mail_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB
    return {
        "n_customers": n_customers,
        "seconds": seconds,
        "peak_mb": peak_mb,
        "send_mail_5pct_s": mail_seconds,
        "events": len(site.events),
        "orders": len(site.orders),
        "mail_log": len(site.mail_log),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    header = ["n_customers", "seconds", "peak_mb", "send_mail_5pct_s"]
    header += ["events", "orders", "mail_log"]
    print(" | ".join(f"{h:>16}" for h in header))
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        row = json.loads(out.stdout)
        cells = [f"{row[h]:>16,.2f}" if isinstance(row[h], float) else f"{row[h]:>16,}"
                 for h in header]
        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
