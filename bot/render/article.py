"""The article in every shape it leaves the bot: chat parts, text, Markdown, blog HTML.

The layout lives in Jinja2 templates, not in code: one template per reaction style
(`persona`, `numbered`, `bilingual`, or a team's own file), rendered once into format-neutral
blocks (`bot.render.blocks`) that the writers turn into every format. So a team that replaces
the layout replaces it for the chat, the exports and the blog posts at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from bot.core.errors import InvalidInput
from bot.core.messages import t
from bot.core.models import ArticleDocument, Reaction
from bot.render.blocks import BLOCK_FILTERS, Out, Segment, finalize, segments
from bot.render.chat import Measure, Units, split_units
from bot.render.escape import is_link, markdown_line, plain_text, single_line
from bot.render.writers import (
    RenderOptions,
    attribution,
    badge,
    country_name,
    lines,
    text_units,
    write_html,
    write_markdown,
)

BUILTIN_STYLES = {"persona": "persona.j2", "numbered": "numbered.j2", "bilingual": "bilingual.j2"}
DEFAULT_STYLE = "persona"
# The style name a single `[article] template` file is known by.
TEMPLATE_STYLE = "template"
HTML_PAGE = "article.html.j2"


def oneline(text: str) -> str:
    """`text` as one line, for parts of the layout that are one line by definition."""
    return single_line(text)


def reaction_line(reaction: Reaction) -> str:
    """Persona, flags, a space and the translation: one reaction, one line (for templates
    that write their own text)."""
    mark = badge(reaction.persona, reaction.flags)
    text = single_line(reaction.text)
    return f"{mark} {text}" if mark and text else mark or text


def reaction_markdown(reaction: Reaction) -> str:
    """`reaction_line` as inert Markdown."""
    return markdown_line(reaction_line(reaction))


def _environment(loader: jinja2.BaseLoader, options: RenderOptions) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    language = options.country_language
    env.filters.update(BLOCK_FILTERS)
    env.filters.update(
        lines=lines,
        oneline=oneline,
        attribution=attribution,
        reaction_line=reaction_line,
        badge=lambda reaction: badge(reaction.persona, reaction.flags),
        country=lambda code: country_name(code, language),
        countries=lambda reaction: _countries(reaction, language),
    )
    env.tests["link"] = is_link
    env.globals["style"] = options
    return env


def _countries(reaction: Reaction, language: str) -> str:
    """Each country as its flag and name ("🇰🇷韓国 🇺🇸アメリカ合衆国"); the flags alone when the
    reaction names no country codes."""
    if not reaction.countries:
        return single_line(reaction.flags)
    flags = [reaction.flags[index : index + 2] for index in range(0, len(reaction.flags), 2)]
    return " ".join(
        flag + country_name(code, language)
        for flag, code in zip(flags, reaction.countries, strict=False)
    )


class Renderer:
    """Renders an `ArticleDocument` in its style (`doc.style`, else the default style).

    `template_path` is a team's own template (the style `template`, and then the default);
    `templates` names more of them. Custom templates are loaded at construction, so a broken
    file is reported when the bot starts rather than when an article is published.
    """

    def __init__(
        self,
        template_path: Path | None = None,
        *,
        templates: Mapping[str, Path] | None = None,
        default_style: str | None = None,
        options: RenderOptions | None = None,
    ) -> None:
        self.options = options or RenderOptions()
        package = jinja2.PackageLoader("bot.render", "templates")
        builtin = _environment(package, self.options)
        self._styles: dict[str, tuple[jinja2.Template, Path | None]] = {
            name: (builtin.get_template(file), None) for name, file in BUILTIN_STYLES.items()
        }
        custom = dict(templates or {})
        if template_path is not None:
            custom[TEMPLATE_STYLE] = Path(template_path)
        for name, path in custom.items():
            self._styles[name] = (_load_custom(Path(path), package, self.options), Path(path))
        chosen = default_style or (TEMPLATE_STYLE if template_path is not None else DEFAULT_STYLE)
        if chosen not in self._styles:
            raise InvalidInput(
                "render.unknown_style", field="style", style=chosen, known=", ".join(self._styles)
            )
        self.default_style = chosen
        page = jinja2.Environment(
            loader=package,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        page.filters["oneline"] = oneline
        self._page = page.get_template(HTML_PAGE)
        self._last: tuple[ArticleDocument, list[Segment]] | None = None

    @property
    def styles(self) -> tuple[str, ...]:
        """Every style an article can be set to: the built-in ones, then the team's."""
        return tuple(self._styles)

    def _segments(self, doc: ArticleDocument) -> list[Segment]:
        """The article's blocks in its style; the last article's are kept, since a publish
        renders one article into several formats in a row."""
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        name = doc.style or self.default_style
        if name not in self._styles:
            raise InvalidInput(
                "render.unknown_style", field="style", style=name, known=", ".join(self._styles)
            )
        template, path = self._styles[name]
        out = Out()
        try:
            output = template.render(doc=doc, out=out)
        except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as error:
            # What a template's own expressions raise: the team's file is at fault, say so.
            if path is None:
                raise  # a built-in template failing is a bug, not a user's mistake
            raise InvalidInput(
                "render.template_failed", field="template", path=str(path), problem=_describe(error)
            ) from error
        result = segments(output, out.blocks)
        self._last = (doc, result)
        return result

    def text(self, doc: ArticleDocument) -> str:
        """The article as text in its style, title first: the chat's, the .txt export's and
        the draft preview's layout."""
        return Units(text_units(self._segments(doc), doc.title))

    def plain(self, doc: ArticleDocument) -> str:
        """The text layout without control characters: safe for a .txt file or a chat."""
        return plain_text(self.text(doc))

    def chat_parts(self, doc: ArticleDocument, limit: int, measure: Measure = len) -> list[str]:
        """The plain text cut into chat messages of at most `limit`, between whole reactions
        and source posts where they fit (see `split_units`): what every front end posts."""
        units = text_units(self._segments(doc), doc.title)
        return split_units([plain_text(unit) for unit in units], limit, measure)

    def markdown(self, doc: ArticleDocument, *, title: bool = True) -> str:
        """Markdown in which no comment can add formatting, links or HTML; with `title` the
        article's title as its first heading (a static site takes it from front matter)."""
        return write_markdown(self._segments(doc), doc.title if title else "")

    def blog_html(self, doc: ArticleDocument) -> str:
        """The article's body as blog HTML (WordPress, Hatena, livedoor): no title, every text
        escaped, source posts as embeds."""
        return write_html(self._segments(doc), self.options)

    def html(self, doc: ArticleDocument, *, full: bool = False) -> str:
        """The blog HTML in an `<article>`, or with `full` a whole document."""
        return self._page.render(doc=doc, full=full, body=Markup(self.blog_html(doc)))


def _load_custom(path: Path, package: jinja2.BaseLoader, options: RenderOptions) -> jinja2.Template:
    """Compile a team's template file, turning every way it can fail into one clear error.

    Its folder comes first, then the built-in templates: a team's style can extend
    `layout.j2` and fill in only the reactions."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(path.parent), package])
    env = _environment(loader, options)
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
