"""Item 4: assembling a 1,000-reaction article (chat parts, Markdown, HTML) against plain Jinja2.

The baseline renders the same document into the same three shapes with three minimal Jinja2
templates: no escaping filters (HTML still autoescaped), no control-character cleanup and no
splitting into chat messages. The difference is what hanno's safety costs: inert Markdown,
bidi and control characters removed, grapheme-safe splitting at 2,000 characters.
"""

from __future__ import annotations

import random

import jinja2

from bench.common import Row, best_of_turns, verdict
from bot.core.models import ArticleDocument, Reaction, Source
from bot.render import Renderer

REACTIONS = 1_000
LIMIT = 2_000
TARGET = 1.5
RUNS = 21

PERSONAS = ("👨🏻‍💼", "👴🏼", "👩🏻‍✈️", "🧑🏽‍🔬", "👩🏾‍🍳", "🙂", "🧔🏻‍♂️", "👵🏻")
FLAGS = ("🇫🇮", "🇺🇸", "🇰🇷🇺🇸", "🇧🇷", "🇩🇪", "", "🇮🇳", "🇫🇷")
PHRASES = (
    "この町の図書館が夜まで開いているのは本当に素晴らしい。",
    "うちの国でも同じことをしてほしい!",
    "職員の皆さんに感謝したい。",
    "でも予算はどこから出ているんだろう?",
    "子供の頃にこんな場所があったら良かったのに…",
    "静かに勉強できる場所は貴重だよね。",
)


def document(reactions: int = REACTIONS, seed: int = 4) -> ArticleDocument:
    """A fictional article: a town library that stays open all night, and what people said."""
    rnd = random.Random(seed)
    lead = "\n".join(
        "ある地方都市の図書館が、試験期間中に24時間開館を始めました。" * 3 for _ in range(4)
    )
    lead += "\nその反応の数々をご紹介します。"
    return ArticleDocument(
        title="夜通し開いている図書館",
        lead=lead,
        closing="\n".join("静かな夜の図書館は、町の新しい顔になりそうです。" * 2 for _ in range(3)),
        sources=(
            Source(
                position=1,
                url="https://example.com/library/1",
                text="Our library now stays open all night during exam weeks! 📚",
                author="Town Library",
                handle="townlibrary",
                date="March 3, 2026",
            ),
            Source(
                position=2,
                url="https://example.com/library/2",
                text="Thank you to every volunteer who made this possible.",
                author="Town Library",
                handle="townlibrary",
                date="March 4, 2026",
            ),
        ),
        reactions=tuple(
            Reaction(
                persona=rnd.choice(PERSONAS),
                flags=rnd.choice(FLAGS),
                text="".join(rnd.choice(PHRASES) for _ in range(rnd.randint(1, 4))),
                comment_number=index + 1,
            )
            for index in range(reactions)
        ),
    )


PLAIN_TEXT = """{{ doc.lead }}
{% for s in doc.sources %}{{ s.text }}
— {{ s.author }} (@{{ s.handle }}) {{ s.date }}
{{ s.url }}
{% endfor %}{{ doc.heading }}
{% for r in doc.reactions %}{{ r.persona }}{{ r.flags }} {{ r.text }}
{% endfor %}{{ doc.closer }}
{{ doc.closing }}
"""
PLAIN_MARKDOWN = """# {{ doc.title }}

{{ doc.lead }}

{% for s in doc.sources %}> {{ s.text }}
>
> — {{ s.author }} (@{{ s.handle }}) {{ s.date }}
> <{{ s.url }}>

{% endfor %}## {{ doc.heading }}

{% for r in doc.reactions %}{{ r.persona }}{{ r.flags }} {{ r.text }}

{% endfor %}{{ doc.closer }}

{{ doc.closing }}
"""
PLAIN_HTML = """<article>
<p>{{ doc.lead }}</p>
{% for s in doc.sources %}<blockquote><p>{{ s.text }}</p>
<p>— {{ s.author }} (@{{ s.handle }}) {{ s.date }}</p>
<p><a href="{{ s.url }}">{{ s.url }}</a></p></blockquote>
{% endfor %}<h2>{{ doc.heading }}</h2>
{% for r in doc.reactions %}<p>{{ r.persona }}{{ r.flags }} {{ r.text }}</p>
{% endfor %}<p>{{ doc.closer }}</p>
<p>{{ doc.closing }}</p>
</article>
"""


def run() -> list[Row]:
    doc = document()
    renderer = Renderer()
    plain = jinja2.Environment(autoescape=False)
    html = jinja2.Environment(autoescape=True)
    text_t = plain.from_string(PLAIN_TEXT)
    md_t = plain.from_string(PLAIN_MARKDOWN)
    html_t = html.from_string(PLAIN_HTML)

    def hanno() -> object:
        # A new document object each round, as each publish builds one: the renderer keeps the
        # blocks of the last document it rendered (the three formats of one publish share
        # them), and reusing one object across rounds would time only the first round's work.
        fresh = doc.model_copy()
        return (renderer.chat_parts(fresh, LIMIT), renderer.markdown(fresh), renderer.html(fresh))

    def baseline() -> object:
        return (text_t.render(doc=doc), md_t.render(doc=doc), html_t.render(doc=doc))

    hanno(), baseline()  # warm up: template compilation is not what we measure
    ours, theirs = best_of_turns(RUNS, hanno, baseline)
    parts = renderer.chat_parts(doc, LIMIT)
    ratio = ours / theirs
    return [
        Row(
            item="4 article assembly",
            measured=f"{ours * 1000:.1f} ms",
            baseline=f"{theirs * 1000:.1f} ms",
            ratio=f"{ratio:.2f}x time",
            target=f"<= {TARGET}x time",
            verdict=verdict(ratio <= TARGET),
            note=(
                f"{REACTIONS:,} reactions -> {len(parts)} chat parts of <= {LIMIT} chars + "
                f"Markdown + HTML; best of {RUNS}, taken in turns"
            ),
        )
    ]
