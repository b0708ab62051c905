"""gunicorn's settings for the web container (read from the working directory; command-line
options override them). See docs/operations.md for how to size workers against PostgreSQL's
connection limit."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: one request at a time each, one persistent database connection each.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# The import of an exemption list (at most 10 MB, 50,000 rows) runs inside the request and
# takes tens of seconds at the upper limit; gunicorn's default of 30 s would kill the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then, so slow memory growth (WeasyPrint, openpyxl) cannot pile up.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
