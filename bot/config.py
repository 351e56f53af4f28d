"""Configuration: `config.toml` plus environment variables (which win), read by pydantic-settings.

Secrets (platform tokens) come from the environment only; a config file that holds one is
refused, so a token can never end up committed next to the settings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.core.localtime import DEFAULT_ZONES, known_zone
from bot.core.messages import languages, negotiate, t
from bot.core.policy import RolePolicy
from bot.core.rules import Limits, Rules
from bot.core.teamwork import TeamRules
from bot.core.when import parse_duration
from bot.publish.settings import AnyTargetSettings

DEFAULT_CONFIG = Path("config.toml")
SECRET_KEYS = (
    "discord_token",
    "slack_bot_token",
    "slack_app_token",
    "slack_signing_secret",
    "database_url",
    "reddit_client_id",
    "reddit_client_secret",
    "x_bearer_token",
    "youtube_api_key",
    "deepl_auth_key",
    "openai_api_key",
)
POSTGRES_SCHEMES = ("postgresql", "postgres")


class Section(BaseModel):
    """A config table: a misspelt key is an error, not a silently ignored line."""

    model_config = ConfigDict(extra="forbid")


class ConfigError(Exception):
    """A config problem, worded for the person who edits the file."""


class StorageConfig(Section):
    path: Path = Path("hanno.db")
    # FULL: every acknowledged change survives a power cut too (group commit keeps votes fast).
    synchronous: Literal["FULL", "NORMAL"] = "FULL"
    # PostgreSQL instead of the SQLite file: postgresql://user@host:5432/dbname, without the
    # password (that comes from PGPASSWORD or, as a whole URL, from HANNO_DATABASE_URL).
    url: str | None = None
    pool_size: int = Field(10, ge=2, le=200)

    @field_validator("url")
    @classmethod
    def _no_password_in_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value)
        if parts.scheme not in POSTGRES_SCHEMES:
            raise ValueError(t("config.storage_scheme"))
        if parts.password is not None:
            raise ValueError(t("config.storage_password"))
        return value


class VotingConfig(Section):
    min_score: int = Field(1, ge=-1000, le=1000)
    max_reactions: int = Field(30, ge=1, le=1000)


class ReviewConfig(Section):
    approvals_required: int = Field(1, ge=1, le=20)
    self_approval: bool = False


class ArticleConfig(Section):
    template: Path | None = None
    templates: dict[str, Path] = Field(default_factory=dict)  # more team styles, by name
    style: str | None = None  # the default reaction style (persona unless `template` is set)
    anonymous_name: str = Field("海外の名無しさん", max_length=40)
    twitter_script: bool = False
    youtube_nocookie: bool = True
    target_language: str = "ja"
    # The bot's own words for the space (channel posts, and people whose platform gives no
    # locale). Unset: English on Discord and Slack, $LANG on the console and the CLI.
    interface_language: str | None = None
    # How times are shown (history); unset: Asia/Tokyo for a Japanese interface, else UTC.
    timezone: str | None = None

    @field_validator("interface_language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        if value is not None and negotiate(value) != value.split("-")[0].split("_")[0].lower():
            raise ValueError(
                t("config.no_catalogue", value=value, languages=", ".join(languages()))
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and not known_zone(value):
            raise ValueError(t("config.bad_zone", value=value))
        return value


class PublishConfig(Section):
    targets: list[AnyTargetSettings] = Field(default_factory=list)

    @field_validator("targets")
    @classmethod
    def _unique_names(cls, targets: list[AnyTargetSettings]) -> list[AnyTargetSettings]:
        names = [target.name for target in targets]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(t("config.duplicate_target", name=name))
        return targets


class TeamConfig(Section):
    # The credits line's template: unset or true, the built-in line in the article's language;
    # false or "", no credits line; else the team's own ({translators}, {pickers}).
    credits: str | bool | None = None

    @field_validator("credits")
    @classmethod
    def _known_fields(cls, value: str | bool | None) -> str | None:
        if value is None or value is True:
            return None
        if value is False:
            return ""
        if len(value) > 300:
            raise ValueError(t("config.credits_too_long", limit=300))
        try:
            value.format(translators="", pickers="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(t("config.credits_fields", detail=exc)) from None
        return value


class RemindersConfig(Section):
    enabled: bool = True
    translation_after: str = "24h"
    digest: bool = True
    digest_at: time = time(9, 0)
    quiet_spaces: list[str] = Field(default_factory=list)

    @field_validator("translation_after")
    @classmethod
    def _duration(cls, value: str) -> str:
        try:
            parse_duration(value)
        except Exception:
            raise ValueError(t("config.bad_duration", value=value)) from None
        return value


class Person(Section):
    # Any printable name without spaces or colons (the console reads `name: /command`): `愛子`.
    name: str = Field(min_length=1, max_length=40, pattern=r"^[^\s:：]+$")
    role: Literal["member", "translator", "moderator"] = "member"

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        if not name.isprintable():
            raise ValueError(t("config.bad_name"))
        return name


def _example_team() -> list[Person]:
    return [
        Person(name="aiko", role="moderator"),
        Person(name="kenji", role="moderator"),
        Person(name="mei", role="translator"),
        Person(name="taro", role="translator"),
        Person(name="sam", role="member"),
        Person(name="lena", role="member"),
        Person(name="yuki", role="member"),
    ]


class ChannelNames(Section):
    voting: str = "voting"
    review: str = "review"
    publish: str = "publish"


class ConsoleConfig(Section):
    space: str = "console"
    people: list[Person] = Field(default_factory=_example_team)
    channels: ChannelNames = Field(default_factory=ChannelNames)
    message_limit: int = Field(2000, ge=100, le=100_000)


class DiscordConfig(Section):
    application_id: int | None = None
    # Sharding for large bots and several processes: this process runs `shard_ids` of
    # `shard_count` shards (discord.py's AutoShardedClient); unset runs one unsharded client.
    shard_count: int | None = Field(None, ge=1, le=10_000)
    shard_ids: list[int] | None = None
    # Discord's address; only a test's fake Discord changes it.
    api_url: str | None = None

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordConfig:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError(t("config.shard_count_missing"))
            wrong = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if wrong or not self.shard_ids:
                raise ValueError(t("config.shard_ids_range", last=self.shard_count - 1))
        return self

    guild_ids: list[int] = Field(default_factory=list)
    moderator_roles: list[str] = Field(default_factory=list)
    translator_roles: list[str] = Field(default_factory=list)
    voting_channel: str = "hanno-voting"
    review_channel: str = "hanno-review"
    publish_channel: str = "hanno-publish"


class SlackConfig(Section):
    command: str = "/hanno"
    # Slack's Web API address; only a test's fake Slack changes it.
    api_url: str | None = None
    mode: Literal["socket", "http"] = "socket"
    host: str = "0.0.0.0"  # HTTP mode listens on host:port
    port: int = Field(3000, ge=1, le=65535)
    moderators: list[str] = Field(default_factory=list)
    translators: list[str] = Field(default_factory=list)
    moderator_groups: list[str] = Field(default_factory=list)
    translator_groups: list[str] = Field(default_factory=list)
    voting_channel: str = "hanno-voting"
    review_channel: str = "hanno-review"
    publish_channel: str = "hanno-publish"


class HealthConfig(Section):
    # `hanno run` writes the state of its store and platform connections here every
    # `interval` seconds; `hanno health` reads it (and checks the store itself).
    file: Path = Path("hanno-health.json")
    interval: float = Field(10.0, ge=1.0, le=3600.0)


Platform = Literal["console", "discord", "slack"]
# The languages comments for overseas-reactions articles mostly come in (ISO 639-1).
LIKELY_LANGUAGES = "en fr de es it pt nl pl ru ko zh ja"


class SourcesConfig(Section):
    """Where comments are imported from: each site's base URL (tests, proxies and
    self-hosted instances point elsewhere), how much one import may read, and how."""

    members_may_import: bool = False
    top: int = Field(50, ge=1, le=1000)
    languages: list[str] = Field(default_factory=lambda: LIKELY_LANGUAGES.split())
    # "accurate": trigrams first, every n-gram length for short or unclear texts; "fast":
    # trigrams only (lingua's low accuracy mode), wrong more often on a word or two
    detection: Literal["fast", "accurate"] = "accurate"
    max_comments: int = Field(2000, ge=1, le=100_000)
    max_pages: int = Field(50, ge=1, le=10_000)
    timeout: float = Field(15.0, gt=0, le=300)
    max_retry_wait: float = Field(30.0, ge=0, le=600)
    # Reddit: seconds before retrying a server error (5xx), doubled for the second retry
    retry_pause: float = Field(1.0, ge=0, le=60)
    concurrency: int = Field(8, ge=1, le=64)
    user_agent: str = "hanno/0.1 (a bot that collects comments for overseas-reactions articles)"
    skip_authors: list[str] = Field(default_factory=lambda: ["AutoModerator"])
    reddit_oauth_url: str = "https://oauth.reddit.com"
    reddit_url: str = "https://www.reddit.com"
    x_api_url: str = "https://api.x.com"
    x_oembed_url: str = "https://publish.twitter.com"
    hackernews_url: str = "https://hacker-news.firebaseio.com"
    youtube_api_url: str = "https://www.googleapis.com"
    youtube_oembed_url: str = "https://www.youtube.com"
    bluesky_url: str = "https://public.api.bsky.app"
    mastodon_url: str = ""


class DeeplConfig(Section):
    # None: the client picks api.deepl.com or api-free.deepl.com from the key.
    server_url: str | None = None
    # None: from `speech` (casual → prefer_less, polite → prefer_more).
    formality: Literal["default", "more", "less", "prefer_more", "prefer_less"] | None = None


class OpenAIConfig(Section):
    base_url: str = "https://api.openai.com/v1"
    model: str = "gpt-4o-mini"
    batch_size: int = Field(8, ge=1, le=8)
    concurrency: int = Field(2, ge=1, le=8)
    temperature: float = Field(0.3, ge=0, le=2)
    response_format: Literal["json_schema", "json_object"] = "json_schema"


class StyleConfig(Section):
    min_ratio: float = Field(0.15, gt=0)
    max_ratio: float = Field(1.5, gt=0)
    min_original: int = Field(20, ge=1)
    latin_run_words: int = Field(2, ge=1)


class AssistConfig(Section):
    provider: Literal["none", "deepl", "openai"] = "none"
    speech: Literal["casual", "polite", "article"] = "casual"
    timeout: float = Field(60.0, gt=0, le=600)
    retries: int = Field(2, ge=0, le=10)
    deepl: DeeplConfig = Field(default_factory=DeeplConfig)
    openai: OpenAIConfig = Field(default_factory=OpenAIConfig)
    style: StyleConfig = Field(default_factory=StyleConfig)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HANNO_",
        env_nested_delimiter="__",
        extra="forbid",
        case_sensitive=False,
        # An empty variable counts as unset (compose passes `DISCORD_TOKEN=` for a platform
        # that is not used).
        env_ignore_empty=True,
    )
    toml_path: ClassVar[Path | None] = None

    storage: StorageConfig = Field(default_factory=StorageConfig)
    limits: Limits = Field(default_factory=Limits)
    voting: VotingConfig = Field(default_factory=VotingConfig)
    review: ReviewConfig = Field(default_factory=ReviewConfig)
    article: ArticleConfig = Field(default_factory=ArticleConfig)
    team: TeamConfig = Field(default_factory=TeamConfig)
    reminders: RemindersConfig = Field(default_factory=RemindersConfig)
    console: ConsoleConfig = Field(default_factory=ConsoleConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    slack: SlackConfig = Field(default_factory=SlackConfig)
    publish: PublishConfig = Field(default_factory=PublishConfig)
    health: HealthConfig = Field(default_factory=HealthConfig)
    # The front ends `hanno run` serves in one process; empty: the console unless a platform
    # token is set. ["discord", "slack"] serves both on one store.
    platforms: list[Platform] = Field(default_factory=list)
    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    assist: AssistConfig = Field(default_factory=AssistConfig)

    discord_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("DISCORD_TOKEN", "HANNO_DISCORD_TOKEN")
    )
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "HANNO_SLACK_BOT_TOKEN")
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "HANNO_SLACK_APP_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "HANNO_SLACK_SIGNING_SECRET")
    )
    # The whole PostgreSQL URL, password included; wins over [storage] url.
    # (Left out of model_dump: a process handed its settings gets it from the environment.)
    database_url: SecretStr | None = Field(
        None, validation_alias=AliasChoices("HANNO_DATABASE_URL"), exclude=True
    )

    reddit_client_id: SecretStr | None = Field(
        None, validation_alias=AliasChoices("REDDIT_CLIENT_ID", "HANNO_REDDIT_CLIENT_ID")
    )
    reddit_client_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("REDDIT_CLIENT_SECRET", "HANNO_REDDIT_CLIENT_SECRET")
    )
    x_bearer_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("X_BEARER_TOKEN", "HANNO_X_BEARER_TOKEN")
    )
    youtube_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("YOUTUBE_API_KEY", "HANNO_YOUTUBE_API_KEY")
    )
    deepl_auth_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("DEEPL_AUTH_KEY", "HANNO_DEEPL_AUTH_KEY")
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "HANNO_OPENAI_API_KEY")
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls.toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls.toml_path))
        return tuple(sources)

    # what the core needs -------------------------------------------------------------------

    def rules(self) -> Rules:
        return Rules(
            limits=self.limits,
            min_score=self.voting.min_score,
            max_reactions=self.voting.max_reactions,
            approvals_required=self.review.approvals_required,
            self_approval=self.review.self_approval,
            target_language=self.article.target_language,
            timezone=self.article.timezone,
        )

    def space_language(self) -> str:
        """The language of channel posts, and of people whose platform tells no locale."""
        return negotiate(self.article.interface_language)

    def local_language(self, environ: Mapping[str, str] | None = None) -> str:
        """The console's and the CLI's language: the config's, else the locale of $LANG."""
        if self.article.interface_language:
            return negotiate(self.article.interface_language)
        return language_of_environment(environ)

    def postgres_url(self) -> str | None:
        """The PostgreSQL URL to connect to, or None for the SQLite file at storage.path."""
        if self.database_url is not None:
            url = self.database_url.get_secret_value()
            if urlsplit(url).scheme not in POSTGRES_SCHEMES:
                raise ConfigError(t("config.database_url_scheme"))
            return url
        return self.storage.url

    def database_shown(self) -> str:
        """Where the data lives, as it may be shown: the SQLite file, or the PostgreSQL
        server and database without any password."""
        url = self.postgres_url()
        if url is None:
            return str(self.storage.path)
        parts = urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]
        user = f"{parts.username}@" if parts.username else ""
        return parts._replace(netloc=user + host).geturl()

    def team_rules(self) -> TeamRules:
        return TeamRules(
            timezone=self.article.timezone or DEFAULT_ZONES.get(self.space_language(), "UTC"),
            credits=self.team.credits if isinstance(self.team.credits, str) else None,
            reminders=self.reminders.enabled,
            translation_after=parse_duration(self.reminders.translation_after),
            digest=self.reminders.digest,
            digest_at=self.reminders.digest_at,
            quiet_spaces=frozenset(self.reminders.quiet_spaces),
        )

    def console_policy(self) -> RolePolicy:
        return RolePolicy.of(
            moderators=[p.name for p in self.console.people if p.role == "moderator"],
            translators=[p.name for p in self.console.people if p.role == "translator"],
        )

    def default_platform(self) -> Literal["console", "discord", "slack"]:
        """The console unless a platform token is configured."""
        if self.discord_token is not None:
            return "discord"
        if self.slack_bot_token is not None:
            return "slack"
        return "console"


