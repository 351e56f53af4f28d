"""The credits line and the translators' stats through the service: who translated (by hand
or by taking a machine draft) and who picked the comments, as the article and `stats` show it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import TeamConfig
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.core.teamwork import TeamRules
from bot.render import Renderer
from tests.assist.workflow import deepl_provider, selected_article
from tests.conftest import POLICY, person


def make_service(store, notifier, *, language="ja", credits=None, provider=None) -> HannoService:
    return HannoService(
        store,
        rules=Rules(min_score=1, max_reactions=100, target_language=language),
        policy=POLICY,
        renderer=Renderer(),
        notifier=notifier,
        provider=provider,
        team=TeamRules(credits=credits),
    )


async def translated(service: HannoService) -> int:
    """Two members' comments, picked and translated by two translators (tr twice)."""
    mod, tr, tr2 = person("mod"), person("tr"), person("tr2")
    article = await service.create_article(mod, "Snow lanterns in Otaru")
    for who, text in (("ann", "Beautiful"), ("bob", "I want to go"), ("ann", "So cold")):
        comment = await service.add_comment(person(who), article.number, text)
        await service.pick(mod, comment.number)
    await service.close_voting(mod, article.number)
    await service.submit_translation(tr, 1, "きれい")
    await service.submit_translation(tr2, 2, "行きたい")
    await service.submit_translation(tr, 3, "寒そう")
    return article.number


async def test_credits_name_each_translator_and_picker_once_in_the_articles_language(
    store, notifier
) -> None:
    service = make_service(store, notifier)
    number = await translated(service)
    draft = await service.build_draft(person("mod"), number)
    assert draft.preview.endswith("\n翻訳: tr、tr2 / コメント選定: ann、bob\n")


async def test_an_english_article_gets_the_english_line(store, notifier) -> None:
    service = make_service(store, notifier, language="en")
    draft = await service.build_draft(person("mod"), await translated(service))
    assert draft.preview.endswith("\nTranslated by tr, tr2. Comments picked by ann, bob.\n")


async def test_a_teams_own_template_and_an_empty_one(store, notifier) -> None:
    service = make_service(store, notifier, credits="訳：{translators}（選：{pickers}）")
    number = await translated(service)
    assert (await service.document(person("mod"), number)).credits == "訳：tr、tr2（選：ann、bob）"
    service = make_service(store, notifier, credits="")
    document = await service.document(person("mod"), number)
    assert document.credits == ""
    assert (await service.build_draft(person("mod"), number)).preview.endswith(
        "コメントは以上になります。\n"
    )


async def test_nobody_named_yet_means_no_line(store, notifier) -> None:
    service = make_service(store, notifier)
    article = await service.create_article(person("mod"), "Nothing picked yet")
    assert (await service.document(person("mod"), article.number)).credits == ""


async def test_stats_count_translations_and_accepted_machine_drafts_apart(
    store, notifier, deepl_fake
) -> None:
    service = make_service(store, notifier, provider=deepl_provider(deepl_fake))
    mod, tr, tr2 = person("mod"), person("tr"), person("tr2")
    await selected_article(service, mod, person("ann"))
    await service.suggest(tr, 1)
    await service.accept(tr, 1)  # a machine draft taken as it is
    await service.suggest(tr, 2)  # a machine draft nobody reviewed: nobody's work yet
    await service.submit_translation(tr2, 3, "黒田大臣は彼に勲章を贈るべきだ。")
    await service.submit_translation(tr2, 3, "黒田大臣は勲章を贈るべきだよ。")  # same comment
    stats = {p.name: p for p in (await service.team_stats(mod)).people}
    assert (stats["tr"].translations, stats["tr"].accepted) == (0, 1)
    assert (stats["tr2"].translations, stats["tr2"].accepted) == (1, 0)
    assert service.team.credits is None
    # The credits name whoever took the machine draft, like any translator.
    assert (await service.document(mod, 1)).credits.startswith("翻訳: tr、tr2 /")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, None), (False, ""), ("", ""), ("訳: {translators}", "訳: {translators}")],
)
def test_config_turns_the_line_on_off_or_gives_a_template(value, expected) -> None:
    assert TeamConfig(credits=value).credits == expected
    assert TeamConfig().credits is None  # unset: the built-in line


def test_a_template_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"only \{translators\} and \{pickers\}"):
        TeamConfig(credits="by {translator}")


async def test_a_member_who_changed_their_name_is_credited_once(store, notifier) -> None:
    service = make_service(store, notifier)
    mod, renamed = person("mod"), person("ann").model_copy(update={"name": "Ann K."})
    article = await service.create_article(mod, "Snow lanterns in Otaru")
    for who in (person("ann"), person("bob"), renamed):
        comment = await service.add_comment(who, article.number, f"Comment by {who.name}")
        await service.pick(mod, comment.number)
    await service.close_voting(mod, article.number)
    for number in (1, 2, 3):
        await service.submit_translation(person("tr"), number, f"コメント{number}")
    credits = (await service.document(mod, article.number)).credits
    assert credits == "翻訳: tr / コメント選定: ann、bob"
