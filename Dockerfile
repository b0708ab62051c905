# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=wel.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# The bytecode made once here: with PYTHONDONTWRITEBYTECODE every process (each gunicorn and
# Celery worker, each manage.py command) would otherwise compile the product's modules anew.
RUN python -m compileall -q -x '/(tests|node_modules)/' /app
RUN useradd --create-home --uid 1000 wel && mkdir -p /app/var && chown -R wel /app/var
USER wel
EXPOSE 8000
# Workers, timeout and bind come from gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_TIMEOUT).
CMD ["gunicorn", "wel.wsgi:application"]