def language_of_environment(environ: Mapping[str, str] | None = None) -> str:
    """The interface language of the locale variables ($LC_ALL, $LC_MESSAGES, $LANG)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return negotiate(env[name])
    return negotiate(None)


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from `path` (default ./config.toml when it exists) and the environment."""
    explicit = path is not None
    toml_path = Path(path) if path is not None else DEFAULT_CONFIG
    if not toml_path.exists():
        if explicit:
            raise ConfigError(t("config.not_found", path=toml_path))
        toml_path = None
    if toml_path is not None:
        try:
            with toml_path.open("rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(t("config.bad_toml", path=toml_path, detail=exc)) from None
        except OSError as exc:
            raise ConfigError(t("config.unreadable", path=toml_path, detail=exc.strerror)) from None
        _refuse_secrets(raw, toml_path)
    Settings.toml_path = toml_path
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, toml_path)) from None
    finally:
        Settings.toml_path = None


# The variable each secret comes from, by how people write it in a file (any case, `-` or `_`,
# at the top or in its platform's table, with or without the HANNO_ prefix).
_SECRET_VARIABLES = {
    "discord_token": "DISCORD_TOKEN",
    "discord.token": "DISCORD_TOKEN",
    "discord.bot_token": "DISCORD_TOKEN",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack.token": "SLACK_BOT_TOKEN",
    "slack.bot_token": "SLACK_BOT_TOKEN",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack.app_token": "SLACK_APP_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack.signing_secret": "SLACK_SIGNING_SECRET",
    "database_url": "HANNO_DATABASE_URL",
    "storage.database_url": "HANNO_DATABASE_URL",
    **{
        f"{where}{name}": name.upper()
        for name in (
            "reddit_client_id",
            "reddit_client_secret",
            "x_bearer_token",
            "youtube_api_key",
        )
        for where in ("", "sources.")
    },
    "deepl_auth_key": "DEEPL_AUTH_KEY",
    "assist.deepl.auth_key": "DEEPL_AUTH_KEY",
    "openai_api_key": "OPENAI_API_KEY",
    "assist.openai.api_key": "OPENAI_API_KEY",
}
_SECRET_WORDS = ("token", "secret", "password", "api_key", "auth_key")


