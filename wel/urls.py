from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import account_views, views

# Django's auth URLs (django.contrib.auth.urls) with our login form, a rate-limited password
# reset that also lifts a lockout, and a logout reachable before the second factor.
account_urls = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.logout_view, name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tweede-factor/", account_views.second_factor, name="second_factor"),
    path(
        "tweede-factor/controle/", account_views.second_factor_verify, name="second_factor_verify"
    ),
    path("tweede-factor/app/", account_views.second_factor_totp, name="second_factor_totp"),
    path(
        "tweede-factor/herstelcodes/",
        account_views.second_factor_recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("sessie/", account_views.session_status, name="session_status"),
    path("sessie/verlengen/", account_views.session_keepalive, name="session_keepalive"),
    path("passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", include(account_urls)),
    path("account/instellingen/", views.account_settings, name="account_settings"),
    path("audit/", views.audit_log, name="audit_log"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("taal/", views.set_language, name="set_language"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path(
        "audit/verwerkingslog.jsonl",
        views.processing_log_export,
        name="processing_log_export",
    ),
    path("health/", views.health, name="health"),
    path("regio/", include("regions.urls")),
    # Before the cases URLs: "jeugdigen/<reference>/uitnodigen/" and the public family links.
    path("", include("family.urls")),
    # Documents and letters of a case (documents/): before the cases URLs, as family's.
    path("", include("documents.urls")),
    path("jeugdigen/", include("cases.urls")),
    path("gesprekken/", include("interviews.urls")),
    path("rapportages/", include("reports.urls")),
    path("meldingen/", include("notifications.urls")),  # notifications (issue 21 §3)
    path("beheer/", admin.site.urls),
    # Sign-in with the organisation's account (OpenID Connect; oidc/).
    path("account/organisatie/", include("oidc.urls")),
    # The API (issue 22 §2, docs/api.md): OAuth 2.0 client credentials, problem+json errors.
    path("api/v1/", include("api.urls")),
]
