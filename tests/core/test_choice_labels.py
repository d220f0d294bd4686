"""The `label` template filter says what Django's `get_<field>_display()` says, in every language, without
translating every choice on every call (the request list's rows called it three times each)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from assignments.models import ClientCategory, HelpRequest, RequestStatus
from tests.assignments.factories import ClientFactory
from wijkwerken.core.templatetags.wijkwerken import label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_filter_says_what_django_says(leuven, language):
    client = ClientFactory(municipality=leuven)
    request = HelpRequest(status=RequestStatus.NEW)
    with translation.override(language):
        for category in ClientCategory.values:
            client.category = category
            assert label(client, "category") == client.get_category_display()
        for status in RequestStatus.values:
            request.status = status
            assert label(request, "status") == request.get_status_display()
        rendered = Template('{% load wijkwerken %}{{ c|label:"category" }}').render(Context({"c": client}))
        assert rendered == str(client.get_category_display())
    request.status = "onbekend"  # not a choice: the value itself, as Django does
    assert label(request, "status") == request.get_status_display() == "onbekend"


def test_an_object_without_the_field_gives_nothing_as_a_template_would():
    assert label(object(), "status") == "" and label(ClientCategory, "status") == ""
    assert Template('{% load wijkwerken %}[{{ x|label:"status" }}]').render(Context({"x": None})) == "[]"
