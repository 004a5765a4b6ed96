"""System checks run by `manage.py check` (and so by `make run` before anything starts)."""

from django.core.checks import Error, register


@register()
def weasyprint_libraries(app_configs, **kwargs):
    """WeasyPrint needs Pango from the operating system to render the council's PDF reports."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return [
            Error(
                f"WeasyPrint cannot load its system libraries ({exc}).",
                hint="Install Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
                id="samhandling.E001",
            )
        ]
    return []
