import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    # The messages are compared in their English source text.
    with translation.override("en"):
        yield
