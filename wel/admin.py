from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Membership, User


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's controls sit under a column header, which is not a label: give each
    control (and the delete checkbox) an accessible name (WCAG 4.1.2, axe "label"/"select-name")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if name == "DELETE":
                field.widget.attrs.setdefault("aria-label", _("Delete this row"))
            elif field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class MembershipInline(admin.StackedInline):
    model = Membership
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["region"]
    filter_horizontal = ["gemeenten"]


class WelUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class WelUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = WelUserChangeForm
    add_form = WelUserCreationForm
    ordering = ["full_name"]
    list_display = ["email", "full_name", "national_role", "is_active", "last_login"]
    list_filter = ["national_role", "is_active", "memberships__role"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "national_role", "is_active", "wants_digest"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "occurred_at",
        "user_label",
        "role",
        "action",
        "outcome",
        "object_type",
        "object_label",
        "jeugdige_reference",
        "ip_address",
    ]
    list_filter = ["action", "outcome", "object_type"]
    search_fields = ["user_label", "jeugdige_reference", "object_label"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
