from django import template

from regions.models import Region

register = template.Library()


@register.simple_tag
def member_regions(scope):
    """The regions a user is a member of (for links to their dashboards). One query."""
    if not scope.region_ids:
        return []
    return list(Region.objects.filter(pk__in=sorted(scope.region_ids)).only("code", "name"))
