"""The glossary check: a term of the original whose rendering the translation lacks."""

from __future__ import annotations

from bot.core.assist import GlossaryEntry
from bot.core.glossary import GlossaryWarning, contains_term, glossary_misses

GLOSSARY = (
    GlossaryEntry(source="Sato", target="佐藤"),
    GlossaryEntry(source="JR East", target="JR東日本"),
    GlossaryEntry(source="Shinkansen", target="新幹線"),
)


def test_a_term_of_the_original_missing_from_the_translation_is_reported():
    assert glossary_misses(
        4, "Minister Sato took the Shinkansen.", "サトウ大臣が新幹線に乗った", GLOSSARY
    ) == [GlossaryWarning(number=4, source="Sato", target="佐藤")]


def test_terms_match_whole_words_in_any_case_and_spacing():
    assert contains_term("sato rode jr   east", "JR East")
    assert contains_term("SATO!", "Sato")
    assert not contains_term("Satoshi Nakamoto", "Sato")
    assert contains_term("今日は新幹線で", "新幹線")
    assert glossary_misses(1, "Satoshi was here", "サトシ", GLOSSARY) == []


def test_a_used_rendering_or_a_dismissed_term_is_not_reported():
    assert glossary_misses(1, "Sato and JR East", "佐藤さんとJR東日本", GLOSSARY) == []
    assert glossary_misses(1, "Sato", "サトウ", GLOSSARY, dismissed={"sato"}) == []
