import pytest

from tests.fakes.vies import FakeVies


@pytest.fixture
def fake_vies(settings):
    server = FakeVies().start()
    settings.VIES_BASE_URL = server.base_url
    server.register("DE136695976", "Musterfirma GmbH", "Musterstrasse 1\n10115 Berlin")
    server.register("EL094259216", "Elliniki Etaireia AE", "Odos 1\n10552 Athina")
    server.register("FR40303265045", "Société Exemple SA", "1 rue Exemple\n75001 Paris")
    yield server
    server.stop()
