"""What the agent sees: the holidays of one month."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field


class Holiday(BaseModel):
    date: Annotated[str, Field(description="The holiday's date (ISO 8601, e.g. 2026-05-05)")]
    name: Annotated[str, Field(description="Its Korean name, e.g. 어린이날")]


class HolidayMonth(BaseModel):
    year: Annotated[int, Field(description="The year asked for")]
    month: Annotated[int, Field(description="The month asked for (1-12)")]
    holidays: Annotated[list[Holiday], Field(description="The public holidays of that month, in date order")]


class ErrorBody(BaseModel):
    statusCode: Annotated[int, Field(description="HTTP status code")]  # noqa: N815 (wire format)
    message: Annotated[str, Field(description="What went wrong and what to do next")]
