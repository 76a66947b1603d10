"""A live server for browser tests, and the system Chromium that visits it.

The server shares the test's database connection, so it sees the rows the test made inside its
transaction, and everything is rolled back afterwards like in any other test (pytest-django's
`live_server` needs `transactional_db`, whose flush would also wipe the merchants that
tests/conftest.py provisions once per session). It is single-threaded: one request at a time on
the one connection, each routed to its schema by the tenant middleware as in production."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, connections
from django.test.testcases import _MediaFilesHandler

CHROMIUM = os.environ.get("ORION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium calls home at start-up, and a closed network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every merchant and store host of the test domain is this machine.
    "--host-resolver-rules=MAP *.orion.test 127.0.0.1, MAP orion.test 127.0.0.1",
]
INSTALL_HINT = (
    "The browser tests need Debian's Chromium at {path} (or ORION_CHROMIUM=<another Chromium "
    "binary>). Install it with `sudo apt-get update && sudo apt-get install -y chromium`; "
    ".ci/run does this in CI. Not `playwright install`: Orion tests with the system browser."
)


class _QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@dataclass(frozen=True)
class LiveServer:
    port: int

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"


@contextmanager
def shared_connection_server() -> Iterator[LiveServer]:
    # Django closes "obsolete" connections when a request starts and ends; inside the test's
    # transaction that would close the shared connection and lose the test's rows.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    main_connection = connections["default"]
    httpd = WSGIServer(("127.0.0.1", 0), _QuietRequestHandler, allow_reuse_address=False)
    # Uploaded images: tests run with DEBUG off, so the URLconfs do not serve MEDIA_URL.
    httpd.set_app(_MediaFilesHandler(WSGIHandler()))

    def serve() -> None:
        connections["default"] = main_connection
        httpd.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(port=httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
        connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
