"""The article in every shape it leaves the bot: text, chat parts, Markdown, HTML, plain text.

The layout lives in Jinja2 templates, not in code, so a team can replace the text layout with
its own file without touching Python. Markdown and HTML are exports with fixed layouts; their
templates only ever see text already made inert (Markdown escaping, HTML autoescape).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from bot.core.errors import InvalidInput
from bot.core.messages import t
from bot.core.models import ArticleDocument, Reaction, Source
from bot.render.chat import Measure, split_for_chat
from bot.render.escape import (
    is_link,
    markdown_line,
    markdown_link,
    markdown_text,
    plain_text,
    single_line,
)

DEFAULT_TEXT_TEMPLATE = "article.txt.j2"
MARKDOWN_TEMPLATE = "article.md.j2"
HTML_TEMPLATE = "article.html.j2"


def lines(text: str) -> list[str]:
    """The non-blank lines of `text`, stripped: the paragraphs of the article's layout."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def oneline(text: str) -> str:
    """`text` as one line, for parts of the layout that are one line by definition."""
    return single_line(text)


def attribution(source: Source) -> str:
    """The "— author (@handle) date" line of a source post, leaving out what is not known."""
    author = oneline(source.author)
    handle = oneline(source.handle).lstrip("@")
    words = [author] if author else []
    if handle:
        words.append(f"(@{handle})" if author else f"@{handle}")
    if date := oneline(source.date):
        words.append(date)
    return f"— {' '.join(words)}" if words else ""


def reaction_line(reaction: Reaction) -> str:
    """Persona, flags, a space and the translation: one reaction, one line.

    The hot loop of every export (once per reaction and per format); `single_line` is a plain
    `strip()` after one cheap check for the usual text without line breaks.
    """
    badge = _badge(reaction.persona, reaction.flags)
    text = single_line(reaction.text)
    return f"{badge} {text}" if badge and text else badge or text


@lru_cache(maxsize=1024)
def _badge(persona: str, flags: str) -> str:
    """Persona and flags on one line; an article repeats a few dozen faces and flags."""
    return single_line(persona + flags)


def reaction_markdown(reaction: Reaction) -> str:
    """`reaction | reaction_line | md` without looking for line breaks a second time."""
    return markdown_line(reaction_line(reaction))


def _environment(loader: jinja2.BaseLoader, *, autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        lines=lines,
        oneline=oneline,
        attribution=attribution,
        reaction_line=reaction_line,
        reaction_md=reaction_markdown,
        md=markdown_text,
        md_link=markdown_link,
    )
    env.tests["link"] = is_link
    return env


class Renderer:
    """Renders an `ArticleDocument`; `template_path` replaces the default text layout.

    A custom template is loaded at construction, so a broken file is reported when the bot
    starts rather than when an article is published.
    """

    def __init__(self, template_path: Path | None = None) -> None:
        package = jinja2.PackageLoader("bot.render", "templates")
        self._exports = _environment(package, autoescape=False)
        self._html = _environment(package, autoescape=True)
        # Loaded once: `get_template` on every render would also stat the file to reload it.
        self._markdown = self._exports.get_template(MARKDOWN_TEMPLATE)
        self._html_template = self._html.get_template(HTML_TEMPLATE)
        self._template_path = template_path
        if template_path is None:
            self._text = self._exports.get_template(DEFAULT_TEXT_TEMPLATE)
        else:
            self._text = _load_custom(Path(template_path))

    def text(self, doc: ArticleDocument) -> str:
        """The article in the text layout (the team's template, or the reference layout)."""
        try:
            return self._text.render(doc=doc)
        except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as error:
            # What a template's own expressions raise: the team's file is at fault, say so.
            if self._template_path is None:
                raise  # the default template failing is a bug, not a user's mistake
            raise InvalidInput(
                "render.template_failed",
                field="template",
                path=str(self._template_path),
                problem=_describe(error),
            ) from error

    def plain(self, doc: ArticleDocument) -> str:
        """The text layout without control characters: safe for a .txt file or a chat."""
        return plain_text(self.text(doc))

    def chat_parts(self, doc: ArticleDocument, limit: int, measure: Measure = len) -> list[str]:
        """The plain text cut into chat messages of at most `limit` (see `split_for_chat`)."""
        return split_for_chat(self.plain(doc), limit, measure)

    def markdown(self, doc: ArticleDocument) -> str:
        """A Markdown export in which no comment can add formatting, links or HTML."""
        return self._markdown.render(doc=doc)

    def html(self, doc: ArticleDocument, *, full: bool = False) -> str:
        """An escaped HTML fragment for a blog editor, or with `full` a whole document."""
        return self._html_template.render(doc=doc, full=full)


def _load_custom(path: Path) -> jinja2.Template:
    """Compile a team's template file, turning every way it can fail into one clear error."""
    env = _environment(jinja2.FileSystemLoader(path.parent), autoescape=False)
    try:
        return env.get_template(path.name)
    except (jinja2.TemplateError, OSError, UnicodeDecodeError) as error:
        raise InvalidInput(
            "render.template_unreadable",
            field="template",
            path=str(path),
            problem=_describe(error),
        ) from error


def _describe(error: Exception) -> str:
    """A short account of what is wrong with a template, for the person who wrote it."""
    params: dict[str, Any] = {}
    if isinstance(error, jinja2.TemplateNotFound):
        key = "render.problem_missing"
    elif isinstance(error, jinja2.TemplateSyntaxError):
        key = "render.problem_syntax"
        params = {"line": error.lineno, "detail": _sentence(error.message or "")}
    elif isinstance(error, UnicodeDecodeError):
        key = "render.problem_encoding"
    elif isinstance(error, OSError):
        key = "render.problem_os"
        params = {"detail": _sentence(error.strerror or str(error))}
    else:
        key = "render.problem_other"
        params = {"detail": _sentence(str(error))}
    return t(key, **params)


def _sentence(detail: str) -> str:
    """Jinja2's own wording, without the final period the catalogue sentence adds."""
    return oneline(detail).rstrip(".")
