"""Blog targets against the local fakes: one fake server per test, a post of our own."""

from __future__ import annotations

import json
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.targets import BlogPost
from bot.publish.settings import HatenaSettings, LivedoorSettings, StaticSettings, WordPressSettings
from bot.render import Renderer
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.fakes.slack_fake import clear_proxy_env
from tests.render.conftest import miniature_railway_document


def railway_post(style: str = "persona", title: str = "") -> BlogPost:
    doc = miniature_railway_document(style)
    renderer = Renderer()
    return BlogPost(
        key="s-1",
        title=title or doc.title,
        html=renderer.blog_html(doc),
        markdown=renderer.markdown(doc, title=False),
        excerpt="鳥取県の小さな集落で、40年間ローカル線を運転してきた男性が…",
        date=datetime(2026, 5, 5, 10, 0, tzinfo=UTC),
        style=style,
    )


@pytest.fixture
def post() -> BlogPost:
    return railway_post()


@pytest.fixture
async def blogs(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BlogFakes]:
    clear_proxy_env(monkeypatch)
    fakes = await BlogFakes().start()
    monkeypatch.setenv("HANNO_WORDPRESS_PASSWORD", fakes.wp_password)
    monkeypatch.setenv("HANNO_HATENA_API_KEY", fakes.hatena_key)
    monkeypatch.setenv("HANNO_LIVEDOOR_API_KEY", fakes.livedoor_key)
    try:
        yield fakes
    finally:
        await fakes.stop()


def blog_fields(blogs: BlogFakes, kind: str, **extra: object) -> dict[str, object]:
    """The config fields of the fake blog of `kind` (wordpress, hatena or livedoor)."""
    if kind == "wordpress":
        fields: dict[str, object] = {
            "name": "wp",
            "url": blogs.wordpress_url,
            "user": blogs.wp_user,
        }
    else:
        fields = {
            "name": kind,
            "url": getattr(blogs, f"{kind}_url"),
            "user": getattr(blogs, f"{kind}_user"),
            "blog_id": getattr(blogs, f"{kind}_blog"),
        }
    return {**fields, "kind": kind, "timeout": 2, **extra}


def wordpress_settings(blogs: BlogFakes, **extra: object) -> WordPressSettings:
    return WordPressSettings.model_validate(blog_fields(blogs, "wordpress", **extra))


def hatena_settings(blogs: BlogFakes, **extra: object) -> HatenaSettings:
    return HatenaSettings.model_validate(blog_fields(blogs, "hatena", **extra))


def livedoor_settings(blogs: BlogFakes, **extra: object) -> LivedoorSettings:
    return LivedoorSettings.model_validate(blog_fields(blogs, "livedoor", **extra))


def git_site(tmp_path: Path) -> Path:
    """A git repository with a Hugo-like content folder, as a team's site would be."""
    subprocess.run(["git", "init", "-q", str(tmp_path / "site")], check=True)
    folder = tmp_path / "site" / "content" / "posts"
    folder.mkdir(parents=True)
    return folder


def git_log(folder: Path) -> list[str]:
    """The commits of the repository around `folder`: author and subject, newest first."""
    out = subprocess.run(
        ["git", "-C", str(folder), "log", "--format=%an <%ae> %s"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.splitlines()


def static_settings(folder: Path, **extra: object) -> StaticSettings:
    return StaticSettings.model_validate(
        {"name": "site", "kind": "static", "folder": folder, **extra}
    )


def targets_toml(blogs: BlogFakes, site: Path) -> str:
    """`[[publish.targets]]` for every kind, pointed at the fakes: WordPress and Hatena are
    `auto`, livedoor and the static site are posted to only with `--to`."""
    targets = (
        blog_fields(blogs, "wordpress", categories=["海外の反応"], auto=True),
        blog_fields(blogs, "hatena", auto=True),
        blog_fields(blogs, "livedoor"),
        {
            "name": "site",
            "kind": "static",
            "folder": site.as_posix(),
            "git": True,
            "tags": ["海外の反応"],
        },
    )
    # JSON's strings, numbers, booleans and lists are TOML's too.
    return "".join(
        "\n[[publish.targets]]\n"
        + "".join(
            f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items()
        )
        for fields in targets
    )


# The railway story as commands (moderators aiko and kenji, translator mei, members sam and
# lena): an X post and a YouTube video as sources, two comments translated and approved.
RAILWAY_STORY = (
    'aiko: /article new "元運転士の裏庭ミニ鉄道"',
    'aiko: /article set 1 lead "鳥取県の元運転士が裏庭にミニ鉄道を作りました。海外の反応をご紹介します。"',
    'aiko: /article set 1 closing "次の延伸にも期待しましょう。"',
    "aiko: /article source 1 https://x.com/hakuto_line/status/1890011223344556677"
    ' --text "開業一周年です🚂" --author "白兎ミニ鉄道" --handle hakuto_line --date "May 5, 2026"',
    "aiko: /article source 1 https://youtu.be/dQw4w9WgXcQ",
    'sam: /comment add 1 "He even calculated the gradients." --country DE --persona 👷🏻‍♂️',
    'lena: /comment add 1 "<b>Tiny</b> trains, big smiles @everyone" --country BR,PT',
    "lena: /vote 1 up",
    "sam: /vote 2 up",
    "aiko: /article close 1",
    "mei: /translate claim 1",
    "mei: /translate claim 2",
    'mei: /translate submit 1 "勾配まで計算しているなんて、さすがだ。"',
    'mei: /translate submit 2 "<b>小さな</b>列車に大きな笑顔 @everyone"',
    "aiko: /article set 1 style numbered",
    "aiko: /draft submit 1",
    "kenji: /draft approve 1",
)


# Every fault a blog can answer with, and the words its sentence must hold (target "wp").
WP_FAULTS = (
    (Fault(status=401), "wp refused the sign-in (HTTP 401); check the user name"),
    (Fault(status=403), "wp refused the sign-in (HTTP 403)"),
    (Fault(status=404), "wp answered 404 Not Found at http://127.0.0.1:"),
    (Fault(status=413), "wp refused the post as too large (HTTP 413)"),
    (Fault(status=429, headers={"Retry-After": "30"}), "wait 30 seconds and publish again"),
    (Fault(status=502), "wp had a server error (HTTP 502)"),
    (Fault(status=200, delay=3), "wp did not answer within 2 seconds"),
    (Fault(login_page=True), "wp answered with a web page instead of JSON"),
)
