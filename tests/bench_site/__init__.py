"""Benchmark-only site for ``make bench`` (tests/bench.py): the product's URLs plus Django's
admin changelist of the case list's rows and the raw-SQL floor. Never part of the product's
URLs: only ``tests.bench_site.settings`` points here."""
