"""Who may open which reports page (see reports/selectors.py for the policy)."""

from tests.reports import factories as f
from tests.walk import Route, everyone


def build(world):
    from regions.models import Phase

    world.extra.report_a = f.done_report(region=world.region_a)  # "regio": exact, confidential
    world.extra.report_failed_a = f.report(
        region=world.region_a, status="failed", error="The worker stopped."
    )
    world.extra.report_phase = f.done_report(phase=Phase.objects.get(number=1))
    kid = f.jeugdige(world.region_a, world.emmen, is_focus=True)
    world.extra.reports_kid = kid


def region_a(w):
    return {"code": w.region_a.code}


DASH = everyone(200, lpa_b=404, beheerder=403)
WALK = {
    "reports:list": Route(get=everyone(200, beheerder=403)),
    "reports:national_dashboard": Route(get=everyone(403, landelijk=200)),
    "reports:national_export": Route(
        get=everyone(403, landelijk=200), kwargs=lambda w: {"key": "regions", "fmt": "csv"}
    ),
    "reports:request_phase": Route(
        get=everyone(403, landelijk=405),
        post=everyone(403, landelijk=302),
        post_data=lambda w: {"phase": "1"},
    ),
    "reports:region_dashboard": Route(get=DASH, kwargs=region_a),
    # a breakdown of a region: its own people only; the landelijk team gets the key figures
    # (issue 20: no breakdown per region for national roles, 404)
    "reports:region_export": Route(
        get={**DASH, "landelijk": 404},
        kwargs=lambda w: {"code": w.region_a.code, "key": "status", "fmt": "xlsx"},
    ),
    "reports:request_region": Route(
        get=everyone(405),
        post=everyone(302, lpa_a=403, lpa_b=404, beheerder=403),
        post_data=lambda w: {},
        kwargs=region_a,
    ),
    # a region's confidential ("regio") report: never the landelijk team (404, as any report
    # outside one's scope); tests/reports/test_views.py walks the "landelijk" variant
    "reports:detail": Route(
        get=everyone(200, lpa_b=404, landelijk=404, beheerder=404),
        kwargs=lambda w: {"pk": w.report_a.pk},
    ),
    "reports:progress": Route(
        get=everyone(200, lpa_b=404, landelijk=404, beheerder=404),
        kwargs=lambda w: {"pk": w.report_a.pk},
    ),
    "reports:download": Route(
        get=everyone(200, lpa_b=404, landelijk=404, beheerder=404),
        kwargs=lambda w: {"pk": w.report_a.pk},
    ),
    "reports:retry": Route(
        get=everyone(405),
        post=everyone(302, lpa_a=403, lpa_b=404, landelijk=404, beheerder=404),
        post_data=lambda w: {},
        kwargs=lambda w: {"pk": w.report_failed_a.pk},
    ),
}
