from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.live import CHROMIUM, INSTALL_HINT, LiveServer, shared_connection_server


@pytest.fixture
def live_site(db) -> Iterator[LiveServer]:
    """The site on a free port of 127.0.0.1, inside the test's transaction (see live.py)."""
    with shared_connection_server() as server:
        yield server


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).is_file():
        # A failure, not a skip: a missing browser must not turn the layout checks green.
        pytest.fail(INSTALL_HINT.format(path=CHROMIUM), pytrace=False)
    return CHROMIUM
