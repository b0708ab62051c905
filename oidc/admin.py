from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wel.admin import LabelledInlineFormSet

from .models import GroupMapping, Identity, Provider


class GroupMappingInline(admin.TabularInline):
    model = GroupMapping
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = []
    filter_horizontal = ["gemeenten"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    """The organisations whose accounts sign in to WEL (docs/security.md)."""

    list_display = ["name", "slug", "issuer", "client_id", "enabled", "create_users", "order"]
    list_filter = ["enabled"]
    search_fields = ["name", "slug", "issuer"]
    inlines = [GroupMappingInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "enabled", "order"]}),
        (
            _("Connection"),
            {"fields": ["issuer", "discovery_url", "client_id", "client_secret", "scopes"]},
        ),
        (
            _("Accounts"),
            {"fields": ["link_claim", "allowed_domains", "create_users", "groups_claim"]},
        ),
        (_("Second factor"), {"fields": ["mfa_acr_values", "mfa_amr_values"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        from django import forms

        # The secret is never shown again once saved (type it anew to change it).
        form.base_fields["client_secret"].widget = forms.PasswordInput(render_value=False)
        form.base_fields["client_secret"].required = False
        return form

    def save_model(self, request, obj, form, change):
        if change and not form.cleaned_data.get("client_secret"):
            obj.client_secret = Provider.objects.get(pk=obj.pk).client_secret
        super().save_model(request, obj, form, change)


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Who is linked to which organisation account. Read-only; deleting unlinks (the next
    sign-in links again by the rule, or refuses)."""

    list_display = ["user", "provider", "subject", "created_at", "last_used_at"]
    list_filter = ["provider"]
    search_fields = ["user__email", "subject"]
    list_select_related = ["user", "provider"]
    fields = ["user", "provider", "subject", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
