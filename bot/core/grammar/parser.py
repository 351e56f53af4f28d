"""Turn one command line into a `Command`, or explain in one sentence what is wrong with it.

Parsing happens once, here, so that Slack's `/hanno …` and the console's `/…` accept exactly the
same lines and say exactly the same things when a line is wrong. Every refusal is a
`ParseError` whose message names the problem and the fix; nothing else escapes `parse`.
"""

from __future__ import annotations

import difflib
import re
import shlex
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.core.errors import ParseError
from bot.core.grammar.spec import (
    COMMANDS,
    GROUPS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    CommandSpec,
    Kind,
    Option,
    OptionKind,
    Param,
)
from bot.core.messages import t

# Ids and numbers end up in SQLite integers and in list positions; anything beyond these is a
# typo, not a real value, and is refused before it can overflow anything.
MAX_ID = 2**31 - 1
MAX_NUMBER = 1_000_000

# At most 10 digits: enough for any id or limit, and int() never sees a 5,000-digit string.
_ID = re.compile(r"#?([0-9]{1,10})")
_INT = re.compile(r"[+-]?[0-9]+")
_SHOWN = 40  # how much of a user's token an error message repeats

# The smallest value each numeric field accepts (min_score may be negative).
_MINIMUM = {"min_score": -MAX_NUMBER, "max_reactions": 1, "position": 1, "top": 1, "revision": 1}


