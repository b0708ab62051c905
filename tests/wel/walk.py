from tests.walk import Route, everyone

WALK = {
    "home": Route(get=everyone(200)),
    "account_settings": Route(
        get=everyone(200), post=everyone(200), post_data=lambda w: {"full_name": ""}
    ),
    "audit_log": Route(get=everyone(403, beheerder=200)),
    "audit_export": Route(get=everyone(403, beheerder=200)),
    "health": Route(get={}, public=True),
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
