"""Stored-XSS payloads, shared by the server-side checks and the browser test.

Each one would set `window.__xss` (or open a dialog) if it ever ran; each must come back as
the text that was written.
"""

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror=window.__xss=1>',
    "'><svg onload=window.__xss=1>",
    "javascript:window.__xss=1",
    "</textarea><script>window.__xss=1</script>",
    '" autofocus onfocus="window.__xss=1" x="',
    '<a href="javascript:alert(1)">lenke</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "{{ 7*7 }}{% debug %}${7*7}",
]

# File names keep < > and quotes but lose anything before a slash, so these have none.
FILE_NAMES = ['"><img src=x onerror=window.__xss=1>.txt', "<svg onload=window.__xss=1>.txt"]

# Markup that must never come back unescaped in HTML built from the payloads.
DANGEROUS = [
    "<script>window.__xss",
    "<img src=x",
    "<svg onload",
    'autofocus onfocus="',
    '<a href="javascript',
    "<iframe srcdoc",
    "</textarea><script",
]


def assert_inert(html: str) -> None:
    for dangerous in DANGEROUS:
        assert dangerous not in html, dangerous
