"""Each person's language: their own choice, else their organisation's written form."""

from django.utils import translation

from avvik.models import Organisation
from avvik.selectors import roles_of


class PersonLanguageMiddleware:
    """Runs after authentication and overrides the browser's language for signed-in people."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language or _written_form(user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


def _written_form(user) -> str | None:
    organisations = roles_of(user).organisations
    if not organisations:
        return None
    return (
        Organisation.objects.filter(pk__in=organisations).order_by("pk").values_list("written_form", flat=True).first()
    )
