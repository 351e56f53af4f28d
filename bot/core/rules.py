"""The limits and defaults the workflow enforces, filled from config by the entry point."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: int = Field(200, ge=1)
    comment: int = Field(4000, ge=1)
    translation: int = Field(4000, ge=1)
    lead: int = Field(10000, ge=1)
    closing: int = Field(10000, ge=1)
    reason: int = Field(1000, ge=1)
    note: int = Field(1000, ge=1)
    source_text: int = Field(4000, ge=1)
    label: int = Field(100, ge=1)
    url: int = Field(2000, ge=1)


class Rules(BaseModel):
    limits: Limits = Field(default_factory=Limits)
    min_score: int = 1
    max_reactions: int = Field(30, ge=1)
    approvals_required: int = Field(1, ge=1)
    # Whether the moderator who submitted a draft may give the approval that completes it.
    self_approval: bool = False
    target_language: str = "ja"
    # IANA zone for showing times; None: Asia/Tokyo when the reader's language is Japanese.
    timezone: str | None = None