def _refuse_secrets(raw: dict[str, Any], path: Path, section: str = "") -> None:
    """Refuse a file that holds a secret, however it is spelt, naming the variable to use.

    A secret in a file ends up committed or shared beside the settings; it belongs in the
    environment. Keys are compared without case, `-`/`_` and the HANNO_ prefix, so that
    `DISCORD_TOKEN = …` and `[discord] token = …` are caught like `discord_token = …`.
    """
    for key, value in raw.items():
        name = key.lower().replace("-", "_").removeprefix("hanno_")
        dotted = f"{section}.{name}" if section else name
        if isinstance(value, dict):
            _refuse_secrets(value, path, dotted)
            continue
        bare = dotted.removeprefix("discord.").removeprefix("slack.")
        variable = _SECRET_VARIABLES.get(dotted) or _SECRET_VARIABLES.get(bare)
        if variable is None and name.endswith(_SECRET_WORDS) and not isinstance(value, bool):
            variable = dotted.replace(".", "_").upper()
        if variable is not None:
            shown = f"{section}.{key}" if section else key
            raise ConfigError(t("config.secret", file=path, key=shown, variable=variable))


def _explain(exc: ValidationError, path: Path | None) -> str:
    where = str(path) if path else t("config.where_environment")
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or '-'}: {_problem(error)}"
        for error in exc.errors()[:3]
    ]
    return t("config.problem", where=where, problems="; ".join(problems))


# pydantic's own checks, worded in the catalogue with their limits; any other keeps pydantic's
# English words inside a sentence of the person's language.
_PYDANTIC_CHECKS = {
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "greater_than": "gt",
    "less_than": "lt",
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_length",
    "literal_error": "expected",
    "string_pattern_mismatch": "pattern",
}
_PYDANTIC_KINDS = {
    "int_parsing": "whole_number",
    "int_type": "whole_number",
    "int_from_float": "whole_number",
    "bool_parsing": "boolean",
    "bool_type": "boolean",
    "string_type": "text",
    "list_type": "list",
    "missing": "missing",
    "extra_forbidden": "unknown_key",
    "time_parsing": "time",
    "time_type": "time",
    "path_type": "text",
}


def _problem(error: Any) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "value_error":  # our own validators already speak the person's language
        return str(context.get("error", error["msg"]))
    if kind in _PYDANTIC_KINDS:
        return t(f"config.check.{_PYDANTIC_KINDS[kind]}")
    if kind in _PYDANTIC_CHECKS and _PYDANTIC_CHECKS[kind] in context:
        return t(f"config.check.{kind}", limit=context[_PYDANTIC_CHECKS[kind]])
    return t("config.check.other", detail=error["msg"])
