"""Measure the removal of old sign-ups never confirmed (marketplace/services/unconfirmed_accounts.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_signups_bench .venv/bin/python manage.py migrate
    nice -n 10 .venv/bin/python bench/unconfirmed_signups_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/sb_signups_bench --accounts 20000

Writes `--accounts` stale sign-ups (an inactive account never confirmed, its company and its owner
membership, as a sign-up leaves them, joined before the removal age), then runs the task's body
(`unconfirmed_signups_discard`) until none is left and prints the time and the accounts removed
per second. One beat run removes for `DISCARD_SECONDS`; the target is that one run (beat's, every
quarter hour) removes at least 5,000: a million stale sign-ups gone in about two days. Exit 1 when it misses.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIX = "bench-unconfirmed-"
TARGET_PER_RUN = 5_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--accounts", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        parser.error("give a PostgreSQL --database-url (or DATABASE_URL)")
    os.environ.update(DATABASE_URL=args.database_url, REDIS_URL="", DEBUG="true")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from marketplace.models import Company, Currency, Membership, User
    from marketplace.services.unconfirmed_accounts import (
        DISCARD_SECONDS,
        unconfirmed_signup_age,
        unconfirmed_signups_discard,
    )

    Currency.objects.get_or_create(code=settings.DEFAULT_CURRENCY, defaults={"name": settings.DEFAULT_CURRENCY})
    joined = timezone.now() - unconfirmed_signup_age() - timedelta(days=1)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}{n}@example.com",
                name="Never confirmed",
                is_active=False,
                email_confirmed_at=None,
                date_joined=joined,
            )
            for n in range(args.accounts)
        ],
        batch_size=5_000,
    )
    companies = Company.objects.bulk_create(
        [Company(name=f"{PREFIX}{n}", country="LK") for n in range(args.accounts)], batch_size=5_000
    )
    Membership.objects.bulk_create(
        [Membership(user=u, company=c, role=Membership.Role.OWNER) for u, c in zip(users, companies, strict=True)],
        batch_size=5_000,
    )
    started = time.monotonic()
    removed = unconfirmed_signups_discard(seconds=24 * 3600)
    took = time.monotonic() - started
    left = User.objects.filter(email__startswith=PREFIX).count()
    per_second = removed / took if took else float("inf")
    per_run = per_second * DISCARD_SECONDS
    print(f"{removed:,} stale sign-ups removed in {took:.1f} s: {per_second:,.0f}/s, {1000 / per_second:.2f} ms each")
    print(f"one run ({DISCARD_SECONDS:.0f} s) removes about {per_run:,.0f} (target {TARGET_PER_RUN:,}); left: {left}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if per_run >= TARGET_PER_RUN and left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
