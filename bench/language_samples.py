"""Short and long comments in the twelve default languages, for item 7's accuracy check:
what the two-pass detection gives up against lingua's full models (and the trigrams alone)."""

from __future__ import annotations

SAMPLES: dict[str, list[str]] = {
    "en": [
        "This is exactly why I love visiting Japan every spring.",
        "lol same",
        "Honestly the station staff there are the nicest people I've met anywhere in the world.",
        "Wow, respect.",
    ],
    "fr": [
        "C'est incroyable, personne ne ferait ça chez nous.",
        "Trop mignon",
        "J'ai vécu trois ans à Osaka et je confirme, les gens sont d'une gentillesse rare.",
        "Quel pays!",
    ],
    "de": [
        "Das würde bei uns niemals passieren, leider.",
        "Krass gut",
        "Ich war letztes Jahr in Tokio und habe meine Geldbörse im Zug verloren, sie wurde mir zurückgeschickt.",
        "Respekt!",
    ],
    "es": [
        "Esto nunca pasaría en mi país, qué envidia.",
        "Qué bonito",
        "Viví dos años en Kioto y la gente siempre fue muy amable conmigo, los extraño mucho.",
        "¡Increíble!",
    ],
    "it": [
        "Da noi una cosa del genere non succederebbe mai.",
        "Che bello",
        "Sono stato in Giappone l'anno scorso e ho trovato tutti gentilissimi, tornerei domani.",
        "Bravissimo!",
    ],
    "pt": [
        "Isso nunca aconteceria no meu país, que inveja.",
        "Que lindo",
        "Morei no Japão por três anos e posso dizer que as pessoas são muito educadas e prestativas.",
        "Incrível!",
    ],
    "nl": [
        "Dit zou bij ons nooit gebeuren, helaas.",
        "Wat mooi",
        "Ik ben vorig jaar in Japan geweest en iedereen was ontzettend behulpzaam en vriendelijk.",
        "Geweldig!",
    ],
    "pl": [
        "U nas to by się nigdy nie wydarzyło, niestety.",
        "Piękne",
        "Byłem w Japonii w zeszłym roku i wszyscy byli niesamowicie uprzejmi i pomocni.",
        "Szacunek!",
    ],
    "ru": [
        "У нас такого бы никогда не случилось, к сожалению.",
        "Круто",
        "Я был в Японии в прошлом году, и все люди были невероятно вежливыми и отзывчивыми.",
        "Уважаю!",
    ],
    "ko": [
        "우리나라에서는 절대 일어나지 않을 일이네요.",
        "대박",
        "작년에 일본에 갔었는데 모두가 정말 친절하고 도움이 되었어요.",
        "존경합니다!",
    ],
    "zh": [
        "这种事在我们国家绝对不会发生。",
        "太棒了",
        "我去年去了日本，每个人都非常有礼貌，也很乐于助人。",
        "佩服！",
    ],
    "ja": [
        "うちの国では絶対に起こらないことですね。",
        "すごい",
        "去年日本に行きましたが、みんなとても親切で助けてくれました。",
        "尊敬します!",
    ],
}


async def accuracy() -> str:
    """How many samples each way of detecting gets right, and where the two-pass way and the
    full models disagree."""
    from lingua import LanguageDetectorBuilder

    from bot.sources.language import Detector, languages_of

    codes = list(SAMPLES)
    texts = [text for code in codes for text in SAMPLES[code]]
    truth = [code for code in codes for _ in SAMPLES[code]]
    full = LanguageDetectorBuilder.from_languages(*languages_of(codes)).build()
    by_full = [
        values[0].language.iso_code_639_1.name.lower() if values else ""
        for values in full.compute_language_confidence_values_in_parallel(texts)
    ]
    two_pass = [code for code, _ in await Detector(codes).detect(texts)]
    trigrams = [code for code, _ in await Detector(codes, fast=True).detect(texts)]

    def right(found: list[str]) -> int:
        return sum(a == b for a, b in zip(found, truth, strict=True))

    differ = sum(a != b for a, b in zip(two_pass, by_full, strict=True))
    return (
        f"on {len(texts)} sample comments in {len(codes)} languages (bench/language_samples.py: "
        f"a word or two and a sentence or two each), the full models get {right(by_full)} "
        f"right, the trigrams alone {right(trigrams)}, the two passes {right(two_pass)} "
        f"(choosing as the full models do on {len(texts) - differ} of {len(texts)})"
    )
