"""The site as gunicorn serves it, plus one bench-only page: /bench/raw/.

The raw page is the least a list page can cost on this machine: one SQL query for the 25
newest cases of a partnership through Django's connection, escaped into a bare HTML table,
with no middleware, session, template or ORM. Served by the same workers under the same load,
each real page's latency divided by the raw page's is a ratio that can be compared between
machines, where milliseconds cannot.
"""

import html
import os

from samhandling.wsgi import application as site

PATH = "/bench/raw/"
QUERY = """
    SELECT reference, title, status, created_at FROM cases_deviation
    WHERE partnership_id = %s ORDER BY created_at DESC, id DESC LIMIT 25
"""


def raw_page(environ, start_response):
    from django.db import close_old_connections, connection

    close_old_connections()  # the same connection handling as a Django request
    partnership = int(os.environ.get("BENCH_PARTNERSHIP", "1"))
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [partnership])
        rows = cursor.fetchall()
    cells = "".join(
        f"<tr><td>{html.escape(str(ref))}</td><td>{html.escape(title)}</td><td>{status}</td><td>{created}</td></tr>"
        for ref, title, status, created in rows
    )
    body = f"<!doctype html><title>raw</title><table>{cells}</table>".encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    if environ.get("PATH_INFO") == PATH:
        return raw_page(environ, start_response)
    return site(environ, start_response)
