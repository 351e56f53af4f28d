"""The gettext catalogue: complete in every language, placeholders intact, plural forms real,
and `pybabel extract` (the translators' workflow in the README) sees every key."""

from __future__ import annotations

import os
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.core.messages import DEFAULT_LANGUAGE, languages, load, negotiate, po_path, t, tn

ROOT = Path(__file__).parents[2]
TRANSLATIONS = [lang for lang in languages() if lang != DEFAULT_LANGUAGE]


def _entries(language: str) -> dict:
    with po_path(language).open("rb") as fh:
        return {
            (m.id[0] if m.pluralizable else m.id): m for m in read_po(fh, locale=language) if m.id
        }


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


ENGLISH = _entries(DEFAULT_LANGUAGE)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The template the README's plain `pybabel extract` writes (options in pyproject.toml)."""
    out = tmp_path_factory.mktemp("pot") / "hanno.pot"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", "extract", "-o", str(out)])
    finally:
        os.chdir(cwd)
    with out.open("rb") as fh:
        return {(m.id[0] if m.pluralizable else m.id): m for m in read_po(fh) if m.id}


def test_extract_finds_no_key_the_english_catalogue_lacks(template: dict) -> None:
    assert sorted(set(template) - set(ENGLISH)) == []
    assert len(template) == len(ENGLISH)


def test_extracted_plural_keys_match_the_catalogue(template: dict) -> None:
    wrong = [k for k, m in template.items() if m.pluralizable != ENGLISH[k].pluralizable]
    assert wrong == []


@pytest.mark.parametrize("language", languages())
def test_no_key_is_defined_twice(language: str) -> None:
    """The .po files merge by union (.gitattributes): two branches adding the same key side by
    side would leave two entries, and Babel would silently keep one of them."""
    keys = [
        line
        for line in po_path(language).read_text(encoding="utf-8").splitlines()
        if line.startswith('msgid "') and line != 'msgid ""'
    ]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_every_english_message_is_written_and_not_fuzzy() -> None:
    empty = [k for k, m in ENGLISH.items() if not all(m.string if m.pluralizable else [m.string])]
    assert empty == []
    assert [k for k, m in ENGLISH.items() if m.fuzzy] == []


def test_no_sentence_hides_a_plural_behind_parentheses() -> None:
    """Plural forms replace "comments"."""
    forms = [s for m in ENGLISH.values() for s in (m.string if m.pluralizable else [m.string])]
    assert [s for s in forms if "(s)" in s] == []


def test_english_plural_messages_have_one_and_many() -> None:
    for key, message in ENGLISH.items():
        if message.pluralizable:
            one, many = message.string
            assert one != many, key
            assert _fields(one) == _fields(many), key


def test_japanese_is_an_interface_language() -> None:
    assert "ja" in TRANSLATIONS


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_message_is_translated(language: str) -> None:
    entries = _entries(language)
    untranslated = [
        key
        for key in ENGLISH
        if key not in entries
        or entries[key].fuzzy
        or not all(entries[key].string if entries[key].pluralizable else [entries[key].string])
    ]
    assert untranslated == []
    assert sorted(set(load(language).messages) ^ set(ENGLISH)) == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translations_keep_every_placeholder(language: str) -> None:
    wrong = []
    for key, message in _entries(language).items():
        if key not in ENGLISH:
            continue
        english = ENGLISH[key].string
        expected = _fields(english[-1] if isinstance(english, tuple) else english)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [(key, form) for form in forms if form and _fields(form) != expected]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translations_have_the_plural_forms_of_their_language(language: str) -> None:
    entries = _entries(language)
    with po_path(language).open("rb") as fh:
        count = read_po(fh, locale=language).num_plurals
    for key, message in entries.items():
        assert message.pluralizable == ENGLISH[key].pluralizable, key
        if message.pluralizable:
            assert len(message.string) == count, key


def test_plural_forms_follow_the_number() -> None:
    assert t("reply.closed", number=3, count=1, comments="#2") == (
        "Voting on article #3 is closed: 1 comment selected (#2). Translation can start."
    )
    assert tn("reply.published", 2, number=3, parts=2, channel="blog") == (
        "Article #3 is published in #blog (2 messages)."
    )


def test_a_plural_message_without_its_number_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        t("reply.closed", number=3, comments="#2")


def test_unknown_language_and_missing_translation_fall_back_to_english() -> None:
    assert t("grammar.empty", "xx") == t("grammar.empty")
    assert load("xx").messages == {}


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("ja_JP.UTF-8", "ja"),
        ("en-US", "en"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("C.UTF-8", "en"),
    ],
)
def test_platform_locale_tags_map_to_an_interface_language(tag: str | None, language: str) -> None:
    assert negotiate(tag) == language
