"""The floor page, /bench/raw/: the least a list page can cost on this machine.

One raw SQL query for the 25 newest cases of a partnership through Django's connection, rendered
by a small Django template, behind whatever middleware the gunicorn serving it has (bench/settings.py:
the site's own, or only Django's session and authentication middleware for the bare floor). It
checks that the person is signed in, as every real page does, but reads no roles, no ORM objects
and no context processors. Measured in the same run as the real pages, a page's p95 or req/s
divided by the floor's is a ratio that can be compared between machines, where milliseconds cannot.
"""

import os
from functools import cache

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines

from bench.pages import FLOOR_PATH as PATH  # noqa: F401  (bench/urls.py and bench/single.py use it)
from bench.pages import LAYOUT_FLOOR_PATH as LAYOUT_PATH  # noqa: F401  (as PATH)

QUERY = """
    SELECT reference, title, status, created_at FROM cases_deviation
    WHERE partnership_id = %s ORDER BY created_at DESC, id DESC LIMIT 25
"""
TEMPLATE = """<!doctype html><html lang="nb"><title>Gulv</title><table>
{% for reference, title, status, created in rows %}<tr><td>{{ reference }}</td><td>{{ title }}</td>
<td>{{ status }}</td><td>{{ created|date:"Y-m-d H:i" }}</td></tr>{% endfor %}</table></html>"""


# The same rows inside the site's own layout: base.html with its navigation, the queue counts and
# everything else its context processors put on every page. No page of the site can cost less.
LAYOUT_TEMPLATE = """{% extends "base.html" %}{% block content %}<table>
{% for reference, title, status, created in rows %}<tr><td>{{ reference }}</td><td>{{ title }}</td>
<td>{{ status }}</td><td>{{ created|date:"Y-m-d H:i" }}</td></tr>{% endfor %}</table>{% endblock %}"""


@cache
def _template():
    return engines["django"].from_string(TEMPLATE)


@cache
def _layout_template():
    return engines["django"].from_string(LAYOUT_TEMPLATE)


def floor(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    partnership = int(os.environ.get("BENCH_PARTNERSHIP", "1"))
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [partnership])
        rows = cursor.fetchall()
    return HttpResponse(_template().render({"rows": rows}))


def layout_floor(request: HttpRequest) -> HttpResponse:
    """The floor's query and rows in the site's layout: the lower bound of every real page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [int(os.environ.get("BENCH_PARTNERSHIP", "1"))])
        rows = cursor.fetchall()
    return HttpResponse(_layout_template().render({"rows": rows}, request))
