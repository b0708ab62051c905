from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Gemeente,
    Learning,
    LearningTheme,
    Phase,
    Region,
    Training,
    TrainingRegistration,
    TrainingSession,
)


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "target_regions", "start_date"]


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["cbs_code", "name", "province"]
    search_fields = ["cbs_code", "name"]
    list_filter = ["province"]
    fieldsets = [
        (None, {"fields": ["cbs_code", "name", "province"]}),
        (
            _("Letterhead of letters to families"),
            {
                "fields": [
                    "letter_address",
                    "letter_postcode",
                    "letter_city",
                    "letter_phone",
                    "letter_email",
                    "letter_website",
                ]
            },
        ),
    ]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "reference_prefix", "phase", "joined_on", "is_active"]
    list_filter = ["phase", "kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields: list = []
    filter_horizontal = ["gemeenten"]


class LearningThemeInline(admin.TabularInline):
    model = LearningTheme
    extra = 0


class LearningAdminForm(forms.ModelForm):
    """A published learning edited in the admin gets the service's shared-text check, against
    the names its author can see."""

    class Meta:
        model = Learning
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin decides which fields it shows

    def clean(self):
        cleaned = super().clean()
        author = cleaned.get("author") or getattr(self.instance, "author", None)
        if cleaned.get("status") == Learning.Status.PUBLISHED and author is not None:
            from .services import check_learning_text

            check_learning_text(
                author=author,
                title=cleaned.get("title", ""),
                lesson=cleaned.get("lesson", ""),
                context=cleaned.get("context", ""),
            )
        return cleaned


@admin.register(Learning)
class LearningAdmin(admin.ModelAdmin):
    """For taking down a learning that should not have been published."""

    form = LearningAdminForm

    list_display = ["title", "region", "author", "status", "published_at"]
    list_filter = ["status", "kind", "themes__theme"]
    search_fields = ["title", "lesson"]
    inlines = [LearningThemeInline]
    raw_id_fields = ["author"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title"]


class TrainingRegistrationInline(admin.TabularInline):
    model = TrainingRegistration
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "promoted_at", "cancelled_at"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["training", "starts_at", "place", "is_online", "capacity", "is_published"]
    list_filter = ["is_online", "is_published", "training"]
    inlines = [TrainingRegistrationInline]
