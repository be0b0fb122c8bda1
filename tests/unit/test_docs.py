"""The README stays true: every setting and every command is documented."""

from __future__ import annotations

from portal.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def env_names() -> list[str]:
    names = []
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.append(str(choices[0]) if choices else f"PORTAL_{name.upper()}")
    return names


def test_every_setting_is_documented() -> None:
    assert len(env_names()) == len(Settings.model_fields)
    for env in env_names():
        assert f"`{env}`" in README, env


def test_settings_read_the_documented_variables(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(tmp_path))
    monkeypatch.setenv("CKAN_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("CKAN_API_TOKEN", "secret")
    settings = Settings()
    assert settings.datasets_dir == tmp_path
    assert settings.ckan_url == "http://127.0.0.1:5000" and settings.ckan_api_token == "secret"


def test_the_two_commands_are_in_the_readme() -> None:
    assert "make run" in README and "make test" in README
