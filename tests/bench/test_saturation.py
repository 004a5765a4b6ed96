"""Which signed-in sessions a page is measured with under saturation."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import saturation


class _Queue(BaseHTTPRequestHandler):
    """Page 5 exists for the person with the long queue only."""

    def do_GET(self) -> None:
        self.send_response(200 if self.headers.get("Cookie") == "sessionid=long" else 404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Queue)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_page_is_asked_for_only_by_the_sessions_it_answers(site):
    cookies = ["sessionid=short", "sessionid=long", "sessionid=short", "sessionid=long"]
    assert saturation.answering(site + "/avvik/?page=5", cookies) == ["sessionid=long"]


def test_a_page_no_session_can_open_has_no_sessions(site):
    assert saturation.answering(site + "/avvik/?page=5", ["sessionid=short"]) == []
