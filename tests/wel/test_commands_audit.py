"""Issue 9 §4: command-line tools that touch personal data require an operator (--user) and the
audit log names them."""

import pytest
from django.core.management import CommandError, call_command

from cases.models import Jeugdige
from tests.cases.test_import import GOOD, HEADER
from wel.models import AuditEvent

CSV = "\r\n".join([HEADER, GOOD[0]]) + "\r\n"


@pytest.mark.parametrize(
    "command",
    [
        ["import_jeugdigen", "{file}", "--region", "VO2202"],
        ["build_report", "region", "VO2202"],
    ],
)
def test_commands_require_an_operator(world, tmp_path, command):
    path = tmp_path / "lijst.csv"
    path.write_text(CSV, encoding="utf-8")
    args = [a.format(file=path) for a in command]
    with pytest.raises(CommandError, match="--user"):
        call_command(*args)
    with pytest.raises(CommandError, match="No account"):
        call_command(*args, "--user", "nobody@wel.test")


def test_import_runs_with_the_operators_rights_and_is_audited(world, tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="does not work on cases"):
        call_command(
            "import_jeugdigen", str(path), "--region", "VO2202", "--user", "lpa.b@wel.test"
        )
    call_command("import_jeugdigen", str(path), "--region", "VO2202", "--user", "lpa.a@wel.test")
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.user == world.user("lpa_a")
    assert Jeugdige.objects.get().created_by == world.user("lpa_a")


def test_build_report_names_the_operator(world):
    call_command("build_report", "region", "VO2202", "--user", "kartrekker.a@wel.test")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == world.user("kartrekker_a")
    assert event.on_behalf_of == "manage.py build_report"
