"""Translation help on the console: the real `hanno console` process with its providers
pointed at the fake DeepL and model servers (run from this test's event loop, so the child
is awaited rather than blocked on)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.console.test_console import CONFIG, ROOT, replies
from tests.fakes.deepl_fake import KEY as DEEPL_KEY
from tests.fakes.deepl_fake import quota_exceeded, too_many_requests, unavailable
from tests.fakes.local_service import Fault
from tests.fakes.openai_fake import KEY as OPENAI_KEY
from tests.fakes.openai_fake import error, misbehaving, slow

DEEPL = """
[assist]
provider = "deepl"
retries = 0
timeout = 0.5

[assist.deepl]
server_url = "{url}"
"""

MODEL = """
[assist]
provider = "openai"
retries = 0
timeout = 0.5

[assist.openai]
base_url = "{url}/v1"
model = "local-llm"
"""

SETUP = """\
aiko: /article new "Station clerk cycles 20 km to return a sketchbook"
aiko: /article set 1 lead "駅員さんが落とし物を届けに20km自転車をこいだ話です。"
sam: /comment add 1 "This is the Japan I fell in love with." --lang en
lena: /comment add 1 "Respect to the clerk, honestly." --lang en
sam: /comment add 1 "Minister Kuroda should give him a medal." --lang en
aiko: /comment pick 1
aiko: /comment pick 2
aiko: /comment pick 3
aiko: /article close 1
"""


async def play(tmp_path: Path, assist: str, script: str, **env: str) -> list[str]:
    db = (tmp_path / "hanno.db").as_posix()
    config = tmp_path / "config.toml"
    config.write_text(
        CONFIG.format(db=db).replace("max_reactions = 2", "max_reactions = 10") + assist,
        encoding="utf-8",
    )
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        "--config",
        str(config),
        "--script",
        str(path),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), 120)
    stdout, stderr = out.decode(), err.decode()
    assert child.returncode == 0, stderr
    assert "Traceback" not in stdout + stderr
    return stdout.splitlines()


async def test_drafts_accept_edit_history_restore_remarks_and_the_build(tmp_path, deepl_fake):
    script = (
        SETUP
        + """\
mei: /glossary add Kuroda 黒田 --note "the minister"
mei: /translate suggest 1
mei: /translate accept 1
aiko: /translate suggest 1 --all
aiko: /draft build 1
mei: /translate submit 2 "その駅員さんには素直に敬意を表するよ。マジで。"
mei: /translate submit 3 "クロダ大臣はあの人に勲章をあげるべきだろ"
aiko: /article status 1
mei: /glossary dismiss 3
mei: /translate history 2
mei: /translate restore 2 1
aiko: /translate remark 1 "「惚れた」はもう少し自然に"
aiko: /article status 1
mei: /translate submit 2 "駅員さんには敬意しかないわ"
mei: /translate submit 1 "これぞ俺が惚れた日本だよ"
aiko: /draft build 1
"""
    )
    lines = await play(tmp_path, DEEPL.format(url=deepl_fake.url), script, DEEPL_AUTH_KEY=DEEPL_KEY)
    said = replies(lines)
    text = "\n".join(lines)
    start = next(i for i, s in enumerate(said) if s.startswith("Glossary:"))
    glossary, suggested, accepted, progress, drafted, refused = said[start : start + 6]
    assert glossary == "Glossary: “Kuroda” → “黒田” added."
    assert suggested.startswith("Machine draft for #1 from DeepL (revision 1)")
    assert "`translate accept 1`:\nこれこそ俺が惚れた日本だよ。" in text
    assert refused == (
        "Article #1 still has 2 machine drafts nobody has reviewed: #2, #3. Edit and submit "
        "each one, or take it as it is with `/translate accept 2`."
    )
    assert accepted == "Machine draft for #1 accepted as it is (revision 2)."
    assert progress == "Drafting article #1: 2/2 comments done…"
    assert drafted.startswith("2 machine drafts for article #1 from DeepL; selected comments left")
    # DeepL got the team glossary as a DeepL glossary, and the lead as context.
    [made] = deepl_fake.glossaries.values()
    assert made["entries"] == {"Kuroda": "黒田"}
    call = deepl_fake.translate_calls()[-1]
    assert call["glossary_id"] == made["glossary_id"] and "20km" in call["context"]
    assert "Warnings (not blocking):" in text
    assert "#3: the original has “Kuroda”, the translation lacks “黒田”" in text
    board = text.split("→ Glossary warning on #3 dismissed")[0].rsplit("→ #1 Station", 1)[1]
    assert "Machine drafts waiting for review" not in board
    assert "Glossary warning on #3 dismissed: Kuroda." in said
    history = text.split("→ r1 ")[1].split("→ Comment #2: revision 1")[0]
    assert "(machine draft, DeepL)" in history and "\nr2 " in history and "(human)" in history
    assert "\n  {+その駅員さんには素直に敬意を表するよ。+}\n" in history
    assert "\n  その駅員さんには素直に敬意を表するよ。{+マジで。+}\n" in history
    assert "Comment #2: revision 1 is the latest again, as revision 3." in said
    assert "[@mei] aiko left a remark on your translation of comment #1" in text
    board = text.split("→ Remark on #1 (revision 2) saved; mei is told.")[1]
    assert "Machine drafts waiting for review: #2" in board
    assert "- #1 r2 aiko: 「惚れた」はもう少し自然に" in board
    preview = text.rsplit("→ ", 1)[1]
    assert "これぞ俺が惚れた日本だよ" in preview and "駅員さんには敬意しかないわ" in preview


async def test_style_warnings_on_submit_and_in_the_draft_preview(tmp_path):
    script = (
        SETUP
        + """\
