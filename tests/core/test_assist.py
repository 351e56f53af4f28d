"""Translation help through the service: machine drafts from the real clients against the
fake services, accepting, revisions, restore, remarks, the glossary and the warnings."""

from __future__ import annotations

import pytest

from bot.core.assist import AssistFailed
from bot.core.errors import Conflict, Forbidden, NotFound, WrongState
from bot.core.events import RemarkAdded, TranslationSubmitted
from bot.core.models import TranslationKind
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.render import Renderer
from tests.assist.workflow import (
    deepl_provider,
    model_provider,
    selected_article,
    style_checker,
)
from tests.conftest import POLICY
from tests.fakes.deepl_fake import quota_exceeded
from tests.fakes.openai_fake import misbehaving


def make_service(store, notifier, provider=None) -> HannoService:
    return HannoService(
        store,
        rules=Rules(min_score=1, max_reactions=100),
        policy=POLICY,
        renderer=Renderer(),
        notifier=notifier,
        provider=provider,
        style=style_checker(),
    )


async def test_a_machine_draft_is_a_revision_that_blocks_the_draft_until_accepted(
    store, notifier, people, deepl_fake
):
    service = make_service(store, notifier, deepl_provider(deepl_fake))
    mod, tr = people["mod"], people["tr"]
    a = await selected_article(
        service, mod, people["ann"], texts=("This is the Japan I fell in love with.",)
    )
    comment = await service.suggest(tr, 1)
    assert comment.translation.text == "これこそ俺が惚れた日本だよ。"
    assert comment.translation.kind is TranslationKind.MACHINE
    assert (comment.translation.provider, comment.assignee_name) == ("DeepL", "tr")
    assert isinstance(notifier.events[-1], TranslationSubmitted)
    board = await service.status(mod, a)
    assert (board.translated, board.machine_drafts) == (0, (1,))
    with pytest.raises(WrongState) as refused:
        await service.build_draft(mod, a)
    assert "1 machine draft nobody has reviewed: #1" in refused.value.message
    assert "`translate accept 1`" in refused.value.message

    accepted = await service.accept(tr, 1)
    assert accepted.translation.kind is TranslationKind.ACCEPTED
    assert accepted.translation.revision == 2
    draft = await service.build_draft(mod, a)
    assert "これこそ俺が惚れた日本だよ。" in draft.preview
    with pytest.raises(Conflict, match="nothing to accept"):
        await service.accept(tr, 1)


async def test_a_submitted_draft_is_human_when_edited_and_accepted_when_unchanged(
    store, notifier, people, deepl_fake
):
    service = make_service(store, notifier, deepl_provider(deepl_fake))
    await selected_article(service, people["mod"], people["ann"])
    draft = (await service.suggest(people["tr"], 1)).translation
    edited = await service.submit_translation(people["tr"], 1, "これぞ俺が惚れた日本なんだよな。")
    assert edited.translation.kind is TranslationKind.HUMAN
    draft = (await service.suggest(people["tr"], 2)).translation
    same = await service.submit_translation(people["tr"], 2, draft.text)
    assert same.translation.kind is TranslationKind.ACCEPTED
    history = await service.history(people["mod"], 1)
    assert [e.action for e in history][-4:] == [
        "machine_draft",
        "translate",
        "machine_draft",
        "accept",
    ]


async def test_suggest_all_batches_and_reports_progress(store, notifier, people, model_fake):
    service = make_service(store, notifier, model_provider(model_fake))
    texts = [f"Comment number {n} about the clerk." for n in range(1, 13)]
    a = await selected_article(service, people["mod"], people["ann"], texts=texts)
    await service.submit_translation(people["tr"], 3, "三番目のコメントだよ")
    await service.claim(people["tr2"], 4)
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    result = await service.suggest_all(people["tr"], a, progress)
    assert result.drafted == (1, 2, *range(5, 13))
    assert result.skipped == 2  # #3 translated, #4 held by tr2
    assert len(model_fake.completion_calls()) == 2  # 10 comments: 8 + 2
    assert seen[-1] == (10, 10) and len(seen) == 2
    board = await service.status(people["mod"], a)
    assert board.machine_drafts == result.drafted
    # A moderator's --all also drafts what others hold; nothing is left now but #4.
    result = await service.suggest_all(people["mod"], a)
    assert result.drafted == (4,)
    with pytest.raises(Conflict, match="has a translation or draft already"):
        await service.suggest_all(people["mod"], a)


