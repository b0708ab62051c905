"""Which regions and which period a figure is about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

MAX_MONTHS = 36  # the longest trend drawn


@dataclass(frozen=True)
class Span:
    """Which regions (``None``: all of them) and which period the figures are about."""

    region_ids: tuple[int, ...] | None
    start: date
    end: date
    today: date

    @classmethod
    def for_regions(
        cls, region_ids: Iterable[int] | None, start: date, end: date, today: date | None = None
    ) -> Span:
        ids = None if region_ids is None else tuple(sorted(region_ids))
        return cls(region_ids=ids, start=start, end=end, today=today or timezone.localdate())

    def q(self, field: str = "region") -> Q:
        return Q() if self.region_ids is None else Q(**{f"{field}_id__in": self.region_ids})

    def region_pk_q(self) -> Q:
        """The regions themselves."""
        return Q() if self.region_ids is None else Q(pk__in=self.region_ids)

    def months(self) -> list[date]:
        """The first day of every month the period touches (at most :data:`MAX_MONTHS`)."""
        first = self.start.replace(day=1)
        months, m = [], first
        while m <= self.end and len(months) < MAX_MONTHS:
            months.append(m)
            m = next_month(m)
        return months

    def trend_months(self) -> list[date]:
        """The months of the trend: those of the period, or the end's month for a period that
        ends before it starts."""
        return self.months() or [self.end.replace(day=1)]


def next_month(m: date) -> date:
    return (m + timedelta(days=32)).replace(day=1)


def start_of(day: date):
    """Local midnight at the start of ``day`` (an aware datetime): a range filter that can use
    an index, unlike ``__date`` which converts every row."""
    return timezone.make_aware(datetime.combine(day, time.min))
