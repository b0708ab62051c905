"""Pages of the cases app for ``make bench`` (tests/bench.py); EMM holds the scaled cases."""

BENCH_PAGES = [
    ("kartrekker.emm@wel.example", "/jeugdigen/", "case list (kartrekker, whole region)"),
    ("kartrekker.emm@wel.example", "/jeugdigen/?q=jansen&sort=-name", "case list, search + sort"),
    ("lpa.emm@wel.example", "/jeugdigen/?contact_overdue=1", "case list, contact overdue (LPA)"),
    ("lpa.emm@wel.example", "/jeugdigen/werklijst/", "worklist (LPA)"),
    ("kartrekker.emm@wel.example", "/jeugdigen/werklijst/", "worklist (kartrekker)"),
]
