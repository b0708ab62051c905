from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import audit
from .models import AuditEvent, Membership, User
from .second_factor import second_factor_reset

# What a beheerder may not change on their own account: who they are allowed to be is for
# another beheerder to decide (no self-granted access).
SELF_LOCKED_FIELDS = ["national_role", "is_active"]


def _is_self(request, obj) -> bool:
    return obj is not None and obj.pk is not None and obj.pk == request.user.pk


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
    """Memberships open case data: read-only on one's own account (another beheerder grants)."""

    model = Membership
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["region"]
    filter_horizontal = ["gemeenten"]

    def has_add_permission(self, request, obj=None):
        return not _is_self(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_self(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_self(request, obj) and super().has_delete_permission(request, obj)


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
    list_display = [
        "email",
        "full_name",
        "national_role",
        "is_active",
        "has_second_factor",
        "last_login",
    ]
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
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        # One query for the list: whether each user has a confirmed app or passkey.
        return (
            super()
            .get_queryset(request)
            .annotate(
                _has_second_factor=Exists(
                    TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
                )
                | Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True))
            )
        )

    @admin.display(boolean=True, description=_("second factor"), ordering="_has_second_factor")
    def has_second_factor(self, user) -> bool:
        return user._has_second_factor

    @admin.action(description=_("Reset second factor (the user sets it up again)"))
    def reset_second_factor(self, request, queryset):
        """Lost phone: remove the selected users' devices (audited); never one's own."""
        done = 0
        for user in queryset:
            try:
                second_factor_reset(user=user, by=request.user, request=request)
            except PermissionDenied as refusal:
                self.message_user(request, f"{user.email}: {refusal}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "The second factor of %(count)d user has been reset; they set it up again "
                    "at their next login.",
                    "The second factor of %(count)d users has been reset; they set it up again "
                    "at their next login.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _is_self(request, obj):
            fields += SELF_LOCKED_FIELDS
        return fields

    def save_model(self, request, obj, form, change):
        if _is_self(request, obj) and set(form.changed_data) & set(SELF_LOCKED_FIELDS):
            raise PermissionDenied  # the form cannot send them; refuse a forged request too
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        touched = any(f.has_changed() for f in formset.forms) or formset.deleted_forms
        if _is_self(request, form.instance) and formset.model is Membership and touched:
            raise PermissionDenied
        super().save_formset(request, form, formset, change)

    def user_change_password(self, request, id, form_url=""):
        """Setting a password is audited (who set whose), never silent."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = self.get_object(request, id)
            audit.record(
                audit.events.PASSWORD_SET_BY_BEHEERDER,
                request=request,
                obj=target,
                detail={"via": "beheer", "own_account": _is_self(request, target)},
            )
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "occurred_at",
        "user_label",
        "role",
        "type_label",
        "action",
        "outcome",
        "object_type",
        "object_label",
        "jeugdige_reference",
        "ip_address",
    ]
    list_filter = ["event_type", "action", "outcome", "object_type"]
    search_fields = ["user_label", "jeugdige_reference", "object_label"]
    date_hierarchy = "occurred_at"

    @admin.display(description=_("event"), ordering="event_type")
    def type_label(self, event) -> str:
        registered = event.type
        return str(registered.label) if registered is not None else event.event_type

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
