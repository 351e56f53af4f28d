"""History in plain words: every step the service records reads as a sentence, in English and
Japanese, with the time in the configured zone and the zone named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.history import describe, history_line
from bot.core.messages import speaking
from bot.core.models import HistoryEntry

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def step(action: str, detail: str = "", name: str = "aiko") -> HistoryEntry:
    return HistoryEntry(seq=3, at=AT, actor_id="u1", actor_name=name, action=action, detail=detail)


# (action, detail the service writes, English, Japanese)
STEPS = [
    (
        "created",
        "Snow cat",
        "aiko created the article: Snow cat",
        "aikoさんが記事を作成しました: Snow cat",
    ),
    (
        "set_lead",
        "A big cat.",
        "aiko changed the lead: A big cat.",
        "aikoさんがリードを変更しました: A big cat.",
    ),
    (
        "set_min_score",
        "3",
        "aiko changed the min_score: 3",
        "aikoさんが最低スコアを変更しました: 3",
    ),
    (
        "add_source",
        "1: https://x.test/1",
        "aiko added source 1: https://x.test/1",
        "aikoさんが出典 1 を追加しました: https://x.test/1",
    ),
    (
        "closed",
        "1 selected of 1",
        "aiko closed voting: 1 of 1 comment selected.",
        "aikoさんが投票を締め切りました（1 件中 1 件を選出）。",
    ),
    (
        "closed",
        "2 selected of 5",
        "aiko closed voting: 2 of 5 comments selected.",
        "aikoさんが投票を締め切りました（5 件中 2 件を選出）。",
    ),
    ("reopened", "", "aiko reopened voting.", "aikoさんが投票を再開しました。"),
    ("comment_added", "#4", "aiko added comment #4.", "aikoさんがコメント #4 を追加しました。"),
    (
        "pick",
        "#4",
        "aiko picked comment #4 for the article.",
        "aikoさんがコメント #4 を記事に選びました。",
    ),
    (
        "drop",
        "#4",
        "aiko dropped comment #4 from the article.",
        "aikoさんがコメント #4 を記事から外しました。",
    ),
    (
        "move",
        "#4 to 1",
        "aiko moved comment #4 to position 1.",
        "aikoさんがコメント #4 を 1 番目に移しました。",
    ),
    (
        "persona",
        "#4 👴🏼",
        "aiko set the persona of comment #4 to 👴🏼.",
        "aikoさんがコメント #4 の絵文字を 👴🏼 にしました。",
    ),
    (
        "claim",
        "#4",
        "aiko took the translation of comment #4.",
        "aikoさんがコメント #4 の翻訳を担当しました。",
    ),
    (
        "assign",
        "#4 to mei",
        "aiko gave the translation of comment #4 to mei.",
        "aikoさんがコメント #4 の翻訳を meiさんに任せました。",
    ),
    (
        "release",
        "#4 from aiko",
        "aiko gave back the translation of comment #4.",
        "aikoさんがコメント #4 の翻訳担当を外れました。",
    ),
    (
        "release",
        "#4 from mei",
        "aiko took the translation of comment #4 back from mei.",
        "aikoさんが meiさんをコメント #4 の翻訳担当から外しました。",
    ),
    (
        "translate",
        "#3 revision 2",
        "aiko submitted the translation of #3 (revision 2).",
        "aikoさんが #3 の翻訳を提出しました（第 2 版）。",
    ),
    ("draft_built", "", "aiko built the draft.", "aikoさんが下書きを組み立てました。"),
    (
        "submitted",
        "",
        "aiko submitted the draft for review.",
        "aikoさんが下書きをレビューに出しました。",
    ),
    (
        "approved",
        "1/2",
        "aiko approved the draft (1/2).",
        "aikoさんが下書きを承認しました（1/2）。",
    ),
    (
        "approved",
        "2/2: Great",
        "aiko approved the draft (2/2): Great",
        "aikoさんが下書きを承認しました（2/2）: Great",
    ),
    (
        "rejected",
        "Too stiff",
        "aiko requested changes: Too stiff",
        "aikoさんが修正を依頼しました: Too stiff",
    ),
    (
        "approval_withdrawn",
        "",
        "An edit by aiko withdrew the approvals.",
        "aikoさんの編集で承認が取り消されました。",
    ),
    (
        "publish_failed",
        "part 2 of 3",
        "Publishing by aiko stopped at part 2 of 3.",
        "aikoさんの公開は 3 件中 2 件目で止まりました。",
    ),
    (
        "published",
        "1 parts",
        "aiko published the article (1 message).",
        "aikoさんが記事を公開しました（メッセージ 1 件）。",
    ),
    (
        "published",
        "3 parts",
        "aiko published the article (3 messages).",
        "aikoさんが記事を公開しました（メッセージ 3 件）。",
    ),
]


@pytest.mark.parametrize(("action", "detail", "english", "japanese"), STEPS)
def test_each_step_reads_as_a_sentence(
    action: str, detail: str, english: str, japanese: str
) -> None:
    assert describe(step(action, detail)) == english
    with speaking("ja"):
        assert describe(step(action, detail)) == japanese


def test_a_step_this_version_does_not_know_is_still_shown() -> None:
    assert describe(step("archived", "by hand")) == "aiko: archived by hand"
    assert describe(step("translate", "garbled")) == "aiko: translate garbled"


def test_people_text_is_escaped_for_the_platform_but_ids_are_not() -> None:
    shout = step("rejected", "*bold*", name="a_b")
    assert describe(shout, lambda s: s.replace("*", "\\*").replace("_", "\\_")) == (
        "a\\_b requested changes: \\*bold\\*"
    )
    assert describe(step("comment_added", "#4"), lambda s: "!" + s) == "!aiko added comment #4."


def test_times_are_in_the_zone_of_the_language_unless_configured() -> None:
    entry = step("reopened")
    assert history_line(entry) == "3. 2026-03-02 09:30 UTC — aiko reopened voting."
    with speaking("ja"):
        assert history_line(entry) == "3. 2026/03/02 18:30 JST — aikoさんが投票を再開しました。"
        assert history_line(entry, "UTC").startswith("3. 2026/03/02 09:30 UTC — ")
    assert history_line(entry, "Asia/Tokyo").startswith("3. 2026-03-02 18:30 +0900 — ")
