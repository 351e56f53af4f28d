"""The revision diff compares runs of one script, as suits Japanese."""

from __future__ import annotations

from bot.core.textdiff import Segment, diff, marked, runs


def test_text_is_cut_into_runs_of_one_script():
    assert runs("この駅員さん、マジで最高だよ！Thank you 123") == [
        "この", "駅員", "さん", "、", "マジ", "で", "最高", "だよ", "！",
        "Thank", " ", "you", " ", "123",
    ]  # fmt: skip


def test_a_changed_ending_and_word_show_as_whole_runs():
    assert marked("この駅員さん、マジで最高だよ。", "この駅員さん、本当に最高です。") == (
        "この駅員さん、[-マジで-]{+本当に+}最高[-だよ-]{+です+}。"
    )


def test_a_run_that_only_grew_keeps_what_it_shares():
    assert marked("黒田さんはJR Eastで働いてる", "黒田さんはJR東日本で働いてるんだって") == (
        "黒田さんはJR[- East-]{+東日本+}で働いてる{+んだって+}"
    )


def test_empty_and_equal_texts():
    assert diff("同じ", "同じ") == [Segment("equal", "同じ")]
    assert diff("", "新しい") == [Segment("insert", "新しい")]
    assert diff("古い", "") == [Segment("delete", "古い")]
    assert diff("", "") == []
