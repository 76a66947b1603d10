"""Client of the European Commission's VIES REST service (check-vat-number).

Base URL, timeout and retries are settings, so tests run against a local fake that speaks the
same JSON. A number is "valid" or "invalid" only when VIES answered; every failure to get an
answer (refused, timed out, member state unavailable, rate limited) is "unavailable", and the
caller's policy decides what that means for the sale.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime

import requests
from django.conf import settings

from apps.vat.numbers import VatNumber

logger = logging.getLogger(__name__)

# VIES error codes worth another try; anything else is final.
RETRYABLE_ERRORS = {
    "SERVICE_UNAVAILABLE",
    "MS_UNAVAILABLE",
    "TIMEOUT",
    "GLOBAL_MAX_CONCURRENT_REQ",
    "MS_MAX_CONCURRENT_REQ",
}


class ViesStatus:
    VALID = "valid"
    INVALID = "invalid"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class ViesResult:
    status: str
    number: VatNumber
    name: str = ""
    address: str = ""
    request_date: date | None = None
    consultation_number: str = ""
    error: str = ""
    attempts: int = 1
    raw: dict = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return self.status == ViesStatus.VALID


def _request_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _clean(value: str | None) -> str:
    return "" if value in (None, "---") else value.strip()


def vies_check(*, number: VatNumber, requester: VatNumber | None = None) -> ViesResult:
    """Ask VIES about ``number``. With ``requester`` (the seller's own number) VIES returns a
    consultation number, the evidence tax offices ask for."""
    url = settings.VIES_BASE_URL.rstrip("/") + "/check-vat-number"
    payload = {"countryCode": number.prefix, "vatNumber": number.number}
    if requester is not None:
        payload["requesterMemberStateCode"] = requester.prefix
        payload["requesterNumber"] = requester.number
    attempts = 1 + max(settings.VIES_RETRIES, 0)
    error = ""
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(url, json=payload, timeout=settings.VIES_TIMEOUT)
            data = response.json()
        except requests.Timeout:
            error = "TIMEOUT"
        except (requests.RequestException, ValueError) as exc:
            error = exc.__class__.__name__
        else:
            if isinstance(data, dict) and isinstance(data.get("valid"), bool):
                return ViesResult(
                    status=ViesStatus.VALID if data["valid"] else ViesStatus.INVALID,
                    number=number,
                    name=_clean(data.get("name")),
                    address=_clean(data.get("address")),
                    request_date=_request_date(data.get("requestDate")),
                    consultation_number=_clean(data.get("requestIdentifier")),
                    attempts=attempt,
                    raw=data,
                )
            wrappers = data.get("errorWrappers") if isinstance(data, dict) else None
            error = (wrappers or [{}])[0].get("error") or f"HTTP {response.status_code}"
            if error == "INVALID_INPUT":
                return ViesResult(
                    status=ViesStatus.INVALID, number=number, error=error, attempts=attempt,
                    raw=data,
                )  # fmt: skip
            if error not in RETRYABLE_ERRORS and response.status_code < 500:
                break
        if attempt < attempts:
            time.sleep(settings.VIES_RETRY_BACKOFF * attempt)
    logger.warning("VIES unavailable for %s after %d attempt(s): %s", number, attempts, error)
    return ViesResult(status=ViesStatus.UNAVAILABLE, number=number, error=error, attempts=attempts)
