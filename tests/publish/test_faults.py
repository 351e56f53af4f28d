"""Every fault of every HTTP target is one sentence naming the target and what to check."""

from __future__ import annotations

import re
import socket

import pytest

from bot.core.targets import BlogPost, TargetFault
from bot.publish import build_target
from bot.publish.settings import AnyTargetSettings
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.publish.conftest import (
    hatena_settings,
    livedoor_settings,
    railway_post,
    wordpress_settings,
)

SETTINGS = {
    "wordpress": wordpress_settings,
    "hatena": hatena_settings,
    "livedoor": livedoor_settings,
}
NAMES = {"wordpress": "wp", "hatena": "hatena", "livedoor": "livedoor"}
FAULTS = {
    "403": (Fault(status=403), r"^{t} refused the sign-in \(HTTP 403\); check the user name"),
    "413": (Fault(status=413), r"^{t} refused the post as too large \(HTTP 413\)"),
    "429": (
        Fault(status=429, headers={"Retry-After": "120"}),
        r"^{t} is limiting requests \(HTTP 429\); wait 120 seconds and publish again\.$",
    ),
    "429 without a wait": (
        Fault(status=429),
        r"^{t} is limiting requests \(HTTP 429\); wait a few minutes",
    ),
    "500": (Fault(status=500), r"^{t} had a server error \(HTTP 500\); check that the blog is up"),
    "503": (Fault(status=503), r"^{t} had a server error \(HTTP 503\)"),
    "timeout": (
        Fault(status=200, delay=1.5),
        r"^{t} did not answer within 0.5 seconds; check the address http://127",
    ),
    "login page": (
        Fault(login_page=True),
        r"^{t} answered with a web page instead of (JSON|XML); check that the address in the config",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", SETTINGS)
async def test_fault_is_one_sentence_naming_the_target(
    blogs: BlogFakes, kind: str, fault: str
) -> None:
    scripted, pattern = FAULTS[fault]
    blogs.fail(kind, scripted)
    target = build_target(SETTINGS[kind](blogs, timeout=0.5))
    with pytest.raises(TargetFault) as caught:
        await target.create(railway_post())
    message = caught.value.message
    assert re.search(pattern.format(t=NAMES[kind]), message), message
    assert "\n" not in message and "Traceback" not in message
    assert blogs.posts == {} and all(not e for e in blogs.entries.values())


@pytest.mark.parametrize("kind", SETTINGS)
async def test_unreachable_blog(blogs: BlogFakes, kind: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings: AnyTargetSettings = SETTINGS[kind](blogs, url=f"http://127.0.0.1:{port}")
    with pytest.raises(
        TargetFault, match=rf"^{NAMES[kind]} could not be reached at http://127\.0\.0\.1:{port}"
    ):
        await build_target(settings).create(railway_post())


async def test_wordpress_refusal_quotes_its_own_message(blogs: BlogFakes) -> None:
    blogs.fail("wordpress", Fault(status=400))
    post: BlogPost = railway_post()
    with pytest.raises(
        TargetFault,
        match=r"^wp refused the post \(HTTP 400: Error\.\); check the target's settings",
    ):
        await build_target(wordpress_settings(blogs)).create(post)


async def test_japanese_sentence(blogs: BlogFakes) -> None:
    blogs.fail("hatena", Fault(status=503))
    with pytest.raises(TargetFault) as caught:
        await build_target(hatena_settings(blogs)).create(railway_post())
    from bot.core.messages import t

    assert t(caught.value.key, "ja", **caught.value.params) == (
        "hatena でサーバーエラーが起きました（HTTP 503）。ブログが動いているか確認してから、もう一度公開してください。"
    )
