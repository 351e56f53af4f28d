"""The text command grammar: what each line means, and what each wrong line is told."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import ParseError
from bot.core.grammar import COMMANDS, Command, help_text, parse
from bot.core.grammar.spec import GROUPS, SECTIONS, SPECS
from bot.core.messages import catalogue

GRAMMAR_DIR = Path(__file__).parents[2] / "bot" / "core" / "grammar"

NO_SOURCE_OPTS = {"text": None, "author": None, "handle": None, "date": None}
NO_COMMENT_OPTS = {"url": None, "author": None, "lang": None, "persona": None, "countries": None}

GOOD: list[tuple[str, str, dict[str, Any]]] = [
    ("article new Robot ramen in Osaka", "article new", {"title": "Robot ramen in Osaka"}),
    ('article new "Two  spaces kept"', "article new", {"title": "Two  spaces kept"}),
    ("article new 大阪のラーメン自販機", "article new", {"title": "大阪のラーメン自販機"}),
    ("article list", "article list", {}),
    ("ARTICLE List", "article list", {}),
    ("article show 3", "article show", {"article": 3}),
    ("article show #3", "article show", {"article": 3}),
    ("article show ＃３", "article show", {"article": 3}),
    ("article show #007", "article show", {"article": 7}),
    (
        "article set #3 title A better title",
        "article set",
        {"article": 3, "field": "title", "value": "A better title"},
    ),
    (
        'article set 3 lead "First paragraph.\n\nSecond paragraph."',
        "article set",
        {"article": 3, "field": "lead", "value": "First paragraph.\n\nSecond paragraph."},
    ),
    (
        "article set 3 CLOSING That's all.",
        "article set",
        {"article": 3, "field": "closing", "value": "That's all."},
    ),
    (
        "article set 3 min_score -2",
        "article set",
        {"article": 3, "field": "min_score", "value": -2},
    ),
    (
        "article set 3 min_score 0",
        "article set",
        {"article": 3, "field": "min_score", "value": 0},
    ),
    (
        "article set 3 max_reactions 40",
        "article set",
        {"article": 3, "field": "max_reactions", "value": 40},
    ),
    (
        "article source 3 https://x.com/a/status/1",
        "article source",
        {"article": 3, "url": "https://x.com/a/status/1", **NO_SOURCE_OPTS},
    ),
    (
        'article source #3 https://x.com/a/status/1 --author "Ramen Watch" --handle rw'
        ' --date "March 2, 2026" --text "Look at this machine!"',
        "article source",
        {
            "article": 3,
            "url": "https://x.com/a/status/1",
            "text": "Look at this machine!",
            "author": "Ramen Watch",
            "handle": "rw",
            "date": "March 2, 2026",
        },
    ),
    (
        "article source --handle=rw 3 https://x.com/a/status/1",
        "article source",
        {"article": 3, "url": "https://x.com/a/status/1", **NO_SOURCE_OPTS, "handle": "rw"},
    ),
    ("article close 3", "article close", {"article": 3, "at": None, "in_": None}),
    ("article close 3 --in 24h", "article close", {"article": 3, "at": None, "in_": "24h"}),
    (
        'article close 3 --at "2026-12-05 18:00"',
        "article close",
        {"article": 3, "at": "2026-12-05 18:00", "in_": None},
    ),
    (
        "article set 3 deadline 2026-12-05 18:00",
        "article set",
        {"article": 3, "field": "deadline", "value": "2026-12-05 18:00"},
    ),
    (
        "article set 3 voting hidden",
        "article set",
        {"article": 3, "field": "voting", "value": "hidden"},
    ),
    ("team add @mei translator", "team add", {"user": "@mei", "role": "translator"}),
    ("team remove mei translator", "team remove", {"user": "mei", "role": "translator"}),
    ("team list", "team list", {}),
    ("stats", "stats", {"since": None}),
    ("stats --since 7d", "stats", {"since": "7d"}),
    ("article reopen #3", "article reopen", {"article": 3}),
    ("article status 3", "article status", {"article": 3}),
    ("article history 3", "article history", {"article": 3}),
    (
        "comment add 1 Great to see this",
        "comment add",
        {"article": 1, "text": "Great to see this", **NO_COMMENT_OPTS},
    ),
    (
        "comment add 1 I don't know, it's what's new",
        "comment add",
        {"article": 1, "text": "I don't know, it's what's new", **NO_COMMENT_OPTS},
    ),
    (
        "comment add 1 the players' reactions",
        "comment add",
        {"article": 1, "text": "the players' reactions", **NO_COMMENT_OPTS},
    ),
    (
        'comment add 1 "Great to see." --country FI',
        "comment add",
        {"article": 1, "text": "Great to see.", **NO_COMMENT_OPTS, "countries": ("FI",)},
    ),
    (
        'comment add #1 "Line one\nline two" --url https://e.example/c/9 --author u/ramenfan'
        " --lang en --persona 👨🏻‍💼 --country kr,us",
        "comment add",
        {
            "article": 1,
            "text": "Line one\nline two",
            "url": "https://e.example/c/9",
            "author": "u/ramenfan",
            "lang": "en",
            "persona": "👨🏻‍💼",
            "countries": ("KR", "US"),
        },
    ),
    (
        "comment add 1 --country 'kr, us' Options can come first",
        "comment add",
        {
            "article": 1,
            "text": "Options can come first",
            **NO_COMMENT_OPTS,
            "countries": ("KR", "US"),
        },
    ),
    (
        "comment add 1 Wow --url=https://e.example/c?a=1&b=2 really",
        "comment add",
        {
            "article": 1,
            "text": "Wow really",
            **NO_COMMENT_OPTS,
            "url": "https://e.example/c?a=1&b=2",
        },
    ),
    (
        "comment add 1 -- --not an option",
        "comment add",
        {"article": 1, "text": "--not an option", **NO_COMMENT_OPTS},
    ),
    (
        "comment add 1 wow --- a --5 thing",
        "comment add",
        {"article": 1, "text": "wow --- a --5 thing", **NO_COMMENT_OPTS},
    ),
    (
        'comment add 1 "" spaced out ""',
        "comment add",
        {"article": 1, "text": "spaced out", **NO_COMMENT_OPTS},
    ),
    ("comment list 3", "comment list", {"article": 3, "status": None}),
    (
        "comment list 3 --status SELECTED",
        "comment list",
        {"article": 3, "status": "selected"},
    ),
    ("comment show #12", "comment show", {"comment": 12}),
    ("comment pick 12", "comment pick", {"comment": 12}),
    ("comment drop 12", "comment drop", {"comment": 12}),
    ("comment move 12 1", "comment move", {"comment": 12, "position": 1}),
    (
        "comment persona 12 👩🏻‍✈️",
        "comment persona",
        {"comment": 12, "persona": "👩🏻‍✈️", "countries": None},
    ),
    (
        "comment persona 12 👴🏼 --country FI",
        "comment persona",
        {"comment": 12, "persona": "👴🏼", "countries": ("FI",)},
    ),
    ("vote 12 up", "vote", {"comment": 12, "choice": "up"}),
    ("vote #12 DOWN", "vote", {"comment": 12, "choice": "down"}),
    ("vote 12 clear", "vote", {"comment": 12, "choice": "clear"}),
    ("translate assign 12 alice", "translate assign", {"comment": 12, "user": "alice"}),
    ("translate assign 12 <@U123ABC>", "translate assign", {"comment": 12, "user": "<@U123ABC>"}),
    ("translate claim 12", "translate claim", {"comment": 12}),
    ("translate release 12", "translate release", {"comment": 12}),
    (
        "translate submit 12 この機械のためだけに大阪へ行きたい。",
        "translate submit",
        {"comment": 12, "text": "この機械のためだけに大阪へ行きたい。"},
    ),
    ("translate mine", "translate mine", {}),
    ("draft build 3", "draft build", {"article": 3}),
    ("draft submit 3", "draft submit", {"article": 3}),
    ("draft approve 3", "draft approve", {"article": 3, "note": None}),
    ('draft approve 3 --note "Ready."', "draft approve", {"article": 3, "note": "Ready."}),
    (
        "draft reject 3 Comment #12 reads too loosely",
        "draft reject",
        {"article": 3, "reason": "Comment #12 reads too loosely"},
    ),
    ("publish #3", "publish", {"article": 3, "to": None}),
    ("publish 3 --to blog", "publish", {"article": 3, "to": "blog"}),
    (
        "article set 2 style numbered",
        "article set",
        {"article": 2, "field": "style", "value": "numbered"},
    ),
    ("help", "help", {"topic": None}),
    ("help comment", "help", {"topic": "comment"}),
    ("help Comment  ADD", "help", {"topic": "comment add"}),
    ("help vote", "help", {"topic": "vote"}),
    ("  article   list  ", "article list", {}),
]


@pytest.mark.parametrize(("line", "name", "args"), GOOD, ids=[g[0][:40] for g in GOOD])
def test_good_line_parses_to_its_command(line: str, name: str, args: dict[str, Any]) -> None:
    assert parse(line) == Command(name=name, args=args)


# (line, catalogue key, phrases the sentence must contain)
BAD: list[tuple[str, str, tuple[str, ...]]] = [
    ("", "grammar.empty", ("empty", "help")),
    ("   \n ", "grammar.empty", ("empty",)),
    ('comment add 1 "Great to see', "grammar.bad_quotes", ("quotes", "don't match")),
    ("comment add 1 'Great to see", "grammar.bad_quotes", ("quotes",)),
    ("comment add 1 '90s kids", "grammar.bad_quotes", ("close every",)),
    ("article new trailing \\", "grammar.bad_escape", ("backslash",)),
    ("artcle new x", "grammar.unknown_command_suggest", ("'artcle'", "did you mean 'article'")),
    ("frobnicate", "grammar.unknown_command", ("'frobnicate'", "help")),
    ("claim 3", "grammar.unknown_command_suggest", ("did you mean 'translate claim'",)),
    ("article", "grammar.missing_subcommand", ("needs a subcommand", "new, list, show")),
    ("translate", "grammar.missing_subcommand", ("assign, claim, release, submit, mine",)),
    ("article lst", "grammar.unknown_subcommand_suggest", ("'lst'", "did you mean 'list'")),
    ("comment zap 3", "grammar.unknown_subcommand", ("'zap'", "add, import, list, show")),
    ("draft --note x", "grammar.unknown_subcommand", ("'--note'",)),
    ("article new", "grammar.missing_argument", ("article new needs a title",)),
    ('article new ""', "grammar.missing_argument", ("needs a title",)),
    ("article show", "grammar.missing_argument", ("needs an article id", "article show <a>")),
    ("article set 3", "grammar.missing_argument", ("needs the field",)),
    (
        "article set 3 title",
        "grammar.missing_argument",
        ("article set needs a value: article set <a> title|lead|closing <text>",),
    ),
    (
        "article set 3 max_reactions",
        "grammar.missing_argument",
        ("needs a value: article set <a> min_score|max_reactions <number>",),
    ),
    ("article source 3", "grammar.missing_argument", ("needs a link",)),
    ("comment add 1", "grammar.missing_argument", ("comment add needs the text",)),
    ("comment add 1 --country FI", "grammar.missing_argument", ("needs the text",)),
    ("comment move 12", "grammar.missing_argument", ("needs a position",)),
    ("comment persona 12", "grammar.missing_argument", ("needs a persona emoji",)),
    ("vote 12", "grammar.missing_argument", ("up, down or clear",)),
    ("translate assign 12", "grammar.missing_argument", ("needs a user",)),
    ("translate submit 12", "grammar.missing_argument", ("needs the text",)),
    ("draft reject 3", "grammar.missing_argument", ("needs a reason",)),
    ("publish", "grammar.missing_argument", ("publish needs an article id",)),
    ("article list extra", "grammar.no_arguments", ("takes no arguments", "'extra'")),
    ("translate mine please", "grammar.no_arguments", ("'please'",)),
    ("article show 3 4", "grammar.extra_argument", ("does not expect '4'", "article show <a>")),
    ("translate assign 12 alice smith", "grammar.extra_argument", ("'smith'",)),
    ("vote 12 up now", "grammar.extra_argument", ("'now'",)),
    ("vote 3 sideways", "grammar.bad_choice", ("'sideways'", "up, down, clear")),
    ("article set 3 colour red", "grammar.bad_choice", ("'colour'", "title, lead, closing")),
    ("vote #x up", "grammar.bad_comment_id", ("'#x' is not a valid comment id", "#N")),
    ("article show #x", "grammar.bad_article_id", ("'#x' is not a valid article id", "#3")),
    ("article show 0", "grammar.bad_article_id", ("'0'",)),
    ("article show -3", "grammar.bad_article_id", ("'-3'",)),
    ("article show 3.5", "grammar.bad_article_id", ("'3.5'",)),
    ("article show ##3", "grammar.bad_article_id", ("'##3'",)),
    ("article show 99999999999", "grammar.bad_article_id", ("valid article id",)),
    ("comment show #", "grammar.bad_comment_id", ("'#'",)),
    ("article set 3 min_score abc", "grammar.bad_number", ("'abc' is not a whole number",)),
    ("article set 3 max_reactions 2.5", "grammar.bad_number", ("'2.5'",)),
    ("article set 3 max_reactions 0", "grammar.number_too_small", ("at least 1", "not 0")),
    ("comment move 12 0", "grammar.number_too_small", ("position must be at least 1",)),
    ("comment move 12 -1", "grammar.number_too_small", ("position",)),
    ("comment move 12 " + "9" * 5000, "grammar.number_too_large", ("at most",)),
    ("article set 3 min_score -" + "9" * 30, "grammar.number_too_small", ("min_score",)),
    (
        "comment add 1 x --colour red",
        "grammar.unknown_option_suggest",
        ("--colour", "did you mean --country", "--url, --author, --lang, --persona, --country"),
    ),
    ("comment add 1 x --zzz 1", "grammar.unknown_option", ("--zzz", "--url")),
    ("article new Title --persona 👴🏼", "grammar.no_options", ("article new", "--persona")),
    ("article show 3 --x 1", "grammar.no_options", ("takes no options", "--x")),
    ("comment add 1 x --url a --url b", "grammar.repeated_option", ("--url", "more than once")),
    ("comment add 1 x --url a --URL=b", "grammar.repeated_option", ("--url",)),
    ("comment add 1 x --url", "grammar.missing_option_value", ("--url needs a value",)),
    ("comment add 1 x --url --lang en", "grammar.missing_option_value", ("--url",)),
    ("draft approve 3 --note", "grammar.missing_option_value", ("--note N",)),
    ("comment add 1 x --country ,", "grammar.empty_countries", ("country code",)),
    ("comment add 1 x --country=", "grammar.empty_countries", ("--country",)),
    ("comment list 3 --status gone", "grammar.bad_option_choice", ("'gone'", "candidate")),
    ("help artcle", "grammar.unknown_topic_suggest", ("no help on 'artcle'", "'article'")),
    ("help xyzzy", "grammar.unknown_topic", ("no help on 'xyzzy'",)),
]


@pytest.mark.parametrize(("line", "key", "phrases"), BAD, ids=[b[0][:40] for b in BAD])
def test_bad_line_is_told_what_is_wrong(line: str, key: str, phrases: tuple[str, ...]) -> None:
    with pytest.raises(ParseError) as caught:
        parse(line)
    assert caught.value.key == key
    message = caught.value.message
    for phrase in phrases:
        assert phrase in message
    assert "\n" not in message
    assert "{" not in message  # every placeholder was filled


def test_there_are_at_least_forty_bad_lines() -> None:
    assert len(BAD) >= 40


def test_long_user_input_is_shortened_in_messages() -> None:
    with pytest.raises(ParseError) as caught:
        parse("x" * 500)
    assert len(caught.value.message) < 150


@settings(max_examples=500)
@given(st.text())
def test_any_text_parses_or_raises_parse_error(line: str) -> None:
    try:
        result = parse(line)
    except ParseError as exc:
        assert exc.message  # the sentence can be built
    else:
        assert isinstance(result, Command)
        assert result.name in COMMANDS


_WORDS = [
    *{w for name in COMMANDS for w in name.split()},
    "#3",
    "3",
    "0",
    "-1",
    "x",
    "up",
    "title",
    "min_score",
    "max_reactions",
    "--",
    "--url",
    "--country",
    "--status",
    "--note",
    "--x=",
    "'",
    '"',
    "\\",
    "don't",
    "👨🏻‍💼",
]


@settings(max_examples=500)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=5)), max_size=8))
def test_command_like_lines_parse_or_raise_parse_error(words: list[str]) -> None:
    try:
        parse(" ".join(words))
    except ParseError as exc:
        assert exc.message


def test_command_is_frozen() -> None:
    command = parse("vote 3 up")
    with pytest.raises(ValueError):
        command.name = "publish"  # type: ignore[misc]


# --- The table, its help and its catalogue ---------------------------------------------------


def test_no_two_commands_share_a_name() -> None:
    names = Counter(spec.name for spec in SPECS)
    assert [name for name, n in names.items() if n > 1] == []
    assert len(COMMANDS) == len(SPECS)


def test_the_table_covers_the_design_grammar() -> None:
    expected = {
        *(f"article {s}" for s in "new list show set source close reopen status history".split()),
        *(f"comment {s}" for s in "add import list show pick drop move persona".split()),
        "vote",
        *(f"translate {s}" for s in "assign claim release submit mine".split()),
        *(f"translate {s}" for s in "suggest accept history restore remark resolve".split()),
        *(f"glossary {s}" for s in "add list remove dismiss".split()),
        *(f"draft {s}" for s in "build submit approve reject".split()),
        "publish",
        *(f"team {s}" for s in "add remove list".split()),
        "stats",
        "help",
    }
    assert set(COMMANDS) == expected


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_each_spec_is_consistent(spec: Any) -> None:
    assert spec.section in SECTIONS
    assert all(usage.startswith(spec.name) for usage in spec.usage)
    for option in spec.options:
        assert all(f"[{option.written}]" in usage for usage in spec.usage)
    assert len({o.name for o in spec.options}) == len(spec.options)
    keys = [p.key for p in spec.params] + [o.key for o in spec.options]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_command_has_help_and_a_working_example(spec: Any) -> None:
    details = help_text(spec.name)
    assert spec.usage[0] in details
    assert catalogue()[spec.summary_key] in details
    for option in spec.options:
        assert option.flag in details
    example = catalogue()[spec.example_key]
    assert example in details
    assert parse(example).name == spec.name


def test_overview_lists_every_command_in_its_section() -> None:
    overview = help_text()
    for spec in SPECS:
        assert catalogue()[spec.summary_key] in overview
    positions = [overview.index(catalogue()[f"grammar.section.{s}"]) for s in SECTIONS]
    assert positions == sorted(positions)


def test_group_help_lists_only_that_group() -> None:
    text = help_text("translate")
    assert "translate claim <c>" in text
    assert "article new" not in text
    for group in GROUPS:
        assert help_text(group)


def test_unknown_help_topic_suggests_a_command() -> None:
    with pytest.raises(ParseError, match="did you mean 'comment add'"):
        help_text("coment add")


def _used_keys() -> set[str]:
    literal = re.compile(r"""["'](grammar\.[a-z_.]+[a-z_])["']""")
    used: set[str] = set()
    for path in GRAMMAR_DIR.glob("*.py"):
        used |= set(literal.findall(path.read_text(encoding="utf-8")))
    for spec in SPECS:
        used |= {spec.summary_key, spec.example_key, f"grammar.help.only.{spec.role}"}
        used |= {f"grammar.role.{spec.role}", f"grammar.section.{spec.section}"}
        used |= {f"grammar.what.{p.key}" for p in spec.params}
        used |= {o.help_key for o in spec.options}
    used.discard("grammar.help.only.member")  # members get no "(…)" mark
    return used


def test_every_catalogue_key_the_grammar_uses_exists() -> None:
    missing = sorted(_used_keys() - set(catalogue()))
    assert missing == []


def test_every_grammar_catalogue_key_is_used() -> None:
    defined = {key for key in catalogue() if key.startswith("grammar.")}
    assert sorted(defined - _used_keys()) == []
