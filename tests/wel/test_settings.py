"""Settings fail loudly, naming the variable, instead of falling back to unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "wel.settings.production",
            "CACHE_URL": "redis://127.0.0.1:6379/9",
            **env_overrides,
        }
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_check({"ALLOWED_HOSTS": "wel.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_with_a_weak_secret_key_refuses_to_start():
    result = run_check({"SECRET_KEY": "short", "ALLOWED_HOSTS": "wel.example"})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = run_check({"SECRET_KEY": "x" * 64})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_with_debug_on_refuses_to_start():
    result = run_check({"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "wel.example", "DEBUG": "1"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_settings_start_with_the_required_variables():
    result = run_check({"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "wel.example"})
    assert result.returncode == 0, result.stderr


def test_a_malformed_database_url_names_the_variable():
    result = run_check(
        {"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "wel.example", "DATABASE_URL": "nonsense://"}
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr or "nonsense" in result.stderr


def test_production_refuses_a_cache_of_its_own_per_process():
    # More than one web process (issue 18 §7): a local-memory cache would count rate limits per
    # process. Production names the variable instead of starting.
    for url in ("locmemcache://wel", "dummycache://", "filecache:///tmp/wel-cache"):
        result = run_check(
            {"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "wel.example", "CACHE_URL": url}
        )
        assert result.returncode != 0, url
        assert "ImproperlyConfigured: CACHE_URL must name a cache shared" in result.stderr
