import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["orion.test", "alpha.orion.test", "10.0.0.7"])
def test_health_is_ok_on_any_host_with_eager_tasks(host, alpha, client):
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "eager"}


def test_health_is_503_when_the_broker_does_not_answer(client):
    # Port 9 on loopback: nothing listens there, the connection is refused at once.
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",
        ORION_BROKER_CHECK_TIMEOUT=0.5,
    ):
        response = client.get("/healthz", HTTP_HOST="orion.test")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False and body["broker"]["error"]


def test_health_reports_an_in_memory_broker_as_reachable(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="memory://"):
        response = client.get("/healthz", HTTP_HOST="orion.test")
    assert response.status_code == 200
    assert response.json()["broker"]["mode"] == "broker"
