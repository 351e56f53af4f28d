"""A service with translation help wired to the fake DeepL or model server, and a selected
article to work on; shared by the core and front-end tests of translation help."""

from __future__ import annotations

from bot.assist.deepl import DeeplProvider
from bot.assist.openai import OpenAIProvider
from bot.assist.tokenizer import japanese_tokenizer
from bot.core.assist import Register
from bot.core.models import Actor
from bot.core.style import StyleChecker, StyleSettings
from tests.fakes.deepl_fake import KEY as DEEPL_KEY
from tests.fakes.deepl_fake import DeeplFake
from tests.fakes.openai_fake import KEY as OPENAI_KEY
from tests.fakes.openai_fake import OpenAIFake

LEAD = "駅員さんが落とし物のスケッチブックを届けるため、20km自転車をこいだという話。"
COMMENTS = (
    "This is the Japan I fell in love with.",
    "Respect to the clerk, honestly.",
    "Minister Kuroda should give him a medal.",
)


def style_checker() -> StyleChecker:
    return StyleChecker(japanese_tokenizer(), StyleSettings(speech=Register.CASUAL))


def deepl_provider(server: DeeplFake, retries: int = 0) -> DeeplProvider:
    return DeeplProvider(DEEPL_KEY, server_url=server.url, retries=retries, timeout=5)


def model_provider(server: OpenAIFake, retries: int = 0) -> OpenAIProvider:
    return OpenAIProvider(
        api_key=OPENAI_KEY, base_url=f"{server.url}/v1", model="local-llm", retries=retries
    )


async def selected_article(service, mod: Actor, member: Actor, texts=COMMENTS) -> int:
    """An article in translation with `texts` as its selected comments (#1, #2, …)."""
    article = await service.create_article(mod, "Station clerk returns a sketchbook")
    await service.set_article_text(mod, article.number, "lead", LEAD)
    for text in texts:
        comment = await service.add_comment(member, article.number, text, language="en")
        await service.pick(mod, comment.number)
    await service.close_voting(mod, article.number)
    return article.number
