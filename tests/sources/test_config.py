"""`[sources]` settings and the sites' credentials: from the environment only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.wiring import sources_for


def test_credentials_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "id-from-env")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "secret-from-env")
    monkeypatch.setenv("HANNO_SOURCES__REDDIT_OAUTH_URL", "http://127.0.0.1:9/reddit")
    path = tmp_path / "config.toml"
    path.write_text(
        '[sources]\nmembers_may_import = true\nlanguages = ["en", "ko"]\n', encoding="utf-8"
    )
    settings = load_settings(path)
    assert settings.sources.members_may_import and settings.sources.languages == ["en", "ko"]
    assert settings.sources.reddit_oauth_url == "http://127.0.0.1:9/reddit"
    registry = sources_for(settings)
    reddit = registry.sites[0]
    assert reddit.credentials.reddit_client_id == "id-from-env"
    assert "secret-from-env" not in repr(settings)


@pytest.mark.parametrize("key", ["x_bearer_token", "youtube_api_key", "reddit_client_secret"])
def test_a_secret_in_the_file_is_refused(tmp_path: Path, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[sources]\n{key} = "leaked"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=key.upper()):
        load_settings(path)


def test_an_unknown_language_code_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sources]\nlanguages = ["en", "klingon"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\.languages: 'klingon' is not an ISO 639-1"):
        sources_for(load_settings(path))
