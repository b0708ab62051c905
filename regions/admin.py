from django.contrib import admin

from .models import Gemeente, Phase, Region


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "target_regions", "start_date"]


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["cbs_code", "name", "province"]
    search_fields = ["cbs_code", "name"]
    list_filter = ["province"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "reference_prefix", "phase", "joined_on", "is_active"]
    list_filter = ["phase", "kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields: list = []
    filter_horizontal = ["gemeenten"]
