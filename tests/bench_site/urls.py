"""The product's URLs, plus two pages to compare the case list with (benchmark only):

- ``/bench/admin/cases/jeugdige/``: Django's admin changelist over the same 25 rows (the same
  visible cases, the same order, the same columns), for a user who may see them;
- ``/bench/floor/``: the floor, the case list's own SQL written by hand (a count and 25 rows)
  rendered through a bare template.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from cases.models import Jeugdige
from wel.access import scope_for


class BenchAdminSite(admin.AdminSite):
    site_header = "Bench"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_authenticated


class JeugdigeBenchAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "given_name",
        "family_name",
        "date_of_birth",
        "gemeente",
        "grondslag",
        "status",
        "next_contact_due",
        "renewal_due",
        "assigned_lpa",
    )
    list_select_related = ("region", "gemeente", "assigned_lpa")
    list_filter = ("status", "grondslag", "is_focus")
    search_fields = ("reference", "given_name", "family_name")
    list_per_page = 25
    ordering = ("-created_at", "-pk")

    def get_queryset(self, request):
        return Jeugdige.objects.visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        return True

    def has_module_permission(self, request):
        return True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


bench_admin = BenchAdminSite(name="bench_admin")
bench_admin.register(Jeugdige, JeugdigeBenchAdmin)

FLOOR_TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Jeugdigen</title></head>
<body><main><h1>Jeugdigen</h1><p>{{ count }} jeugdigen</p><table><thead><tr>
<th>Reference</th><th>Name</th><th>Date of birth</th><th>Municipality</th><th>Grondslag</th>
<th>Status</th><th>Next contact</th><th>Renewal due</th><th>Assigned LPA</th></tr></thead><tbody>
{% for r in rows %}<tr><td><a href="/jeugdigen/{{ r.0 }}/">{{ r.0 }}</a></td>
<td>{{ r.1 }} {{ r.2 }}</td>
<td>{{ r.3|date:"d-m-Y" }}</td><td>{{ r.4 }}</td><td>{{ r.5 }}</td><td>{{ r.6 }}</td>
<td>{{ r.7|date:"d-m-Y"|default:"–" }}</td><td>{{ r.8|date:"d-m-Y"|default:"–" }}</td>
<td>{{ r.9|default:"–" }}</td></tr>{% endfor %}</tbody></table></main></body></html>"""
)


def floor(request):
    """The case list's work at its cheapest: the region's cases counted and the newest 25 read
    with plain SQL, then a bare template. Region scope only (the kartrekker's view)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    region_ids = sorted(scope_for(request.user).region_ids) or [0]
    marks = ", ".join(["%s"] * len(region_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM cases_jeugdige WHERE region_id IN ({marks})",  # noqa: S608
            region_ids,
        )
        (count,) = cursor.fetchone()
        cursor.execute(
            f"""SELECT j.reference, j.given_name, j.family_name, j.date_of_birth, g.name,
                      j.grondslag, j.status, j.next_contact_due, j.renewal_due, u.full_name
               FROM cases_jeugdige j
               JOIN regions_gemeente g ON g.id = j.gemeente_id
               LEFT JOIN wel_user u ON u.id = j.assigned_lpa_id
               WHERE j.region_id IN ({marks})
               ORDER BY j.created_at DESC, j.id DESC LIMIT 25""",  # noqa: S608 - only %s marks
            region_ids,
        )
        rows = cursor.fetchall()
    return HttpResponse(FLOOR_TEMPLATE.render({"count": count, "rows": rows}))


urlpatterns = [
    path("bench/admin/", bench_admin.urls),
    path("bench/floor/", floor),
    path("", include("wel.urls")),
]
