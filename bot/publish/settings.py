"""The settings of each kind of blog target, as written under `[[publish.targets]]`.

A target's secret (application password, API key) never appears here: `credential_env` names
the environment variable that holds it, read when the target is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.core.messages import t

SECRET_KEYS = frozenset(
    {"password", "application_password", "app_password", "api_key", "apikey", "key", "token"}
)


class TargetSettings(BaseModel):
    """What every target has: a name to pick it by, and whether `publish <a>` uses it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    auto: bool = False
    timeout: float = Field(30.0, gt=0, le=600)

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        """A password or API key in the config file is refused, pointing at credential_env."""
        if isinstance(data, dict):
            leaked = sorted(SECRET_KEYS & {str(key).lower() for key in data})
            if leaked:
                raise ValueError(t("config.target_secret", key=leaked[0]))
        return data


class WordPressSettings(TargetSettings):
    kind: Literal["wordpress"]
    url: str  # the site's address; the API is under <url>/wp-json/
    user: str
    credential_env: str = "HANNO_WORDPRESS_PASSWORD"  # an Application Password
    status: Literal["draft", "publish"] = "draft"
    categories: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    create_terms: bool = False  # create categories and tags that do not exist yet


class HatenaSettings(TargetSettings):
    kind: Literal["hatena"]
    url: str = "https://blog.hatena.ne.jp"
    user: str  # the Hatena ID
    blog_id: str  # the blog's domain, e.g. example.hatenablog.com
    credential_env: str = "HANNO_HATENA_API_KEY"
    draft: bool = True
    categories: list[str] = Field(default_factory=list)


class LivedoorSettings(TargetSettings):
    kind: Literal["livedoor"]
    url: str = "https://livedoor.blogcms.jp/atompub"
    user: str  # the livedoor ID
    blog_id: str
    credential_env: str = "HANNO_LIVEDOOR_API_KEY"
    draft: bool = True
    categories: list[str] = Field(default_factory=list)


class StaticSettings(TargetSettings):
    kind: Literal["static"]
    folder: Path  # where the Markdown files go, e.g. site/content/posts or _posts
    draft: bool = True
    tags: list[str] = Field(default_factory=list)
    git: bool = False  # commit each written file to the git repository around `folder`
    git_name: str = "hanno"
    git_email: str = "hanno@localhost"


AnyTargetSettings = Annotated[
    WordPressSettings | HatenaSettings | LivedoorSettings | StaticSettings,
    Field(discriminator="kind"),
]
