from django.core.management.base import BaseCommand

from regions.demo import DEMO_DOMAIN, DEMO_PASSWORD
from regions.models import Region
from wel.models import User
from wel.second_factor import DEMO_TOTP_KEY, totp_code, totp_secret_for_display


class Command(BaseCommand):
    help = "Print the demo logins: national roles and, per region, kartrekker and LPAs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="List every region, not only phase 1."
        )

    def handle(self, *args, all: bool, **options):
        out = self.stdout.write
        if not User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
            out("No demo users yet: run `manage.py seed_demo`.")
            return
        out(f"Demo logins (password for all: {DEMO_PASSWORD})")
        out(f"  landelijk team   landelijk@{DEMO_DOMAIN}")
        out(f"  beheerder        beheerder@{DEMO_DOMAIN}")
        regions = Region.objects.select_related("phase").order_by("phase__number", "name")
        if not all:
            regions = regions.filter(phase__number=1)
        for region in regions:
            p = region.reference_prefix.lower()
            out(f"  {region.name} ({region.code}, phase {region.phase.number}):")
            out(f"    kartrekker     kartrekker.{p}@{DEMO_DOMAIN}")
            out(f"    LPA            lpa.{p}@{DEMO_DOMAIN}  and  lpa2.{p}@{DEMO_DOMAIN}")
        if not all:
            out("  Every other region follows the same pattern: `manage.py demo_logins --all`.")
        out("Second factor (demo users only): the code now is " + totp_code(DEMO_TOTP_KEY))
        out("  It changes every 30 seconds: run `manage.py demo_logins` again for a fresh one,")
        out(f"  or add this key to an authenticator app: {totp_secret_for_display(DEMO_TOTP_KEY)}")
