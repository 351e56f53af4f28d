"""A fictional article shared by the render tests: a robot-run ramen shop that went viral."""

from __future__ import annotations

import pytest

from bot.core.models import ArticleDocument, Reaction, Source, flag_for

KR_US = flag_for("KR") + flag_for("US")

PERSONAS = ("👨🏻‍💼", "👩🏻‍✈️", "🧑🏻‍💻", "👱🏼‍♂️", "👩🏽‍🍳", "👴🏼", "🧑🏾‍🔧", "🙋🏻‍♀️")


def robot_ramen_document() -> ArticleDocument:
    """Eight reactions with ZWJ personas, skin tones and one- and two-flag countries."""
    lead = (
        "山あいの小さな町、湯ノ沢町にある一軒のラーメン店が、いま世界中の注目を集めています。\n"
        "\n"
        "店主の祖父が残した屋台を改装したこの店では、麺を茹でるのも、"
        "スープを注ぐのも、すべて三台のロボットアームが担当しています。\n"
        "人間のスタッフは店主ひとりだけ。彼の仕事は、毎朝スープの味見をすることと、"
        "ロボットに「今日もよろしく」と声をかけることだそうです。\n"
        "この様子を撮影した動画がSNSに投稿されると、再生回数は三日で一千万回を超えました。\n"
        "海外の人々はこの小さな店をどのように見ているのでしょうか。その反応をご紹介します。"
    )
    sources = (
        Source(
            position=1,
            url="https://example.com/yunosawa_eats/status/1001",
            text="湯ノ沢町のロボットラーメン、本日も営業中🍜🤖\n湯切りの角度まで毎日調整しています!",
            author="湯ノ沢グルメ通信",
            handle="yunosawa_eats",
            date="March 3, 2026",
        ),
        Source(
            position=2,
            url="https://example.com/noodle_dad/status/2002",
            text="店主さん「ロボットは文句を言わないけど、味には正直です」\n名言すぎる…👏",
            author="Noodle Dad",
            handle="@noodle_dad",
            date="March 4, 2026",
        ),
    )
    texts = (
        "これこそ未来の外食産業だ。しかも職人の魂がちゃんと残っているのが素晴らしい。",
        "乗り継ぎの待ち時間に行けないか、本気で路線図を調べ始めた。",
        "ロボットアームの制御コードを見てみたい。湯切りの動きが滑らかすぎる。",
        "スープの味見だけは人間がやるというのが、いかにも日本らしいね。",
        "料理人として言わせてもらうと、麺の茹で時間を秒単位で守れるのは羨ましい。",
        "昔ながらの屋台を捨てずに活かしているところに一番感動したよ。",
        "壊れたら誰が直すんだ?店主がエンジニアも兼ねているのか?",
        "可愛いけど、人の仕事を奪うことにならないか少し心配だわ。",
    )
    flags = ("", flag_for("US"), KR_US, flag_for("FI"), "", flag_for("GB"), "", flag_for("CA"))
    reactions = tuple(
        Reaction(persona=persona, flags=flag, text=text, comment_number=number)
        for number, (persona, flag, text) in enumerate(
            zip(PERSONAS, flags, texts, strict=True), start=1
        )
    )
    closing = (
        "最新の技術と、受け継がれてきた屋台の記憶が同じ場所で動いている。\n"
        "湯ノ沢町の小さな店が見せてくれたのは、機械と人が役割を分け合う、ひとつの穏やかな未来の姿なのかもしれません。"
    )
    return ArticleDocument(
        title="湯ノ沢町のロボットラーメン店に世界が注目",
        lead=lead,
        closing=closing,
        sources=sources,
        reactions=reactions,
    )


@pytest.fixture
def document() -> ArticleDocument:
    return robot_ramen_document()


def miniature_railway_document(style: str = "") -> ArticleDocument:
    """The styles' article: an X post, a YouTube video and a news page as sources; reactions
    with country codes, originals, and one comment that tries to smuggle in markup."""
    reactions = (
        Reaction(
            persona="👷🏻‍♂️",
            flags=flag_for("DE"),
            countries=("DE",),
            text="線路の勾配まで本物と同じ計算をしているなんて、さすが元運転士だ。",
            original="He even calculated the gradients like a real line. Once a driver...",
            language="en",
            comment_number=4,
        ),
        Reaction(
            persona="👩🏽‍🏫",
            flags=flag_for("BR") + flag_for("PT"),
            countries=("BR", "PT"),
            text="うちの生徒たちにもこの動画を見せたい!",
            original="Quero mostrar este vídeo aos meus alunos!",
            language="pt",
            comment_number=7,
        ),
        Reaction(
            persona="🧔🏻‍♂️",
            flags="",
            text='<script>alert("発車")</script> **太字** [リンク](javascript:void(0))',
            original="<b>choo choo</b> & @everyone",
            language="en",
            comment_number=9,
        ),
    )
    return ArticleDocument(
        title="元運転士が裏庭に作ったミニ鉄道、子どもたちの人気者に",
        lead=(
            "鳥取県の小さな集落で、40年間ローカル線を運転してきた男性が、"
            "自宅の裏庭に全長120メートルのミニ鉄道を作りました。\n"
            "週末になると近所の子どもたちが列をなすこの鉄道に、海外からも声が届いています。"
        ),
        closing="引退しても、線路への愛情は変わらないようです。\n次の延伸計画にも期待しましょう。",
        sources=(
            Source(
                position=1,
                url="https://x.com/hakuto_line/status/1890011223344556677",
                text="裏庭の鉄道、今日で開業一周年です🚂\n乗ってくれた子どもたちは延べ800人!",
                author="白兎ミニ鉄道",
                handle="hakuto_line",
                date="May 5, 2026",
            ),
            Source(
                position=2,
                url="https://youtu.be/dQw4w9WgXcQ",
                text="前面展望の動画です",
                author="白兎ミニ鉄道",
            ),
            Source(
                position=3,
                url="https://news.example.org/tottori/mini-railway?id=12&ref=top",
                text="「子どもの笑顔が一番の運賃」と男性は話す。",
                author="とっとり日日新聞",
            ),
        ),
        reactions=reactions,
        style=style,
        # Display names as the platforms gave them, one trying markup and a mass mention.
        credits="翻訳: 美咲、<b>Kenji</b> / コメント選定: @everyone *sam*",
    )
