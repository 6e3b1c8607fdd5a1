"""Demand is counted by week: the Monday a moment falls in (in TIME_ZONE) names its week.

Aggregation, surge detection, the digests and the insight pages all read weeks this one way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as clock

from django.utils import timezone


def week_of(moment: datetime | date) -> date:
    """The Monday of the week `moment` falls in (in TIME_ZONE)."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def week_start(week: date) -> datetime:
    """The first moment of the week that starts on the Monday `week`."""
    return timezone.make_aware(datetime.combine(week, clock.min))
