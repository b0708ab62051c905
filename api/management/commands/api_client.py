"""``manage.py api_client create|rotate|revoke|list`` (docs/api.md, "Creating a client")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import services
from api.models import ApiClient
from wel.models import Role


class Command(BaseCommand):
    help = "Create, rotate, revoke or list API clients (OAuth 2.0 client credentials)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="A new client; prints its id and secret once.")
        create.add_argument("--name", required=True)
        create.add_argument("--region", default="", help="The region's code.")
        create.add_argument(
            "--gemeente", action="append", default=[], help="CBS code; repeat for more."
        )
        create.add_argument("--role", default=Role.LPA, choices=list(Role.values))
        create.add_argument("--national", default="", help="landelijk_team")
        create.add_argument("--scopes", nargs="+", required=True)
        for name in ("rotate", "revoke"):
            action = sub.add_parser(name)
            action.add_argument("client", help="The client's id (the number `list` shows).")
        sub.add_parser("list")

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _print(self, credentials):
        self.stdout.write(f"client_id: {credentials.client_id}")
        self.stdout.write(f"client_secret: {credentials.client_secret}")
        self.stdout.write("The secret is shown only now: store it in the client's vault.")

    def _create(self, options):
        gemeenten = [code for value in options["gemeente"] for code in value.split(",") if code]
        credentials = services.client_create(
            name=options["name"],
            scopes=[s for value in options["scopes"] for s in value.split(",") if s],
            region_code=options["region"],
            gemeente_codes=gemeenten,
            role=options["role"],
            national_role=options["national"],
        )
        self.stdout.write(f"API client {credentials.client.pk} ({credentials.client.name})")
        self._print(credentials)

    def _client(self, options) -> ApiClient:
        client = (
            ApiClient.objects.select_related("application", "user")
            .filter(pk=options["client"] if str(options["client"]).isdigit() else None)
            .first()
        )
        if client is None:
            raise CommandError(f"There is no API client {options['client']}.")
        return client

    def _rotate(self, options):
        self._print(services.client_rotate(client=self._client(options)))

    def _revoke(self, options):
        client = services.client_revoke(client=self._client(options))
        self.stdout.write(f"API client {client.pk} ({client.name}) revoked.")

    def _list(self, options):
        for client in ApiClient.objects.select_related("application").order_by("pk"):
            state = "revoked" if client.revoked_at else "active"
            client_id = client.application.client_id if client.application else "-"
            self.stdout.write(f"{client.pk}\t{client.name}\t{client_id}\t{state}\t{client.scopes}")
