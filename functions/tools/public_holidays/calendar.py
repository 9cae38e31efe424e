"""The external API: the Korea Astronomy and Space Science Institute's special-day service on data.go.kr.

`GET <EXTERNAL_API_URL>?serviceKey=<key>&solYear=YYYY&solMonth=MM&numOfRows=50&_type=json` answers
`{"response": {"header": {"resultCode": "00", ...}, "body": {"items": {"item": [...]}}}}`, each item
`{"locdate": 20260505, "dateName": "어린이날", "isHoliday": "Y", ...}`. Quirks handled here: `item` is an
object (not a list) when there is one holiday and `items` is an empty string when there is none; errors
come either as a non-"00" `resultCode` or as the portal gateway's `OpenAPI_ServiceResponse` (JSON or XML,
with HTTP 200, 401 or 403), where codes 30/31 (`SERVICE_KEY_IS_NOT_REGISTERED_ERROR`,
`DEADLINE_HAS_EXPIRED_ERROR`) mean the key was refused: it is then fetched again once, so a rotated key
is picked up.

The HTTP call is the standard library's urllib (no third-party client for one GET); the URL carries the
key, so neither the URL nor an exception holding it is ever logged or re-raised.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from shared.credentials import ApiKeyProvider

from public_holidays.models import Holiday

DEFAULT_URL = "https://apis.data.go.kr/B090041/openapi/service/SpcdeInfoService/getRestDeInfo"
TIMEOUT_SECONDS = 4.0
MAX_BODY_BYTES = 256 * 1024
ROWS_PER_MONTH = 50  # a month never has more; one page is enough
_KEY_REFUSED = ("SERVICE_KEY_IS_NOT_REGISTERED_ERROR", "DEADLINE_HAS_EXPIRED_ERROR")
_QUOTA_EXCEEDED = "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes


Fetch = Callable[[str, float], HttpResponse]


class HolidayServiceError(Exception):
    """The external API did not answer usefully; `status` is what the tool answers (502, 503 or 504)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class KeyRefusedError(HolidayServiceError):
    def __init__(self) -> None:
        super().__init__(502, "the holiday service refused the platform's key")


def urllib_fetch(url: str, timeout: float) -> HttpResponse:
    """One HTTPS GET; HTTP error statuses are answers (their bodies name the reason), network failures raise
    HolidayServiceError without the URL (it holds the key)."""
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    request = Request(url, headers={"Accept": "application/json"}, method="GET")
    try:
        with urlopen(request, timeout=timeout) as response:
            return HttpResponse(response.status, response.read(MAX_BODY_BYTES))
    except HTTPError as error:
        try:
            return HttpResponse(error.code, error.read(MAX_BODY_BYTES))
        finally:
            error.close()
    except (URLError, OSError) as error:
        if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            raise HolidayServiceError(504, "the holiday service did not answer in time; try again later") from None
        raise HolidayServiceError(503, "the holiday service is unreachable; try again later") from None


class HolidayCalendar:
    def __init__(
        self,
        api_key: ApiKeyProvider,
        url: str = DEFAULT_URL,
        fetch: Fetch = urllib_fetch,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._api_key = api_key
        self._url = url
        self._fetch = fetch
        self._timeout = timeout

    def month(self, year: int, month: int) -> list[Holiday]:
        """The public holidays of the month, in date order. Raises HolidayServiceError (or CredentialError)."""
        try:
            return self._month(year, month)
        except KeyRefusedError:
            # Rotated or revoked: fetch the key again, once.
            self._api_key.invalidate()
            return self._month(year, month)

    def _month(self, year: int, month: int) -> list[Holiday]:
        query = urlencode(
            {
                "serviceKey": self._api_key.get(),
                "solYear": f"{year:04d}",
                "solMonth": f"{month:02d}",
                "numOfRows": ROWS_PER_MONTH,
                "_type": "json",
            }
        )
        return parse_holidays(self._fetch(f"{self._url}?{query}", self._timeout))


def parse_holidays(response: HttpResponse) -> list[Holiday]:
    text = response.body.decode("utf-8", errors="replace")
    if any(code in text for code in _KEY_REFUSED):
        raise KeyRefusedError()
    if _QUOTA_EXCEEDED in text:
        raise HolidayServiceError(503, "the holiday service's daily quota is used up; try again tomorrow")
    if response.status in (401, 403):
        raise KeyRefusedError()
    if response.status >= 500:
        raise HolidayServiceError(503, "the holiday service is failing; try again later")
    if response.status != 200:
        raise HolidayServiceError(502, f"the holiday service answered HTTP {response.status}")
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        raise HolidayServiceError(502, "the holiday service answered something that is not JSON") from None
    return _holidays(document)


def _holidays(document: Any) -> list[Holiday]:
    response = document.get("response") if isinstance(document, dict) else None
    header = response.get("header") if isinstance(response, dict) else None
    if not isinstance(header, dict) or str(header.get("resultCode")) != "00":
        code = str(header.get("resultCode")) if isinstance(header, dict) else "missing"
        raise HolidayServiceError(502, f"the holiday service answered result code {code[:10]}")
    items = (response.get("body") or {}).get("items")
    entries = items.get("item", []) if isinstance(items, dict) else []  # "" when the month has none
    if isinstance(entries, dict):
        entries = [entries]
    holidays = [_holiday(entry) for entry in entries if isinstance(entry, dict) and entry.get("isHoliday") == "Y"]
    return sorted((h for h in holidays if h is not None), key=lambda h: h.date)


def _holiday(entry: dict[str, Any]) -> Holiday | None:
    day = str(entry.get("locdate", ""))
    name = str(entry.get("dateName", "")).strip()
    if len(day) != 8 or not day.isdigit() or not name:
        return None  # one malformed entry does not spoil the month
    return Holiday(date=f"{day[:4]}-{day[4:6]}-{day[6:]}", name=name[:100])
