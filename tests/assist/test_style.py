"""Japanese style checks on translations of our own, with the real tokenizer."""

from __future__ import annotations

import pytest

from bot.assist.tokenizer import japanese_tokenizer
from bot.core.assist import GlossaryEntry, Register
from bot.core.style import (
    StyleSettings,
    check_draft,
    check_translation,
    register_profile,
    unbalanced_bracket,
)

TOKENIZER = japanese_tokenizer()
CASUAL = StyleSettings(speech=Register.CASUAL)
POLITE = StyleSettings(speech=Register.POLITE)
ORIGINAL = "Honestly this clerk is the kind of person who makes a whole country look good."
GLOSSARY = (
    GlossaryEntry(source="Kuroda", target="黒田"),
    GlossaryEntry(source="JR East", target="JR東日本"),
)


def keys(original: str, translation: str, settings: StyleSettings = CASUAL, **kwargs) -> list[str]:
    found = check_translation(
        original,
        translation,
        tokenizer=TOKENIZER,
        settings=settings,
        expected=settings.speech,
        **kwargs,
    )
    return [w.key for w in found]


@pytest.mark.parametrize(
    ("text", "polite", "casual"),
    [
        ("この駅員さん、マジで最高だわ。", 0, 1),
        ("こういう人がいるから日本が好きなんです。", 1, 0),
        ("俺も昔あの路線に乗ったことあるけど、景色がヤバかったよ", 0, 1),
        # A greeting quoted inside 「」 is not the translator's own register.
        ("駅員は「ありがとうございました」って言っただけらしい", 0, 1),
        ("草", 0, 0),
        ("感動した。日本に行ってみたいです。", 1, 1),
    ],
)
def test_register_is_read_from_the_sentences(text, polite, casual):
    profile = register_profile(text, TOKENIZER)
    assert (profile.polite, profile.casual) == (polite, casual)


def test_a_clean_casual_translation_has_no_warning():
    assert keys(ORIGINAL, "正直この駅員さんみたいな人が国全体の印象を良くしてるんだよな。") == []


def test_desu_masu_among_tameguchi_is_flagged_with_the_polite_sentence():
    [warning] = check_translation(
        ORIGINAL,
        "この駅員さん最高だわ。国の印象が良くなりますね。",
        tokenizer=TOKENIZER,
        settings=CASUAL,
        expected=Register.CASUAL,
    )
    assert warning.key == "style.register_mixed"
    assert "国の印象が良くなりますね" in warning.message("en")
    assert "です・ます調" in warning.message("ja")


def test_a_polite_translation_in_a_casual_team_is_flagged_and_the_other_way_round():
    polite = "正直、この駅員さんのような方が国全体の印象を良くしているのだと思います。"
    casual = "正直、こういう駅員さんが国全体の印象を良くしてるんだと思うわ。"
    assert keys(ORIGINAL, polite, CASUAL) == ["style.register_polite"]
    assert keys(ORIGINAL, casual, POLITE) == ["style.register_casual"]
    assert keys(ORIGINAL, polite, POLITE) == []


def test_english_left_in_the_translation_is_flagged_unless_it_is_a_glossary_name():
    assert (
        keys("Kuroda works for JR East.", "黒田さんはJR東日本で働いてるんだって", glossary=GLOSSARY)
        == []
    )
    found = check_translation(
        ORIGINAL,
        "正直この駅員さん、makes a whole country look goodって感じだよな。",
        tokenizer=TOKENIZER,
        settings=CASUAL,
        glossary=GLOSSARY,
    )
    assert [w.key for w in found] == ["style.source_language"]
    assert "makes a whole country look good" in found[0].message("en")
    # A name kept in Latin letters passes once it is in the glossary, in either spelling.
    assert keys("JR East rocks.", "JR Eastは最高だよ", glossary=GLOSSARY) == []
    # One brand word or a link is not "left untranslated".
    assert keys(ORIGINAL, "iPhoneで撮った写真がこれ https://example.com/a b だよ") == []


def test_a_translation_far_longer_or_shorter_than_the_original_is_flagged():
    assert keys(ORIGINAL, "最高") == ["style.too_short"]
    long = "正直この駅員さんはすごいと思うよ。" * 6
    [warning] = check_translation(
        ORIGINAL, long, tokenizer=TOKENIZER, settings=CASUAL, expected=Register.CASUAL
    )
    assert warning.key == "style.too_long"
    assert "×" in warning.message("en")
    # Short originals ("LOL") are not measured.
    assert keys("LOL", "草生えるわ。まじで腹筋崩壊したし、しばらく笑いが止まらなかったよ") == []
    # The ratio is configurable.
    assert keys(ORIGINAL, "最高", StyleSettings(min_ratio=0.01)) == []


@pytest.mark.parametrize(
    ("text", "bracket"),
    [
        ("駅員は「また来てね」と言った", None),
        ("『鉄道員』（1999年）みたいな話だ", None),
        ("駅員は「また来てね、と言った", "「"),
        ("これは泣ける）", "）"),
        ("「（ちょっと待って」）", "」"),
        ("【速報】駅員さん神対応", None),
    ],
)
def test_unbalanced_brackets(text, bracket):
    assert unbalanced_bracket(text) == bracket


def test_unbalanced_brackets_warn_in_both_languages():
    [warning] = check_translation(
        ORIGINAL,
        "駅員さんが「また来てねって言ったらしい。最高だよな",
        tokenizer=TOKENIZER,
        settings=CASUAL,
    )
    assert warning.key == "style.brackets"
    assert "「" in warning.message("ja")


def test_a_draft_is_held_to_its_majority_when_the_team_follows_the_article():
    draft = [
        (1, ORIGINAL, "この駅員さん、マジで最高だわ。"),
        (2, ORIGINAL, "正直、こういう人がいるから日本が好きなんだよな。"),
        (3, ORIGINAL, "こういう方がいるから日本が好きなんです。本当に素晴らしいと思います。"),
    ]
    follow = StyleSettings(speech=None, min_original=1000)
    found = check_draft(draft, tokenizer=TOKENIZER, settings=follow)
    assert {n: [w.key for w in ws] for n, ws in found.items()} == {3: ["style.register_polite"]}
    polite_team = StyleSettings(speech=Register.POLITE, min_original=1000)
    found = check_draft(draft, tokenizer=TOKENIZER, settings=polite_team)
    assert sorted(found) == [1, 2]
