"""cases.counts: cached counts are exact after every kind of write (never a stale number)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import counts, importer, retention, selectors, services
from cases.models import CasesVersion, Jeugdige
from reports import metrics
from tests.cases.factories import make_jeugdige
from tests.cases.test_import import GOOD, HEADER, csv_bytes
from tests.factories import MembershipFactory, UserFactory
from wel.models import Role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _figures(world) -> dict:
    """Every cached number, read as the pages read them."""
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    span = metrics.Span.for_regions([world.region_a.pk], TODAY - dt.timedelta(days=365), TODAY)
    visible = selectors.jeugdigen_for_user(kartrekker)
    return {
        "worklist kartrekker": selectors.worklist_counts(user=kartrekker),
        "worklist lpa": selectors.worklist_counts(user=lpa),
        "list count": counts.count(visible, region_ids=[world.region_a.pk]),
        "dashboard": metrics.jeugdige_counts(span).totals(
            ["n", "contact_overdue", "renewal_overdue", "no_recent_contact"]
        ),
    }


def _fresh(world) -> dict:
    cache.clear()
    return _figures(world)


def _check(world) -> None:
    """The cached figures (not cleared) equal freshly counted ones."""
    cached = _figures(world)
    assert cached == _fresh(world)


def test_every_write_path_changes_the_cached_counts(world, tmp_path):
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    j = make_jeugdige(world, next_contact_due=TODAY - dt.timedelta(days=2))
    first = _fresh(world)
    assert first["worklist kartrekker"]["contact_overdue"] == 1
    _check(world)

    make_jeugdige(world, given_name="Twee")  # create
    _check(world)
    assert _figures(world)["list count"] == 2

    services.contact_add(  # a contact moves next_contact_due: no longer overdue
        jeugdige=j,
        date=TODAY,
        kind="telefoon",
        summary="gebeld",
        by=lpa,
        next_contact_due=TODAY + dt.timedelta(days=30),
    )
    _check(world)
    assert _figures(world)["worklist kartrekker"]["contact_overdue"] == 0

    j.refresh_from_db()
    services.jeugdige_update(  # update
        jeugdige=j,
        data={"next_contact_due": TODAY - dt.timedelta(days=1)},
        version=j.version,
        by=kartrekker,
    )
    _check(world)
    assert _figures(world)["worklist kartrekker"]["contact_overdue"] == 1

    j.refresh_from_db()
    to = services.allowed_transitions(j.status)[0]
    services.jeugdige_transition(jeugdige=j, to=to, by=kartrekker, version=j.version)  # status
    _check(world)

    j.refresh_from_db()
    services.jeugdige_close(jeugdige=j, reason="verhuisd", by=kartrekker, version=j.version)
    _check(world)
    assert _figures(world)["worklist kartrekker"]["contact_overdue"] == 0

    result = importer.run_import(  # import
        csv_bytes([HEADER, *GOOD]),
        filename="lijst.csv",
        region=world.region_a,
        commit=True,
        by=kartrekker,
    )
    assert result.created
    _check(world)
    assert _figures(world)["list count"] == 2 + result.created


def test_retention_deletion_changes_the_cached_counts(world):
    # past the 19-year term, inside the 30 years a date of birth may lie back (wel.validation)
    born = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=int(20.5 * 365))
    j = make_jeugdige(world, date_of_birth=born)
    services.jeugdige_close(jeugdige=j, reason="verhuisd", by=world.user("kartrekker_a"))
    assert _fresh(world)["list count"] == 1
    retention.retention_apply(operator_label="test")
    assert not Jeugdige.objects.filter(pk=j.pk).exists()
    _check(world)
    assert _figures(world)["list count"] == 0


def _clone(j: Jeugdige, reference: str, **changes) -> Jeugdige:
    """An unsaved copy of ``j`` under another reference (and without a BSN)."""
    data = {
        f.attname: getattr(j, f.attname)
        for f in Jeugdige._meta.concrete_fields
        if f.attname not in ("id", "reference", "bsn")
    }
    return Jeugdige(**{**data, "reference": reference, "bsn": "", **changes})


def _raw_update(world, j):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_jeugdige SET next_contact_due = %s WHERE id = %s",
            [TODAY - dt.timedelta(days=9), j.pk],
        )


def _set_null_by_deleting_the_lpa(world, j):
    # The beheer deletes the account; Django's collector SETs NULL on assigned_lpa with one
    # UPDATE statement: no service, no signal per case.
    world.user("lpa_a").delete()


def _create(world, j):
    copy = _clone(j, "X-1")
    fields = [f.attname for f in Jeugdige._meta.concrete_fields if not f.primary_key]
    Jeugdige.objects.create(**{name: getattr(copy, name) for name in fields})


def _save(world, j):
    j.next_contact_due = TODAY - dt.timedelta(days=5)
    j.save()


# Every way a row of cases_jeugdige can be written; each must replace region A's token.
WRITES = {
    "Model.save (update)": _save,
    "objects.create": _create,
    "bulk_create": lambda world, j: Jeugdige.objects.bulk_create(
        [_clone(j, "X-2"), _clone(j, "X-3")]
    ),
    "QuerySet.update": lambda world, j: Jeugdige.objects.filter(pk=j.pk).update(
        next_contact_due=TODAY - dt.timedelta(days=7)
    ),
    "bulk_update": lambda world, j: Jeugdige.objects.bulk_update(
        [_clone(j, j.reference, id=j.pk, next_contact_due=None)], ["next_contact_due"]
    ),
    "Model.delete": lambda world, j: j.delete(),
    "QuerySet.delete": lambda world, j: Jeugdige.objects.filter(pk=j.pk).delete(),
    "raw SQL UPDATE": _raw_update,
    "SET NULL when the assigned LPA's account is deleted": _set_null_by_deleting_the_lpa,
}  # fmt: skip


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_kind_of_write_replaces_the_regions_token(world, write):
    """The database replaces the token (triggers, cases/0011), whoever writes and however: the
    cached figures are then recounted and equal fresh ones; another region keeps its token."""
    j = make_jeugdige(
        world, next_contact_due=TODAY - dt.timedelta(days=2), assigned_lpa=world.user("lpa_a")
    )
    _fresh(world)
    a, b = world.region_a.pk, world.region_b.pk
    before = dict(counts.tokens([a, b]))
    WRITES[write](world, j)
    after = dict(counts.tokens([a, b]))
    assert after[a] != before[a]
    assert after.get(b) == before.get(b)
    if write != "SET NULL when the assigned LPA's account is deleted":
        _check(world)


def test_moving_a_case_replaces_both_regions_tokens(world):
    j = make_jeugdige(world)
    make_jeugdige(world, gemeente=world.assen, region=world.region_b, by=world.user("lpa_b"))
    a, b = world.region_a.pk, world.region_b.pk
    before = dict(counts.tokens([a, b]))
    Jeugdige.objects.filter(pk=j.pk).update(region=b, gemeente=world.assen)
    after = dict(counts.tokens([a, b]))
    assert after[a] != before[a] and after[b] != before[b]


def test_no_changed_row_and_a_rolled_back_write_keep_the_token(world):
    j = make_jeugdige(world)
    before = counts.tokens(None)
    Jeugdige.objects.filter(pk=-1).update(given_name="Niemand")  # a statement, no row
    assert counts.tokens(None) == before
    with pytest.raises(RuntimeError), transaction.atomic():
        Jeugdige.objects.filter(pk=j.pk).update(given_name="Ander")
        raise RuntimeError
    assert counts.tokens(None) == before


def test_deleting_an_lpas_account_recounts_the_other_lpas_worklist(world, client_for):
    """Found: a beheerder deleted an LPA's account; their cases became unassigned (SET NULL),
    so they belong on every LPA's worklist of the municipality, but the other LPA's cached
    totals still left them out until some case of the region was written again."""
    other = UserFactory(email="lpa.a2@wel.test", full_name="Olga LPA-A2")
    MembershipFactory(user=other, region=world.region_a, role=Role.LPA, gemeenten=[world.emmen])
    lpa = world.user("lpa_a")
    make_jeugdige(world, next_contact_due=TODAY - dt.timedelta(days=3), assigned_lpa=lpa)
    assert selectors.worklist_counts(user=other)["contact_overdue"] == 0  # not theirs
    response = client_for("beheerder").post(
        reverse("admin:wel_user_delete", args=[lpa.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not type(lpa).objects.filter(pk=lpa.pk).exists()
    other = type(other).objects.get(pk=other.pk)  # a new request: a new scope
    assert selectors.worklist_counts(user=other)["contact_overdue"] == 1


def test_the_cache_is_really_used(world):
    """Proves the figures come from the cache (so the tests above can fail): with the token
    put back as if a write had gone unseen, the old figure is served."""
    make_jeugdige(world)
    assert _fresh(world)["list count"] == 1
    a = world.region_a.pk
    ((_, token),) = counts.tokens([a])
    WRITES["bulk_create"](world, Jeugdige.objects.get())
    CasesVersion.objects.filter(region_id=a).update(token=token)
    assert _figures(world)["list count"] == 1  # cached under the (restored) token
    cache.clear()
    assert _figures(world)["list count"] == 3


def test_the_case_list_shows_the_exact_total_after_a_write(world, client_for):
    client = client_for("kartrekker_a")
    make_jeugdige(world)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == 1
    make_jeugdige(world, given_name="Twee")
    assert client.get(reverse("cases:list")).context["page"].paginator.count == 2


@pytest.mark.services
def test_the_application_role_replaces_the_token_too(world):
    """In production the app connects as a role without ownership (``grant_app_role``); the
    trigger runs with that role's rights, which must suffice."""
    import uuid

    from django.core.management import call_command

    from tests.conftest import need_services

    need_services(postgres=True)
    j = make_jeugdige(world)
    role = f"wel_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')  # gone with the test's rollback
    call_command("grant_app_role", role)
    before = counts.tokens([world.region_a.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        cursor.execute("UPDATE cases_jeugdige SET given_name = 'Anna' WHERE id = %s", [j.pk])
        cursor.execute("RESET ROLE")
    assert counts.tokens([world.region_a.pk]) != before


def test_the_trigger_is_there_and_comes_back_after_migrate(db):
    """SQLite drops a table's triggers when Django rebuilds the table for a later migration;
    the post_migrate handler installs whatever is missing (cases/apps.py)."""
    from cases import db_triggers
    from cases.apps import _reinstall_token_trigger

    assert db_triggers.installed(connection) == db_triggers.expected(connection)
    db_triggers.uninstall(connection)  # as a table rebuild would
    assert db_triggers.installed(connection) == set()
    _reinstall_token_trigger(sender=None, using=connection.alias)
    assert db_triggers.installed(connection) == db_triggers.expected(connection)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_token_changes_at_commit_and_holds_no_writer_back(world):
    """Found in review of the first trigger (per statement): an import's first batch locked
    its region's token until the import committed, holding every save in the region back, and
    a deleted account's two SET NULL statements could deadlock with an LPA's save. The token is
    now replaced at COMMIT: another connection writes a case of the same region while this
    transaction has written one, without waiting."""
    from django.db import connections

    from tests.conftest import need_services

    need_services(postgres=True)
    first, second = make_jeugdige(world), make_jeugdige(world, given_name="Twee")
    region = [world.region_a.pk]
    before = counts.tokens(region)
    other = connections.create_connection(connection.alias)
    try:
        with transaction.atomic():
            Jeugdige.objects.filter(pk=first.pk).update(given_name="Anna")
            assert counts.tokens(region) == before  # replaced only at COMMIT
            with other.cursor() as cursor:  # autocommit: its own transaction
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute(
                    "UPDATE cases_jeugdige SET given_name = 'Bob' WHERE id = %s", [second.pk]
                )
            between = counts.tokens(region)
            assert between != before  # the other writer committed its own new token
        assert counts.tokens(region) not in (before, between)  # and so did this one
    finally:
        other.close()


def test_counts_inside_a_transaction_are_made_afresh_and_not_kept(world):
    """A write inside a transaction replaces the token at COMMIT only. A count made in that
    transaction must neither come from the cache nor go into it: here the write is rolled
    back, and a kept count would include it under the old token."""
    if connection.vendor == "postgresql":  # as in production, not as the test setup has it
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS cases_jeugdige_token DEFERRED")
    make_jeugdige(world)
    visible = Jeugdige.objects.filter(region=world.region_a)
    region = [world.region_a.pk]
    assert counts.count(visible, region_ids=region) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        make_jeugdige(world, given_name="Twee")
        assert counts.count(visible, region_ids=region) == 2  # afresh, not the cached 1
        raise RuntimeError  # rolled back
    assert counts.count(visible, region_ids=region) == 1


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_one_commit_replaces_every_region_it_wrote_and_no_other(world):
    """Regions are noted per statement and their tokens replaced together at COMMIT, in region
    order; a write rolled back to a savepoint is not noted."""
    from tests.conftest import need_services

    need_services(postgres=True)
    a, b = world.region_a.pk, world.region_b.pk
    in_a = make_jeugdige(world)
    in_b = make_jeugdige(world, gemeente=world.assen, region=world.region_b, by=world.user("lpa_b"))
    before = dict(counts.tokens([a, b]))
    with transaction.atomic():
        Jeugdige.objects.filter(pk=in_b.pk).update(given_name="Bea")  # B first, then A
        Jeugdige.objects.filter(pk=in_a.pk).update(given_name="Anna")
        assert dict(counts.tokens([a, b])) == before
    after = dict(counts.tokens([a, b]))
    assert after[a] != before[a] and after[b] != before[b]
    with transaction.atomic():
        Jeugdige.objects.filter(pk=in_a.pk).update(given_name="Anne")
        with pytest.raises(RuntimeError), transaction.atomic():
            Jeugdige.objects.filter(pk=in_b.pk).update(given_name="Bo")
            raise RuntimeError
    last = dict(counts.tokens([a, b]))
    assert last[a] != after[a] and last[b] == after[b]


@pytest.mark.parametrize("persona", ["kartrekker_a", "lpa_a"])
def test_the_case_lists_count_is_per_question_not_per_page(world, client_for, persona):
    """The case list's count is cached under the user's scope, the filter's input and the day
    (not its SQL, issue 23): each filter has its own count, the page and the order share one."""
    cache.clear()
    for i in range(3):
        make_jeugdige(world, given_name=f"Telling{i}")
    other = make_jeugdige(world, given_name="Anders")
    Jeugdige.objects.filter(pk=other.pk).update(status="in_beeld")
    client = client_for(persona)
    url = reverse("cases:list")

    def shown(**query):
        page = client.get(url, query).context["page"]
        return page.paginator.count

    everyone = selectors.jeugdigen_list(user=world.user(persona), filters={}).qs.count()
    assert shown() == everyone
    assert (
        shown(status="aangemeld")
        == selectors.jeugdigen_list(
            user=world.user(persona), filters={"status": "aangemeld"}
        ).qs.count()
    )
    assert shown(status="aangemeld") != everyone
    assert shown(sort="name", page=2) == everyone
    assert shown(q="Telling") <= 3
