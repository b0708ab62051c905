from tests.walk import Route, everyone

WALK = {
    "regions:list": Route(get=everyone(200)),
    "regions:rollout": Route(get=everyone(403, landelijk=200, beheerder=200)),
    "regions:create": Route(
        get=everyone(403, landelijk=200, beheerder=200),
        post=everyone(403, landelijk=200, beheerder=200),
        post_data=lambda w: {},
    ),
    "regions:detail": Route(
        get=everyone(200, lpa_b=404), kwargs=lambda w: {"code": w.region_a.code}
    ),
    "regions:update": Route(
        get=everyone(403, landelijk=200, beheerder=200),
        post=everyone(403, landelijk=200, beheerder=200),
        post_data=lambda w: {},
        kwargs=lambda w: {"code": w.region_a.code},
    ),
}