async def test_a_provider_fault_is_one_sentence_and_changes_nothing(
    store, notifier, people, deepl_fake, model_fake
):
    service = make_service(store, notifier, deepl_provider(deepl_fake))
    a = await selected_article(service, people["mod"], people["ann"])
    before = await service.history(people["mod"], a)
    deepl_fake.fail(quota_exceeded())
    with pytest.raises(AssistFailed, match="DeepL's quota is used up for now"):
        await service.suggest_all(people["mod"], a)
    model = make_service(store, notifier, model_provider(model_fake))
    model_fake.fail(misbehaving("missing"))
    with pytest.raises(AssistFailed, match="did not answer with the translations"):
        await model.suggest(people["tr"], 1)
    assert await service.history(people["mod"], a) == before
    board = await service.status(people["mod"], a)
    assert (board.machine_drafts, board.unassigned) == ((), 3)


async def test_without_a_provider_the_bot_says_how_to_configure_one(store, notifier, people):
    service = make_service(store, notifier)
    await selected_article(service, people["mod"], people["ann"])
    with pytest.raises(WrongState, match=r'provider = "deepl" \(with DEEPL_AUTH_KEY'):
        await service.suggest(people["tr"], 1)
    with pytest.raises(Forbidden):
        await service.suggest(people["ann"], 1)


async def test_history_shows_run_diffs_and_restore_makes_a_new_revision(
    store, notifier, people, deepl_fake
):
    service = make_service(store, notifier, deepl_provider(deepl_fake))
    await selected_article(service, people["mod"], people["ann"])
    tr = people["tr"]
    await service.submit_translation(tr, 1, "マジで最高だよ")
    await service.submit_translation(tr, 1, "本当に最高です")
    await service.suggest(tr, 1)
    revisions = await service.revisions(people["ann"], 1)
    assert [r.translation.kind for r in revisions] == ["human", "human", "machine"]
    assert [(s.op, s.text) for s in revisions[1].changes] == [
        ("delete", "マジで"),
        ("insert", "本当に"),
        ("equal", "最高"),
        ("delete", "だよ"),
        ("insert", "です"),
    ]
    restored = await service.restore(tr, 1, 1)
    assert restored.translation.revision == 4
    assert restored.translation.kind is TranslationKind.RESTORED
    assert restored.translation.source_revision == 1
    assert restored.translation.text == "マジで最高だよ"
    # Restoring machine text gives machine text back: it still needs a person's review.
    again = await service.restore(tr, 1, 3)
    assert again.translation.kind is TranslationKind.MACHINE
    with pytest.raises(NotFound, match="no revision 9"):
        await service.restore(tr, 1, 9)
    with pytest.raises(Conflict, match="already"):
        await service.restore(tr, 1, 5)
    assert (await service.history(people["mod"], 1))[-1].detail == "#1 revision 5 from 3"


async def test_a_remark_reaches_the_translator_and_stays_on_the_board_until_answered(
    store, notifier, people
):
    service = make_service(store, notifier)
    a = await selected_article(service, people["mod"], people["ann"])
    with pytest.raises(Conflict, match="no translation to remark on"):
        await service.remark(people["mod"], 1, "?")
    await service.submit_translation(people["tr"], 1, "これが俺の惚れた日本だ")
    await service.submit_translation(people["tr2"], 2, "駅員さんに敬意を")
    with pytest.raises(Forbidden):
        await service.remark(people["tr2"], 1, "硬い")
    remark = await service.remark(people["mod"], 1, "「惚れた」はもう少し自然に")
    event = notifier.events[-1]
    assert isinstance(event, RemarkAdded)
    assert (event.translator_id, event.remark.text) == ("u-tr", "「惚れた」はもう少し自然に")
    await service.remark(people["mod"], 2, "敬意を、の後が欲しい")
    board = await service.status(people["mod"], a)
    assert [(r.comment_number, r.revision) for r in board.remarks] == [(1, remark.revision), (2, 1)]
    await service.submit_translation(people["tr"], 1, "これぞ俺が惚れ込んだ日本だよ")
    assert await service.resolve_remarks(people["tr2"], 2) == 1
    assert (await service.status(people["mod"], a)).remarks == ()
    with pytest.raises(Conflict, match="no open remarks"):
        await service.resolve_remarks(people["tr2"], 2)