class Command(BaseModel):
    """A parsed command: its canonical name (a key of COMMANDS) and its arguments.

    The keys of `args` per command are listed in `bot.core.grammar.spec`.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    args: dict[str, Any]


def parse(line: str) -> Command:
    """Parse one command line (without its leading "/" or "/hanno "); raises ParseError."""
    tokens = _tokenise(line)
    if not tokens:
        raise ParseError("grammar.empty")
    spec, rest = _resolve(tokens)
    if spec.name == "help":
        return Command(name="help", args={"topic": resolve_topic(rest) if rest else None})
    positionals, options = _split_options(spec, rest)
    args = _bind(spec, positionals)
    args.update(options)
    return Command(name=spec.name, args=args)


def resolve_topic(words: list[str]) -> str:
    """The canonical help topic ("comment", "comment add", "vote"...) for what the user typed."""
    topic = " ".join(_word(w).lower() for w in words)
    topic = " ".join(topic.split())
    if topic in COMMANDS or topic in GROUPS:
        return topic
    suggestion = _closest(topic, [*COMMANDS, *GROUPS])
    if suggestion:
        raise ParseError("grammar.unknown_topic_suggest", topic=_show(topic), suggestion=suggestion)
    raise ParseError("grammar.unknown_topic", topic=_show(topic))


class _Token(str):
    """A word of the line, remembering the space typed before it.

    Text rejoins its words with the space the person typed, so a full-width space inside a
    Japanese comment stays one and a line break stays a line break (Slack's `/hanno article
    set 1 lead …` typed over several lines); every other word is read with NFKC (`_word`).
    """

    sep: str = " "


def _word(token: str) -> str:
    """A command word, id or option value as a Japanese keyboard types it, read as ASCII.

    Only words the grammar interprets pass through here; the text of comments, translations
    and other prose is never normalised.
    """
    return unicodedata.normalize("NFKC", token).strip()


def _tokenise(line: str) -> list[_Token]:
    """Shell-style words; shlex.split leaves `#` alone, so `#3` is an id, not a comment.

    An unquoted full-width space or line break separates words like a space does: it reaches
    shlex as a word of its own (marked with a private-use character) and becomes the next
    word's `sep`.
    """
    try:
        words = shlex.split(_protect_apostrophes(line), posix=True)
    except ValueError as exc:
        if "escaped" in str(exc):
            raise ParseError("grammar.bad_escape") from None
        raise ParseError("grammar.bad_quotes") from None
    tokens: list[_Token] = []
    sep = ""
    for word in words:
        if word in _UNMARK:
            sep += _UNMARK[word]
            continue
        token = _Token(word)
        token.sep = "\n" * sep.count("\n") or sep or " "
        tokens.append(token)
        sep = ""
    return tokens


# Separators that text keeps as typed, and the private-use characters that stand for them
# while shlex splits the line.
_MARKS = {"\u3000": "\ue000", "\n": "\ue001"}
_UNMARK = {mark: ch for ch, mark in _MARKS.items()}


def _protect_apostrophes(line: str) -> str:
    """Escape each unquoted ' that follows a letter or digit, so it stays an apostrophe.

    Comments are mostly English: in plain shlex, `comment add 1 I don't know` is an unclosed
    quote and `it's what's new` silently becomes "its whats new". A quote that *opens* text
    follows a space, `=` or the start of the line, so only those still quote; text inside
    quotes is left exactly as it is. An unquoted full-width space or line break becomes a
    marked word of its own (unless the line already holds the marker, which is then just text).
    """
    marking = not any(mark in line for mark in _UNMARK)
    out: list[str] = []
    quote = ""
    escaped = False
    prev = ""
    for ch in line:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = "" if ch == "'" else quote
        elif ch == "\\":
            escaped = True
        elif quote == '"':
            quote = "" if ch == '"' else quote
        elif ch == "'" and prev.isalnum():
            out.append("\\")
        elif ch in "'\"":
            quote = ch
        elif ch in _MARKS and marking:
            out.append(f" {_MARKS[ch]} ")
            prev = " "
            continue
        out.append(ch)
        prev = ch
    return "".join(out)


def _resolve(tokens: list[_Token]) -> tuple[CommandSpec, list[_Token]]:
    """Find the command named by the first one or two words; return it and the other tokens."""
    word = _word(tokens[0]).lower().lstrip("/")
    if word in COMMANDS:
        return COMMANDS[word], tokens[1:]
    if word in GROUPS:
        subs = [name.split()[1] for name in COMMANDS if name.split()[0] == word]
        choices = ", ".join(subs)
        if len(tokens) < 2:
            raise ParseError("grammar.missing_subcommand", group=word, choices=choices)
        sub = _word(tokens[1]).lower()
        name = f"{word} {sub}"
        if name in COMMANDS:
            return COMMANDS[name], tokens[2:]
        suggestion = _closest(sub, subs)
        if suggestion:
            raise ParseError(
                "grammar.unknown_subcommand_suggest",
                group=word,
                word=_show(tokens[1]),
                suggestion=suggestion,
                choices=choices,
            )
        raise ParseError(
            "grammar.unknown_subcommand", group=word, word=_show(tokens[1]), choices=choices
        )
    top = sorted({name.split()[0] for name in COMMANDS})
    suggestion = _closest(word, top)
    if suggestion is None:
        # "claim 3" for "translate claim 3": the subcommand typed without its group.
        full = [name for name in COMMANDS if name.split()[-1] == word and " " in name]
        suggestion = full[0] if len(full) == 1 else None
    if suggestion:
        raise ParseError(
            "grammar.unknown_command_suggest", word=_show(tokens[0]), suggestion=suggestion
        )
    raise ParseError("grammar.unknown_command", word=_show(tokens[0]))


def _split_options(spec: CommandSpec, tokens: list[_Token]) -> tuple[list[_Token], dict[str, Any]]:
    """Separate `--name value` / `--name=value` options, anywhere in the line.

    A lone `--` ends the options only where it is needed to: when the next word would be read
    as an option. Anywhere else it is text (`I love this -- really` keeps its `--`).
    """
    positionals: list[_Token] = []
    values: dict[str, Any] = {option.key: None for option in spec.options}
    seen: set[str] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if _word(token) == "--" and i < len(tokens) and _as_option(spec, tokens[i]):
            positionals.extend(tokens[i:])
            break
        found = _as_option(spec, token)
        if found is None:
            positionals.append(token)
            continue
        name, has_value, value = found
        option = _option(spec, name)
        if option.name in seen:
            raise ParseError("grammar.repeated_option", option=option.flag)
        seen.add(option.name)
        if option.kind is OptionKind.FLAG:
            if has_value:
                raise ParseError("grammar.flag_value", option=option.flag)
            values[option.key] = True
            continue
        if not has_value:
            if i >= len(tokens) or _word(tokens[i]) == "--" or _as_option(spec, tokens[i]):
                raise ParseError(
                    "grammar.missing_option_value", option=option.flag, metavar=option.metavar
                )
            value = tokens[i]
            i += 1
        values[option.key] = _option_value(option, value)
    return positionals, values


# `--name`, also as typed in full width (`－－name`) or autocorrected to a dash (`—name`).
_OPTION_FORM = re.compile(r"(--|－－|[—–―]{1,2}|ーー)([^=＝]+)(?:[=＝](.*))?", re.DOTALL)


def _as_option(spec: CommandSpec, token: str) -> tuple[str, bool, str] | None:
    """(name, has_value, value) when `token` is an option, else None (it is text).

    `--x` is always read as an option (a misspelt one is refused with a suggestion); a dash
    typed any other way only before one of the command's own option names, since a dash
    before an ordinary word is punctuation.
    """
    match = _OPTION_FORM.fullmatch(token)
    if match is None:
        return None
    prefix, name, value = match.groups()
    name = _word(name).lower()
    # An option is a dash and a letter; "---" or "--5" in free text is just text.
    if not (name[:1].isascii() and name[:1].isalpha()):
        return None
    if unicodedata.normalize("NFKC", prefix) != "--" and spec.option(name) is None:
        return None
    return name, value is not None, value or ""


def _option(spec: CommandSpec, name: str) -> Option:
    option = spec.option(name)
    if option is not None:
        return option
    shown = _show(f"--{name}")
    if not spec.options:
        raise ParseError("grammar.no_options", command=spec.name, option=shown)
    flags = [o.flag for o in spec.options]
    listed = ", ".join(flags)
    suggestion = _closest(f"--{name}", flags)
    if suggestion:
        raise ParseError(
            "grammar.unknown_option_suggest",
            command=spec.name,
            option=shown,
            suggestion=suggestion,
            options=listed,
        )
    raise ParseError("grammar.unknown_option", command=spec.name, option=shown, options=listed)


def _option_value(option: Option, value: str) -> Any:
    if option.kind is not OptionKind.TEXT or option.word:
        value = _word(value)
    if option.kind is OptionKind.COUNTRIES:
        codes = tuple(part.strip().upper() for part in re.split("[,、]", value) if part.strip())
        if not codes:
            raise ParseError("grammar.empty_countries", option=option.flag)
        return codes
    if option.kind is OptionKind.LANGUAGES:
        codes = tuple(part.strip().lower() for part in value.split(",") if part.strip())
        if not codes:
            raise ParseError("grammar.empty_languages", option=option.flag)
        return codes
    if option.kind is OptionKind.NUMBER:
        return _parse_int(value, option.key)
    if option.kind is OptionKind.CHOICE:
        choice = value.lower()
        if choice not in option.choices:
            raise ParseError(
                "grammar.bad_option_choice",
                option=option.flag,
                value=_show(value),
                choices=", ".join(option.choices),
            )
        return choice
    return value


def _bind(spec: CommandSpec, tokens: list[_Token]) -> dict[str, Any]:
    """Match positional tokens to the command's parameters, converting each."""
    args: dict[str, Any] = {}
    i = 0
    for param in spec.params:
        kind = param.kind
        if kind is Kind.FIELD_VALUE:
            kind = Kind.POSITION if args["field"] in NUMBER_FIELDS else Kind.TEXT
        if kind is Kind.TEXT:
            rest = tokens[i:]
            # One token is kept exactly; several lose their empty ("") members, not just spaces,
            # and are joined by the space typed between them (a full-width one stays so).
            kept = [t for t in rest if t] if len(rest) > 1 else rest
            text = "".join((t.sep if n else "") + t for n, t in enumerate(kept))
            if not text.strip():
                _missing(spec, param, args)
            args[param.key] = text
            i = len(tokens)
            continue
        if i >= len(tokens):
            _missing(spec, param, args)
        args[param.key] = _convert(spec, param, kind, tokens[i], args)
        i += 1
    if i < len(tokens):
        extra = _show(" ".join(tokens[i:]))
        if not spec.params:
            raise ParseError("grammar.no_arguments", command=spec.name, extra=extra)
        raise ParseError(
            "grammar.extra_argument", command=spec.name, extra=extra, usage=_usage(spec, args)
        )
    return args


def _convert(spec: CommandSpec, param: Param, kind: Kind, token: str, args: dict[str, Any]) -> Any:
    if kind is Kind.ARTICLE or kind is Kind.COMMENT:
        return _parse_id(kind, token)
    if kind is Kind.CHOICE:
        choice = _word(token).lower()
        if choice not in param.choices:
            raise ParseError(
                "grammar.bad_choice",
                command=spec.name,
                value=_show(token),
                choices=", ".join(param.choices),
            )
        return choice
    if kind is Kind.POSITION:
        field = args["field"] if param.kind is Kind.FIELD_VALUE else param.key
        return _parse_int(token, field)
    if not token.strip():
        _missing(spec, param, args)
    return _word(token) if kind is Kind.WORD else token


def _parse_id(kind: Kind, token: str) -> int:
    # NFKC so that a Japanese keyboard's full-width "＃３" means #3; other digit forms
    # (superscripts, other scripts' digits) are refused rather than guessed at.
    typed = token.strip()
    match = (
        _ID.fullmatch(unicodedata.normalize("NFKC", typed)) if _TYPED_ID.fullmatch(typed) else None
    )
    number = int(match.group(1)) if match else 0
    if not 1 <= number <= MAX_ID:
        key = "grammar.bad_article_id" if kind is Kind.ARTICLE else "grammar.bad_comment_id"
        raise ParseError(key, value=_show(token))
    return number


def _parse_int(token: str, field: str) -> int:
    text = unicodedata.normalize("NFKC", token).strip().replace("\u2212", "-")
    if not _TYPED_INT.fullmatch(token.strip()) or not _INT.fullmatch(text):
        raise ParseError("grammar.bad_number", field=field, value=_show(token))
    # Clamp absurdly long digit strings before int() (which refuses ~4,300+ digits anyway).
    number = int(text) if len(text) <= 12 else (-1 if text[0] == "-" else 1) * (MAX_NUMBER + 1)
    minimum = _MINIMUM[field]
    if number < minimum:
        raise ParseError(
            "grammar.number_too_small", field=field, minimum=minimum, value=_show(text)
        )
    if number > MAX_NUMBER:
        raise ParseError(
            "grammar.number_too_large", field=field, maximum=MAX_NUMBER, value=_show(text)
        )
    return number


def _missing(spec: CommandSpec, param: Param, args: dict[str, Any]) -> None:
    raise ParseError(
        "grammar.missing_argument",
        command=spec.name,
        what=t(f"grammar.what.{param.key}"),
        usage=_usage(spec, args),
    )


def _usage(spec: CommandSpec, args: dict[str, Any]) -> str:
    """The usage line(s) that fit what was typed so far (article set has one per field kind)."""
    field = args.get("field")
    if field is not None:
        kind = {
            **dict.fromkeys(TEXT_FIELDS, "title|lead|closing"),
            **dict.fromkeys(NUMBER_FIELDS, "|".join(NUMBER_FIELDS)),
        }.get(field, field)
        lines = [u for u in spec.usage if kind in u]
        if lines:
            return lines[0]
    return " or ".join(spec.usage)


def _closest(word: str, candidates: list[str]) -> str | None:
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_TYPED_ID = re.compile("[#＃]?[0-9０-９]+")
_TYPED_INT = re.compile("[-−－]?[0-9０-９]+")


def _show(value: str) -> str:
    """A user's token as it may be repeated in a message: one line, not too long, and with no
    control or direction characters that would garble the sentence around it."""
    value = " ".join(_UNSHOWABLE.sub("\ufffd", value).split())
    return value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"
