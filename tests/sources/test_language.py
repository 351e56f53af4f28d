"""Language detection: the trigram pass for sentences, the full models for short texts."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

from bot.config import LIKELY_LANGUAGES
from bot.sources.language import Detector

LANGUAGES = LIKELY_LANGUAGES.split()
SAMPLES = {
    "Trop mignon": "fr",  # the trigrams alone say Italian, and are sure of it
    "Wow, respect.": "en",  # the trigrams alone say Spanish
    "Respekt!": "de",
    "J'ai vécu trois ans à Osaka et je confirme, les gens sont d'une gentillesse rare.": "fr",
    "Ich war letztes Jahr in Tokio und habe meine Geldbörse im Zug verloren.": "de",
    "Byłem w Japonii w zeszłym roku i wszyscy byli niesamowicie uprzejmi i pomocni.": "pl",
    "Ik ben vorig jaar in Japan geweest en iedereen was ontzettend behulpzaam.": "nl",
    "작년에 일본에 갔었는데 모두가 정말 친절하고 도움이 되었어요.": "ko",
    "去年日本に行きましたが、みんなとても親切で助けてくれました。": "ja",
}


async def test_short_texts_get_the_full_models_and_sentences_the_trigrams() -> None:
    found = await Detector(LANGUAGES).detect(list(SAMPLES))
    assert [code for code, _ in found] == list(SAMPLES.values())
    uncertain = dict(zip(SAMPLES, (flag for _, flag in found), strict=True))
    assert uncertain["Trop mignon"] and uncertain["Respekt!"]  # too short to be sure
    assert not uncertain[
        "Byłem w Japonii w zeszłym roku i wszyscy byli niesamowicie uprzejmi i pomocni."
    ]


async def test_fast_detection_reads_with_trigrams_only() -> None:
    """What `sources.detection = "fast"` gives up: short texts are read by trigrams alone."""
    found = await Detector(LANGUAGES, fast=True).detect(["Trop mignon", "Wow, respect."])
    assert [code for code, _ in found] == ["it", "es"]


async def test_a_detecting_process_that_died_is_replaced() -> None:
    """Detection runs in a process of its own (lingua holds the interpreter lock while it
    reads); if that process is killed, the next import starts a new one instead of
    failing."""
    detector = Detector(["en", "fr"])
    assert [code for code, _ in await detector.detect(["Good evening, everyone."])] == ["en"]
    pid = await asyncio.wrap_future(detector._pool().submit(os.getpid))
    assert pid != os.getpid()
    os.kill(pid, signal.SIGKILL)
    found = await detector.detect(["Bonsoir à tous, et merci pour votre patience."])
    assert [code for code, _ in found] == ["fr"]
    assert await asyncio.wrap_future(detector._pool().submit(os.getpid)) != pid


async def test_texts_started_ahead_are_not_read_twice() -> None:
    """A thread's pages are handed to `ahead` as they are read; the import's later `detect`
    of the comments it keeps takes those answers (one request per page, none after), and
    reads only texts it had not seen."""
    detector = Detector(LANGUAGES)
    asked: list[list[str]] = []
    submit = detector._submit

    def counting(pool, texts: list[str]):  # type: ignore[no-untyped-def]
        asked.append(texts)
        return submit(pool, texts)

    detector._submit = counting  # type: ignore[method-assign]
    page_one = ["Good evening, everyone, and thank you.", "Bonsoir à tous, et merci."]
    page_two = ["Guten Abend zusammen und vielen Dank."]
    detector.ahead(page_one)
    detector.ahead(page_two + page_one)  # a text seen already is not asked again
    found = await detector.detect([page_two[0], page_one[1], "A new one, never seen before."])
    assert [code for code, _ in found] == ["de", "fr", "en"]
    assert asked == [page_one, page_two, ["A new one, never seen before."]]


async def test_texts_started_ahead_are_read_again_if_the_process_died() -> None:
    detector = Detector(["en", "fr"])
    await detector.warm_up()
    pid = await asyncio.wrap_future(detector._pool().submit(os.getpid))
    os.kill(pid, signal.SIGKILL)
    detector.ahead(["Bonsoir à tous, et merci pour votre patience."])
    found = await detector.detect(["Bonsoir à tous, et merci pour votre patience."])
    assert [code for code, _ in found] == ["fr"]


STOPPED_BY_CTRL_C = """
import asyncio
from bot.sources.language import Detector

async def main():
    await Detector(["en", "fr"]).detect(["Good evening, everyone."])
    print("ready", flush=True)
    await asyncio.sleep(30)

try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("stopped", flush=True)
"""


def test_ctrl_c_stops_the_bot_without_a_traceback_from_the_detecting_process() -> None:
    """Ctrl-C in a terminal reaches every process of the bot's group, the detecting one too."""
    bot = subprocess.Popen(
        [sys.executable, "-c", STOPPED_BY_CTRL_C],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert bot.stdout is not None and bot.stdout.readline().strip() == "ready"
    os.killpg(bot.pid, signal.SIGINT)
    out, _ = bot.communicate(timeout=30)
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
