"""Backup and restore (issue 10 §4), exactly as docs/operations.md documents them: pg_dump in
custom format plus an archive of the media folder; restored into a fresh database, the same
cases, audit lines and report files are there, and the audit table is append-only again."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from tests.cases.factories import make_jeugdige
from tests.celery_harness import database_url
from tests.conftest import need_services
from tests.reports import factories as f

from .production import ROOT

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def admin(sql: str) -> None:
    """CREATE/DROP DATABASE on the server's maintenance database (outside a transaction)."""
    conn = psycopg2.connect(database_url().rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


@pytest.fixture
def fresh_database():
    name = f"wel_restore_{uuid.uuid4().hex[:8]}"
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield name, database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restores_into_a_fresh_database_with_the_same_cases_and_audit(
    world, tmp_path, fresh_database
):
    need_services(postgres=True)
    for family_name in ("Backup", "Terugzet", "Herstel"):
        make_jeugdige(world, family_name=family_name)  # each writes audit lines too
    report = f.done_report(region=world.region_a)
    source = database_url()
    cases_sql = "SELECT * FROM cases_jeugdige ORDER BY id"
    audit_sql = "SELECT * FROM wel_auditevent ORDER BY id"
    cases, audit = rows(source, cases_sql), rows(source, audit_sql)
    assert len(cases) == 3 and len(audit) >= 3

    # Back up: the database and the media folder (docs/operations.md "Backups").
    dump, media = tmp_path / "wel.dump", tmp_path / "media.tar.gz"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source],
        check=True,
        timeout=300,
    )
    with tarfile.open(media, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    # Restore into a fresh, empty database and a fresh media folder.
    name, target = fresh_database
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "-d", target,
         str(dump)],
        check=True,
        timeout=300,
    )  # fmt: skip
    restored_media = tmp_path / "restored"
    with tarfile.open(media) as archive:
        archive.extractall(restored_media, filter="data")

    assert rows(target, cases_sql) == cases
    assert rows(target, audit_sql) == audit
    assert (restored_media / "media" / report.file.name).read_bytes() == default_storage.open(
        report.file.name
    ).read()
    # The restored audit table is still append-only.
    with pytest.raises(psycopg2.Error, match="append-only"):
        rows(target, "DELETE FROM wel_auditevent RETURNING id")
    # And the application sees a complete schema there: no migration is missing.
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": target, "DJANGO_SETTINGS_MODULE": "wel.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