mei: /translate submit 1 "これこそ俺が惚れた日本だよ。本当に素晴らしいです。"
mei: /translate submit 2 "敬意を表します。"
mei: /translate submit 3 "黒田大臣は should give him a medal「"
aiko: /translate submit 3 "最高"
aiko: /draft build 1
"""
    )
    lines = await play(tmp_path, "", script)
    said, text = replies(lines), "\n".join(lines)
    assert "Mixes です/ます (“本当に素晴らしいです”) with タメ口 in one translation." in text
    assert "Written in です/ます, while the article speaks in タメ口." in text
    assert "Text left untranslated: “should give him a medal”" in text
    assert "Unbalanced bracket 「" in text
    assert "Much shorter than the original (0.06× its length)" in text
    assert "Warnings per comment (you can build anyway):\n#1\n- Mixes" in text.rsplit("→ ", 1)[1]
    assert said[-1] == "Draft preview of article #1:"


async def test_without_a_provider_the_console_says_how_to_configure_one(tmp_path):
    said = replies(await play(tmp_path, "", SETUP + "mei: /translate suggest 1\n"))
    assert said[-1].startswith('No machine translation is set up. Put provider = "deepl"')


async def test_each_provider_fault_is_one_sentence(tmp_path, deepl_fake, model_fake):
    for fault in (
        Fault(403, {"message": "Forbidden"}),
        quota_exceeded(),
        too_many_requests(),
        unavailable(),
    ):
        deepl_fake.fail(fault)
    deepl_fake.fail(Fault(200, {}, delay=3))
    script = SETUP + "mei: /translate suggest 1\n" * 5 + "aiko: /article status 1\n"
    said = replies(
        await play(tmp_path, DEEPL.format(url=deepl_fake.url), script, DEEPL_AUTH_KEY=DEEPL_KEY)
    )
    assert said[-6:-1] == [
        "DeepL refused the API key; check DEEPL_AUTH_KEY in the bot's environment and try again.",
        "DeepL's quota is used up for now; wait until it renews or raise the limit, then try again.",
        "DeepL is getting too many requests; wait a minute and try again.",
        "DeepL is having trouble right now (error 503); try again in a few minutes.",
        "DeepL did not answer in time; try again, or draft fewer comments at once.",
    ]
    assert "Machine drafts" not in said[-1]  # nothing was stored

    model_fake.fail(error(401, "Incorrect API key provided.", "invalid_request_error"))
    model_fake.fail(misbehaving("prose"))
    model_fake.fail(slow(2))
    tmp = tmp_path / "model"
    tmp.mkdir()
    script = SETUP + "mei: /translate suggest 1\n" * 3
    said = replies(
        await play(tmp, MODEL.format(url=model_fake.url), script, OPENAI_API_KEY=OPENAI_KEY)
    )
    host = f"127.0.0.1:{model_fake.port}"
    assert said[-3:] == [
        f"{host} refused the API key; check OPENAI_API_KEY in the bot's environment and try again.",
        f"The model local-llm at {host} did not answer with the translations in the expected "
        "form; try again, or configure another model.",
        f"{host} did not answer in time; try again, or draft fewer comments at once.",
    ]
