"""The command table: one declarative entry per command drives parsing and help alike.

Keeping the grammar as data (rather than one hand-written parser per command) means a command's
usage line, its arguments, its options and its help can never drift apart, and a new command is
one entry here plus its sentences in `locale/en/grammar.toml`.

The `args` of a parsed `Command`, per command. Every key listed is always present; an option
that was not given is None.

| command          | args                                                                    |
| ---------------- | ----------------------------------------------------------------------- |
| article new      | title: str                                                              |
| article list     | (none)                                                                  |
| article show     | article: int                                                            |
| article set      | article: int, field: "title"|"lead"|"closing"|"min_score"|"max_reactions"| |
|                  | "style"|"deadline"|"voting", value: str (title, lead, closing, style,   |
|                  | deadline, voting) or int (the numbers); deadline and voting are read by |
|                  | the core as typed                                                       |
| article source   | article: int, url: str, text, author, handle, date: str | None         |
| article close    | article: int, at: str | None (a time, or "off"), in_: str | None (24h)   |
| article reopen   | article: int                                                            |
| article status   | article: int                                                            |
| article history  | article: int                                                            |
| comment add      | article: int, text: str, url, author, lang, persona: str | None,        |
|                  | countries: tuple[str, ...] | None (upper-cased, e.g. ("KR", "US"))      |
| comment import   | article: int, url: str, top: int | None (>= 1), min_score: int | None,   |
|                  | langs: tuple[str, ...] | None (lower-cased), replies: True | None       |
| comment list     | article: int, status: "candidate"|"selected"|"dropped" | None           |
| comment show     | comment: int                                                            |
| comment pick     | comment: int                                                            |
| comment drop     | comment: int                                                            |
| comment move     | comment: int, position: int (>= 1)                                      |
| comment persona  | comment: int, persona: str, countries: tuple[str, ...] | None           |
| vote             | comment: int, choice: "up"|"down"|"clear"                               |
| translate assign | comment: int, user: str (as typed, e.g. "alice" or "<@U123>")           |
| translate claim  | comment: int                                                            |
| translate release| comment: int                                                            |
| translate submit | comment: int, text: str                                                 |
| translate mine   | (none)                                                                  |
| translate suggest| number: int (a comment; an article with all=True), all: bool            |
| translate accept | comment: int                                                            |
| translate history| comment: int                                                            |
| translate restore| comment: int, revision: int (>= 1)                                      |
| translate remark | comment: int, text: str                                                 |
| translate resolve| comment: int                                                            |
| glossary add     | source: str (one token; quote a name with spaces), target: str, note    |
| glossary list    | (none)                                                                  |
| glossary remove  | source: str                                                             |
| glossary dismiss | comment: int, source: str | None (--term)                              |
| draft build      | article: int                                                            |
| draft submit     | article: int                                                            |
| draft approve    | article: int, note: str | None                                          |
| draft reject     | article: int, reason: str                                               |
| publish          | article: int, to: str | None (a blog target's name)                     |
| team add         | user: str (as typed), role: "translator"                                |
| team remove      | user: str (as typed), role: "translator"                                |
| team list        | (none)                                                                  |
| stats            | since: str | None (a duration such as 30d)                              |
| help             | topic: str | None (a canonical command or group name, e.g. "comment add") |

Ids are positive ints; min_score is any int, max_reactions and position are at least 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

RoleHint = Literal["member", "translator", "moderator"]


class Kind(StrEnum):
    """How a positional argument is read from the tokens."""

    ARTICLE = "article"  # one token: an article id, `3` or `#3`
    COMMENT = "comment"  # one token: a comment id
    WORD = "word"  # one token: a URL or a user, read as typed on any keyboard (NFKC)
    EMOJI = "emoji"  # one token, kept exactly as typed (the service checks it)
    CHOICE = "choice"  # one token from `choices`, case-insensitive
    TEXT = "text"  # all remaining positional tokens, joined with single spaces
    POSITION = "position"  # one token: an integer of at least 1
    FIELD_VALUE = "field_value"  # article set: TEXT or a number, depending on the field


class OptionKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    COUNTRIES = "countries"  # CC[,CC...] -> tuple of upper-cased codes
    LANGUAGES = "languages"  # L[,L...] -> tuple of lower-cased codes
    NUMBER = "number"  # a whole number, checked like a positional one of the same key
    FLAG = "flag"  # takes no value: True when given


@dataclass(frozen=True)
class Param:
    """A positional argument; `key` is its name in `Command.args` and in `grammar.what.*`."""

    key: str
    kind: Kind
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """A `--name value` option; absent options appear in `Command.args` as None."""

    name: str  # without the leading dashes
    key: str
    metavar: str
    help_key: str
    kind: OptionKind = OptionKind.TEXT
    choices: tuple[str, ...] = ()
    # A word (a URL, a language or handle), not prose: full-width forms are read as ASCII.
    word: bool = False

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def written(self) -> str:
        """As usage and help show it: `--top N`, or just `--replies` for a flag."""
        return self.flag if self.kind is OptionKind.FLAG else f"{self.flag} {self.metavar}"


@dataclass(frozen=True)
class CommandSpec:
    """One command: how it is written, what it takes, and who it is meant for."""

    name: str
    section: str
    usage: tuple[str, ...]
    params: tuple[Param, ...] = ()
    options: tuple[Option, ...] = ()
    role: RoleHint = "member"
    brief: str = ""  # the overview's usage, where the full one is too long to scan

    @property
    def slug(self) -> str:
        return self.name.replace(" ", "_")

    @property
    def summary_key(self) -> str:
        return f"grammar.summary.{self.slug}"

    @property
    def example_key(self) -> str:
        return f"grammar.example.{self.slug}"

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)


TEXT_FIELDS = ("title", "lead", "closing")
NUMBER_FIELDS = ("min_score", "max_reactions")
STYLE_FIELDS = ("style",)  # the value is a style's name, one word
# Fields whose value is read by the core as typed: a time (or off), a voting mode.
WORD_FIELDS = ("deadline", "voting")
VOTING_MODES = ("hidden", "open")
GRANTABLE_ROLES = ("translator",)
VOTE_CHOICES = ("up", "down", "clear")
COMMENT_STATUSES = ("candidate", "selected", "dropped")

# Order of sections in the help overview, and the command groups that take a subcommand.
SECTIONS = ("articles", "comments", "translations", "glossary", "drafts", "team", "help")
GROUPS = ("article", "comment", "translate", "glossary", "draft", "team")

_A = Param("article", Kind.ARTICLE)
_C = Param("comment", Kind.COMMENT)


_COUNTRY = Option("country", "countries", "CC[,CC]", "grammar.option.country", OptionKind.COUNTRIES)

SPECS: tuple[CommandSpec, ...] = (
    # Articles
    CommandSpec(
        "article new",
        "articles",
        ("article new <title>",),
        (Param("title", Kind.TEXT),),
        role="moderator",
    ),
    CommandSpec("article list", "articles", ("article list",)),
    CommandSpec("article show", "articles", ("article show <a>",), (_A,)),
    CommandSpec(
        "article set",
        "articles",
        (
            "article set <a> title|lead|closing <text>",
            "article set <a> min_score|max_reactions <number>",
            "article set <a> style persona|numbered|bilingual|<template>",
            "article set <a> deadline <time>|off",
            "article set <a> voting hidden|open",
        ),
        (
            _A,
            Param("field", Kind.CHOICE, TEXT_FIELDS + NUMBER_FIELDS + STYLE_FIELDS + WORD_FIELDS),
            Param("value", Kind.FIELD_VALUE),
        ),
        role="moderator",
        brief="article set <a> <field> <value>",
    ),
    CommandSpec(
        "article source",
        "articles",
        ("article source <a> <url> [--text T] [--author A] [--handle H] [--date D]",),
        (_A, Param("url", Kind.WORD)),
        (
            Option("text", "text", "T", "grammar.option.source_text"),
            Option("author", "author", "A", "grammar.option.source_author"),
            Option("handle", "handle", "H", "grammar.option.source_handle", word=True),
            Option("date", "date", "D", "grammar.option.source_date"),
        ),
        role="moderator",
    ),
    CommandSpec(
        "article close",
        "articles",
        ("article close <a> [--at TIME] [--in DURATION]",),
        (_A,),
        (
            Option("at", "at", "TIME", "grammar.option.close_at"),
            Option("in", "in_", "DURATION", "grammar.option.close_in"),
        ),
        role="moderator",
    ),
    CommandSpec("article reopen", "articles", ("article reopen <a>",), (_A,), role="moderator"),
    CommandSpec("article status", "articles", ("article status <a>",), (_A,)),
    CommandSpec("article history", "articles", ("article history <a>",), (_A,)),
    # Comments and votes
    CommandSpec(
        "comment add",
        "comments",
        (
            "comment add <a> <text> [--url U] [--author A] [--lang L] [--persona EMOJI]"
            " [--country CC[,CC]]",
        ),
        (_A, Param("text", Kind.TEXT)),
        (
            Option("url", "url", "U", "grammar.option.comment_url", word=True),
            Option("author", "author", "A", "grammar.option.comment_author"),
            Option("lang", "lang", "L", "grammar.option.comment_lang", word=True),
            Option("persona", "persona", "EMOJI", "grammar.option.comment_persona"),
            _COUNTRY,
        ),
    ),
    CommandSpec(
        "comment import",
        "comments",
        ("comment import <a> <url> [--top N] [--min-score S] [--lang L[,L]] [--replies]",),
        (_A, Param("url", Kind.WORD)),
        (
            Option("top", "top", "N", "grammar.option.import_top", OptionKind.NUMBER),
            Option(
                "min-score", "min_score", "S", "grammar.option.import_min_score", OptionKind.NUMBER
            ),
            Option("lang", "langs", "L[,L]", "grammar.option.import_lang", OptionKind.LANGUAGES),
            Option("replies", "replies", "", "grammar.option.import_replies", OptionKind.FLAG),
        ),
        role="moderator",
    ),
    CommandSpec(
        "comment list",
        "comments",
        ("comment list <a> [--status candidate|selected|dropped]",),
        (_A,),
        (
            Option(
                "status",
                "status",
                "candidate|selected|dropped",
                "grammar.option.comment_status",
                kind=OptionKind.CHOICE,
                choices=COMMENT_STATUSES,
            ),
        ),
    ),
    CommandSpec("comment show", "comments", ("comment show <c>",), (_C,)),
    CommandSpec("comment pick", "comments", ("comment pick <c>",), (_C,), role="moderator"),
    CommandSpec("comment drop", "comments", ("comment drop <c>",), (_C,), role="moderator"),
    CommandSpec(
        "comment move",
        "comments",
        ("comment move <c> <position>",),
        (_C, Param("position", Kind.POSITION)),
        role="moderator",
    ),
    CommandSpec(
        "comment persona",
        "comments",
        ("comment persona <c> <EMOJI> [--country CC[,CC]]",),
        (_C, Param("persona", Kind.EMOJI)),
        (_COUNTRY,),
        role="moderator",
    ),
    CommandSpec(
        "vote",
        "comments",
        ("vote <c> up|down|clear",),
        (_C, Param("choice", Kind.CHOICE, VOTE_CHOICES)),
    ),
    # Translations
    CommandSpec(
        "translate assign",
        "translations",
        ("translate assign <c> <user>",),
        (_C, Param("user", Kind.WORD)),
        role="moderator",
    ),
    CommandSpec(
        "translate claim", "translations", ("translate claim <c>",), (_C,), role="translator"
    ),
    CommandSpec(
        "translate release", "translations", ("translate release <c>",), (_C,), role="translator"
    ),
    CommandSpec(
        "translate submit",
        "translations",
        ("translate submit <c> <text>",),
        (_C, Param("text", Kind.TEXT)),
        role="translator",
    ),
    CommandSpec("translate mine", "translations", ("translate mine",), role="translator"),
    CommandSpec(
        "translate suggest",
        "translations",
        ("translate suggest <c> [--all]",),
        (Param("number", Kind.COMMENT),),
        (Option("all", "all", "", "grammar.option.suggest_all", OptionKind.FLAG),),
        role="translator",
    ),
    CommandSpec(
        "translate accept", "translations", ("translate accept <c>",), (_C,), role="translator"
    ),
    CommandSpec("translate history", "translations", ("translate history <c>",), (_C,)),
    CommandSpec(
        "translate restore",
        "translations",
        ("translate restore <c> <revision>",),
        (_C, Param("revision", Kind.POSITION)),
        role="translator",
    ),
    CommandSpec(
        "translate remark",
        "translations",
        ("translate remark <c> <text>",),
        (_C, Param("text", Kind.TEXT)),
        role="moderator",
    ),
    CommandSpec(
        "translate resolve", "translations", ("translate resolve <c>",), (_C,), role="translator"
    ),
    # Glossary
    CommandSpec(
        "glossary add",
        "glossary",
        ("glossary add <source> <target> [--note N]",),
        (Param("source", Kind.WORD), Param("target", Kind.TEXT)),
        (Option("note", "note", "N", "grammar.option.glossary_note"),),
        role="translator",
    ),
    CommandSpec("glossary list", "glossary", ("glossary list",)),
    CommandSpec(
        "glossary remove",
        "glossary",
        ("glossary remove <source>",),
        (Param("source", Kind.TEXT),),
        role="translator",
    ),
    CommandSpec(
        "glossary dismiss",
        "glossary",
        ("glossary dismiss <c> [--term SOURCE]",),
        (_C,),
        (Option("term", "source", "SOURCE", "grammar.option.glossary_term"),),
        role="translator",
    ),
    # Drafts and publishing
    CommandSpec("draft build", "drafts", ("draft build <a>",), (_A,), role="moderator"),
    CommandSpec("draft submit", "drafts", ("draft submit <a>",), (_A,), role="moderator"),
    CommandSpec(
        "draft approve",
        "drafts",
        ("draft approve <a> [--note N]",),
        (_A,),
        (Option("note", "note", "N", "grammar.option.approve_note"),),
        role="moderator",
    ),
    CommandSpec(
        "draft reject",
        "drafts",
        ("draft reject <a> <reason>",),
        (_A, Param("reason", Kind.TEXT)),
        role="moderator",
    ),
    CommandSpec(
        "publish",
        "drafts",
        ("publish <a> [--to <blog>]",),
        (_A,),
        (Option("to", "to", "<blog>", "grammar.option.publish_to"),),
        role="moderator",
    ),
    # The team
    CommandSpec(
        "team add",
        "team",
        ("team add <user> translator",),
        (Param("user", Kind.WORD), Param("role", Kind.CHOICE, GRANTABLE_ROLES)),
        role="moderator",
    ),
    CommandSpec(
        "team remove",
        "team",
        ("team remove <user> translator",),
        (Param("user", Kind.WORD), Param("role", Kind.CHOICE, GRANTABLE_ROLES)),
        role="moderator",
    ),
    CommandSpec("team list", "team", ("team list",)),
    CommandSpec(
        "stats",
        "team",
        ("stats [--since DURATION]",),
        (),
        (Option("since", "since", "DURATION", "grammar.option.stats_since"),),
    ),
    # Help
    CommandSpec("help", "help", ("help [command]",)),
)

COMMANDS: dict[str, CommandSpec] = {spec.name: spec for spec in SPECS}
