"""A static site: Markdown with front matter in a folder, committed to its git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.targets import PostGone, Publication, PublicationStatus, TargetFault
from bot.publish.static import StaticTarget
from tests.publish.conftest import git_log, git_site, railway_post, static_settings


def _record(remote_id: str) -> Publication:
    return Publication(
        target="site", kind="static", status=PublicationStatus.DRAFT, remote_id=remote_id
    )


async def test_writes_markdown_with_front_matter_and_commits_it(tmp_path: Path) -> None:
    folder = git_site(tmp_path)
    target = StaticTarget(static_settings(folder, git=True, tags=["海外の反応", "鉄道"]))
    remote = await target.create(railway_post())
    assert (
        remote.remote_id == "2026-05-05-hanno-s-1.md" and remote.status is PublicationStatus.DRAFT
    )
    text = (folder / remote.remote_id).read_text(encoding="utf-8")
    assert text.startswith(
        "---\n"
        'title: "元運転士が裏庭に作ったミニ鉄道、子どもたちの人気者に"\n'
        "date: 2026-05-05T10:00:00+00:00\n"
        'tags: ["海外の反応", "鉄道"]\n'
        "draft: true\n"
        'description: "鳥取県の小さな集落で、40年間ローカル線を運転してきた男性が…"\n'
        "---\n\n鳥取県の小さな集落で"
    )
    assert "\n## 海外の反応\n" in text and "# 元運転士" not in text  # the title is front matter's
    assert git_log(folder) == [
        "hanno <hanno@localhost> hanno: 元運転士が裏庭に作ったミニ鉄道、子どもたちの人気者に"
    ]


async def test_republish_rewrites_the_same_file_and_commits_only_a_change(tmp_path: Path) -> None:
    folder = git_site(tmp_path)
    target = StaticTarget(static_settings(folder, git=True))
    remote = await target.create(railway_post())
    await target.update(railway_post(), _record(remote.remote_id))  # nothing changed
    again = await target.update(railway_post("numbered", title="改題"), _record(remote.remote_id))
    assert again.remote_id == remote.remote_id
    assert [p.name for p in folder.iterdir()] == [remote.remote_id]
    assert len(git_log(folder)) == 2
    assert 'title: "改題"' in (folder / remote.remote_id).read_text(encoding="utf-8")


async def test_a_file_left_by_a_lost_record_is_taken_over(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "2026-05-01-hanno-s-1.md").write_text("old", encoding="utf-8")
    remote = await StaticTarget(static_settings(folder)).create(railway_post())
    assert remote.remote_id == "2026-05-01-hanno-s-1.md" and len(list(folder.iterdir())) == 1


async def test_deleted_file_is_reported_not_recreated(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    target = StaticTarget(static_settings(folder))
    remote = await target.create(railway_post())
    (folder / remote.remote_id).unlink()
    with pytest.raises(PostGone, match="was deleted, so it is not recreated"):
        await target.update(railway_post(), _record(remote.remote_id))
    assert list(folder.iterdir()) == []


async def test_missing_folder_and_missing_repository(tmp_path: Path) -> None:
    with pytest.raises(TargetFault, match=r"^site writes into .*nowhere, which is not a folder"):
        await StaticTarget(static_settings(tmp_path / "nowhere")).create(railway_post())
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(
        TargetFault, match=r"^site could not commit in .*plain \(.*not a git repository"
    ):
        await StaticTarget(static_settings(plain, git=True)).create(railway_post())
