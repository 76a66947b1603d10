"""A local stand-in for the VIES REST service: POST /check-vat-number with the same JSON.

Modes: "ok" (answers from ``registry``), "down" (HTTP 500 with a SERVICE_UNAVAILABLE error
wrapper, as VIES does), "ms_unavailable" (the member state's system is down), "garbage" (an
answer that is not VIES JSON), "slow" (answers after ``delay`` seconds), "flaky" (fails
``failures`` times, then answers).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeVies:
    def __init__(self):
        self.registry: dict[str, dict] = {}
        self.mode = "ok"
        self.delay = 0.0
        self.failures = 0
        self.garbage = "<html>maintenance</html>"
        self.requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}/taxation_customs/vies/rest-api"

    def register(self, number: str, name: str = "", address: str = "") -> None:
        self.registry[number] = {"name": name, "address": address}

    def start(self) -> FakeVies:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, body: dict) -> tuple[int, dict | str]:
        if self.mode == "garbage":
            return 200, self.garbage
        if self.mode == "down":
            return 500, {
                "actionSucceed": False,
                "errorWrappers": [{"error": "SERVICE_UNAVAILABLE"}],
            }
        if self.mode == "ms_unavailable":
            return 200, {"actionSucceed": False, "errorWrappers": [{"error": "MS_UNAVAILABLE"}]}
        if self.mode == "flaky" and self.failures > 0:
            self.failures -= 1
            return 500, {
                "actionSucceed": False,
                "errorWrappers": [{"error": "MS_MAX_CONCURRENT_REQ"}],
            }
        if self.mode == "slow":
            time.sleep(self.delay)
        country, number = body.get("countryCode", ""), body.get("vatNumber", "")
        if not country or not number:
            return 400, {"actionSucceed": False, "errorWrappers": [{"error": "INVALID_INPUT"}]}
        known = self.registry.get(country + number)
        answer = {
            "countryCode": country,
            "vatNumber": number,
            "requestDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "valid": known is not None,
            "name": known["name"] if known else "---",
            "address": known["address"] if known else "---",
        }
        if body.get("requesterNumber"):
            answer["requestIdentifier"] = f"WAPI{len(self.requests):012d}"
        return 200, answer

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if not self.path.endswith("/check-vat-number"):
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(body)
                status, answer = fake._answer(body)
                payload = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler
