"""A static site (Hugo, Jekyll, Eleventy): a Markdown file with YAML front matter in a folder,
optionally committed to the git repository around it.

The file is named `YYYY-MM-DD-hanno-<key>.md` (Jekyll's `_posts` needs the date first; Hugo
and Eleventy take any name) and its path, relative to the folder, is what hanno records.
Publishing again rewrites that file; if it was deleted, that is reported, not recreated.
Files are written whole (a temporary file, then a rename), so a site build never sees half.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path

from bot.core.targets import (
    BlogPost,
    PostGone,
    Publication,
    PublicationStatus,
    RemotePost,
    TargetFault,
)
from bot.publish.base import Configured, marker
from bot.publish.settings import StaticSettings


def front_matter(post: BlogPost, *, draft: bool, tags: list[str]) -> str:
    """YAML front matter; strings are written as JSON strings, which YAML reads as they are."""
    rows = [
        "---",
        f"title: {_string(post.title)}",
        f"date: {post.date.isoformat(timespec='seconds')}",
        "tags: [" + ", ".join(_string(tag) for tag in tags) + "]",
        f"draft: {'true' if draft else 'false'}",
        f"description: {_string(post.excerpt)}",
        "---",
    ]
    return "\n".join(rows) + "\n"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class StaticTarget(Configured[StaticSettings]):
    def __init__(self, settings: StaticSettings) -> None:
        super().__init__(settings, "static")
        self.folder = Path(settings.folder)

    async def create(self, post: BlogPost) -> RemotePost:
        """A new file; one left by an attempt whose record was lost is taken over, not doubled."""
        earlier = sorted(self.folder.glob(f"*-{marker(post)}.md"))
        name = earlier[0].name if earlier else f"{post.date:%Y-%m-%d}-{marker(post)}.md"
        return await self._write(Path(name), post, draft=self.settings.draft)

    async def update(self, post: BlogPost, previous: Publication) -> RemotePost:
        relative = Path(previous.remote_id)
        path = self.folder / relative
        if not path.is_file():
            raise PostGone("target.file_gone", target=self.name, path=str(path))
        draft = previous.status is PublicationStatus.DRAFT
        return await self._write(relative, post, draft=draft)

    async def _write(self, relative: Path, post: BlogPost, *, draft: bool) -> RemotePost:
        if not self.folder.is_dir():
            raise TargetFault("target.no_folder", target=self.name, path=str(self.folder))
        text = front_matter(post, draft=draft, tags=self.settings.tags) + "\n" + post.markdown
        try:
            await asyncio.to_thread(_write_whole, self.folder / relative, text)
        except OSError as exc:
            raise TargetFault(
                "target.write_failed",
                target=self.name,
                path=str(self.folder / relative),
                detail=exc.strerror or type(exc).__name__,
            ) from None
        if self.settings.git:
            await self._commit(relative, post)
        status = PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED
        return RemotePost(
            remote_id=relative.as_posix(), status=status, url=str(self.folder / relative)
        )

    async def _commit(self, relative: Path, post: BlogPost) -> None:
        """Commit the one file, if it changed, with hanno's name as committer and author."""
        await self._git("add", "--", relative.as_posix())
        changed = await self._git("status", "--porcelain", "--", relative.as_posix())
        if changed.strip():
            message = f"hanno: {post.title}"
            await self._git("commit", "-q", "-m", message, "--", relative.as_posix())

    async def _git(self, *args: str) -> str:
        settings = self.settings
        command = (
            "git",
            "-c",
            f"user.name={settings.git_name}",
            "-c",
            f"user.email={settings.git_email}",
            "-C",
            str(self.folder),
            *args,
        )
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            )
            out, err = await process.communicate()
        except OSError:
            raise TargetFault("target.no_git", target=self.name) from None
        if process.returncode != 0:
            detail = " ".join(err.decode("utf-8", "replace").split())[:160]
            raise TargetFault(
                "target.git_failed", target=self.name, path=str(self.folder), detail=detail
            )
        return out.decode("utf-8", "replace")


def _write_whole(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".hanno-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
