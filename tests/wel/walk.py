from tests.walk import Route, everyone

WALK = {
    "home": Route(get=everyone(200)),
    "account_settings": Route(
        get=everyone(200), post=everyone(200), post_data=lambda w: {"full_name": ""}
    ),
    "audit_log": Route(get=everyone(403, beheerder=200)),
    "audit_export": Route(get=everyone(403, beheerder=200)),
    "processing_log_export": Route(get=everyone(403, beheerder=200)),
    "health": Route(get={}, public=True),
    "accessibility": Route(get={}, public=True),
    "favicon": Route(get={}, public=True),
    "security_txt": Route(get={}, public=True),
    "set_language": Route(
        get=everyone(405), post=everyone(302), post_data=lambda w: {"language": "en"}, public=True
    ),
    "login": Route(get={}, public=True),
    "logout": Route(get=everyone(405), post=everyone(302), public=True),
    "password_change": Route(get=everyone(200)),
    "password_change_done": Route(get=everyone(200)),
    "password_reset": Route(get={}, public=True),
    "password_reset_done": Route(get={}, public=True),
    "password_reset_confirm": Route(
        get={}, public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}
    ),
    "password_reset_complete": Route(get={}, public=True),
}

# Second factor, session warning and passkey endpoints (every persona's session is verified by
# the conftest helper; tests/wel/test_second_factor.py walks them unverified).
WALK.update(
    {
        "second_factor": Route(get=everyone(200)),
        # Already verified: sent on, for a GET and a POST alike (the form is fuzzed through
        # tests/test_forms_hostile.py's FORM_ELSEWHERE).
        "second_factor_verify": Route(
            get=everyone(302), post=everyone(302), post_data=lambda w: {"token": "000000"}
        ),
        "second_factor_totp": Route(
            get=everyone(200), post=everyone(200), post_data=lambda w: {"token": "000000x"}
        ),
        "second_factor_recovery_codes": Route(get=everyone(200), post=everyone(302)),
        "session_status": Route(get=everyone(200)),
        "session_keepalive": Route(get=everyone(405), post=everyone(200)),
        "otp_webauthn:credential-registration-begin": Route(get=everyone(405), post=everyone(200)),
        "otp_webauthn:credential-registration-complete": Route(
            get=everyone(405), post=everyone(400)
        ),
        "otp_webauthn:credential-authentication-begin": Route(
            get=everyone(405), post=everyone(200)
        ),
        "otp_webauthn:credential-authentication-complete": Route(
            get=everyone(405), post=everyone(400)
        ),
        "otp_webauthn:js-i18n-catalog": Route(get=everyone(200)),
    }
)
