import time

import pytest

from apps.vat.numbers import vat_number_parse
from apps.vat.vies import ViesStatus, vies_check

SELLER = vat_number_parse("LU15027442")


def test_valid_number_with_name_address_and_consultation_number(fake_vies):
    result = vies_check(number=vat_number_parse("DE136695976"), requester=SELLER)
    assert result.status == ViesStatus.VALID
    assert result.name == "Musterfirma GmbH" and "Berlin" in result.address
    assert result.consultation_number.startswith("WAPI")
    assert result.request_date is not None
    assert fake_vies.requests[-1] == {
        "countryCode": "DE",
        "vatNumber": "136695976",
        "requesterMemberStateCode": "LU",
        "requesterNumber": "15027442",
    }


def test_greek_numbers_are_sent_with_the_el_prefix(fake_vies):
    result = vies_check(number=vat_number_parse("GR094259216"))
    assert result.status == ViesStatus.VALID
    assert fake_vies.requests[-1]["countryCode"] == "EL"


def test_unknown_number_is_invalid_and_dashes_are_not_names(fake_vies):
    result = vies_check(number=vat_number_parse("BE0403019261"))
    assert result.status == ViesStatus.INVALID
    assert (result.name, result.address) == ("", "")


def test_service_down_is_unavailable_after_the_retries(fake_vies, settings):
    settings.VIES_RETRIES = 2
    fake_vies.mode = "down"
    result = vies_check(number=vat_number_parse("DE136695976"))
    assert result.status == ViesStatus.UNAVAILABLE
    assert result.error == "SERVICE_UNAVAILABLE"
    assert len(fake_vies.requests) == 3


def test_member_state_unavailable_is_unavailable(fake_vies):
    fake_vies.mode = "ms_unavailable"
    assert vies_check(number=vat_number_parse("DE136695976")).error == "MS_UNAVAILABLE"


def test_a_retry_recovers_from_a_transient_failure(fake_vies, settings):
    settings.VIES_RETRIES = 2
    fake_vies.mode, fake_vies.failures = "flaky", 1
    result = vies_check(number=vat_number_parse("DE136695976"))
    assert result.status == ViesStatus.VALID and result.attempts == 2


def test_slow_service_times_out_within_the_configured_limit(fake_vies, settings):
    settings.VIES_TIMEOUT, settings.VIES_RETRIES = 0.3, 1
    fake_vies.mode, fake_vies.delay = "slow", 2.0
    started = time.monotonic()
    result = vies_check(number=vat_number_parse("DE136695976"))
    assert result.status == ViesStatus.UNAVAILABLE and result.error == "TIMEOUT"
    assert time.monotonic() - started < 1.5  # two tries of 0.3 s, not the server's 2 s


def test_nothing_listening_is_unavailable(settings):
    settings.VIES_BASE_URL, settings.VIES_RETRIES = "http://127.0.0.1:9/", 0
    result = vies_check(number=vat_number_parse("DE136695976"))
    assert result.status == ViesStatus.UNAVAILABLE
    assert result.error == "ConnectionError"


@pytest.mark.parametrize("body", ["<html>maintenance</html>", "[]", '{"valid": "yes"}'])
def test_garbage_answers_are_unavailable_not_crashes(fake_vies, settings, body):
    settings.VIES_RETRIES = 0
    fake_vies.mode, fake_vies.garbage = "garbage", body
    assert vies_check(number=vat_number_parse("DE136695976")).status == ViesStatus.UNAVAILABLE