async def test_glossary_terms_warn_until_used_or_dismissed(store, notifier, people):
    service = make_service(store, notifier)
    a = await selected_article(service, people["mod"], people["ann"])
    with pytest.raises(Forbidden):
        await service.glossary_add(people["ann"], "Kuroda", "黒田")
    entry, new = await service.glossary_add(people["tr"], "Kuroda", "黒田", "the minister")
    assert new and entry.note == "the minister"
    _, new = await service.glossary_add(people["mod"], "kuroda", "黒田大臣")
    assert not new
    assert [(e.source, e.target) for e in await service.glossary(people["ann"])] == [
        ("kuroda", "黒田大臣")
    ]
    await service.submit_translation(people["tr"], 3, "クロダ大臣はあの人に勲章をあげるべきだろ")
    warnings = await service.translation_warnings(people["tr"], 3)
    assert [(w.source, w.target) for w in warnings.glossary] == [("kuroda", "黒田大臣")]
    board = await service.status(people["mod"], a)
    assert [w.number for w in board.glossary_warnings] == [3]
    await service.submit_translation(people["tr"], 3, "黒田大臣はあの人に勲章をあげるべきだろ")
    assert (await service.status(people["mod"], a)).glossary_warnings == ()
    await service.submit_translation(people["tr"], 3, "大臣はあの人に勲章をあげるべきだろ")
    dismissed = await service.glossary_dismiss(people["tr"], 3)
    assert [w.source for w in dismissed] == ["kuroda"]
    assert (await service.status(people["mod"], a)).glossary_warnings == ()
    with pytest.raises(Conflict):
        await service.glossary_dismiss(people["tr"], 3)
    await service.glossary_remove(people["tr"], "KURODA")
    with pytest.raises(NotFound, match="not in the glossary"):
        await service.glossary_remove(people["tr"], "Kuroda")


async def test_a_glossary_changed_twice_leaves_the_team_one_deepl_glossary(
    store, notifier, people, deepl_fake
):
    service = make_service(store, notifier, deepl_provider(deepl_fake))
    await selected_article(service, people["mod"], people["ann"])
    for target in ("黒田", "黒田大臣", "黒田議員"):
        await service.glossary_add(people["tr"], "Kuroda", target)
        comment = await service.suggest(people["tr"], 3)
    assert comment.translation.text == "訳: Minister 黒田議員 should give him a medal."
    [glossary] = deepl_fake.glossaries.values()
    assert glossary["entries"] == {"Kuroda": "黒田議員"}


async def test_style_warnings_per_translation_and_per_draft(store, notifier, people):
    service = make_service(store, notifier)
    a = await selected_article(service, people["mod"], people["ann"])
    tr = people["tr"]
    await service.submit_translation(tr, 1, "これこそ俺が惚れた日本だよ。")
    await service.submit_translation(tr, 2, "駅員さんには敬意を表します。本当に素晴らしいです。")
    await service.submit_translation(tr, 3, "黒田大臣 should give him a medal「")
    warnings = await service.translation_warnings(tr, 2)
    assert [w.key for w in warnings.style] == ["style.register_polite"]
    draft = await service.build_draft(people["mod"], a)  # warnings never refuse
    assert draft.preview
    found = {
        w.number: [s.key for s in w.style] for w in await service.draft_warnings(people["mod"], a)
    }
    assert found == {2: ["style.register_polite"], 3: ["style.source_language", "style.brackets"]}


async def test_no_approval_while_a_comment_is_unreviewed_machine_text(
    store, notifier, people, deepl_fake
):
    service = make_service(store, notifier, deepl_provider(deepl_fake))
    a = await selected_article(service, people["mod"], people["ann"], texts=("Hello there.",))
    await service.suggest(people["tr"], 1)
    await service.submit_translation(people["tr"], 1, "やあ")
    await service.submit_draft(people["mod"], a)
    await service.restore(people["mod"], 1, 1)  # the machine draft is the latest again
    with pytest.raises(WrongState, match="machine draft nobody has reviewed"):
        await service.approve(people["mod"], a)
