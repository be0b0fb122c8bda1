"""Finding the connector plugins and loading the configured connectors.

Plugins are found as the formats are (portal/formats/registry.py): every package under
portal/connectors that exports `PLUGIN` is one, so a new platform is a new folder. A test
may add one with `register_plugin`. The connectors themselves are the `*.yaml` files of
PORTAL_CONNECTORS_DIR, one each; a bad file is `connector-config-invalid` naming the file
and the field (the CLI stops with exit 2; `serve` logs it and carries on without it)."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError

import portal.connectors
from portal.connectors.base import Connector, ConnectorConfig, ConnectorNotFound, ConnectorPlugin
from portal.errors import Location, PortalError
from portal.settings import Settings

log = logging.getLogger(__name__)
_added: dict[str, ConnectorPlugin] = {}


class ConnectorConfigInvalid(PortalError):
    code = "connector-config-invalid"
    status = 500
    exit_code = 2
    template_en = "the connector configuration is not valid: {detail}"
    template_ja = "コネクタの設定が正しくありません: {detail_ja}"
    hint_en = "fix the file (see the README's connector examples)"
    hint_ja = "ファイルを修正してください（README のコネクタ設定例を参照）"


def plugins() -> dict[str, ConnectorPlugin]:
    """The plugins by kind: the packages' and any a test registered."""
    return {**dict(_found()), **_added}


def register_plugin(plugin: ConnectorPlugin) -> None:
    """Add a plugin not in a package of portal/connectors (tests)."""
    _added[plugin.kind] = plugin


def unregister_plugin(kind: str) -> None:
    _added.pop(kind, None)


@cache
def _found() -> tuple[tuple[str, ConnectorPlugin], ...]:
    found: list[tuple[str, ConnectorPlugin]] = []
    for module in pkgutil.iter_modules(portal.connectors.__path__):
        if not module.ispkg:
            continue
        try:
            package = importlib.import_module(f"{portal.connectors.__name__}.{module.name}")
        except Exception:  # one broken plugin must not take the others (or the server) down
            log.exception("connector plugin %s cannot be loaded", module.name)
            continue
        plugin = getattr(package, "PLUGIN", None)
        if plugin is not None:
            found.append((plugin.kind, cast(ConnectorPlugin, plugin)))
    return tuple(sorted(found, key=lambda kind_plugin: kind_plugin[0]))


def read_config(path: Path) -> ConnectorConfig:
    """One connector's YAML file, checked; errors name the file and the field."""
    where = Location(file=str(path))
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConnectorConfigInvalid(where, detail=reason, detail_ja=reason) from None
    if not isinstance(data, dict):
        raise ConnectorConfigInvalid(where, detail="not a YAML mapping",
                                     detail_ja="YAML のマッピングではありません")  # fmt: skip
    data.setdefault("name", path.stem)
    try:
        config = ConnectorConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(file)'}: {e['msg']}"
                             for e in exc.errors())  # fmt: skip
        raise ConnectorConfigInvalid(where, detail=problems, detail_ja=problems) from None
    if config.kind not in plugins():
        known = ", ".join(sorted(plugins())) or "none"
        raise ConnectorConfigInvalid(
            where, detail=f"kind: unknown kind '{config.kind}' (known: {known})",
            detail_ja=f"kind: 不明な種類「{config.kind}」（使える種類: {known}）")  # fmt: skip
    return config


def make_connector(config: ConnectorConfig, path: Path | None = None) -> Connector:
    try:
        return plugins()[config.kind].make(config)
    except ValidationError as exc:  # the plugin's own options model
        problems = "; ".join(f"options.{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors())  # fmt: skip
        where = Location(file=str(path)) if path else None
        raise ConnectorConfigInvalid(where, detail=problems, detail_ja=problems) from None


def config_files(settings: Settings) -> list[Path]:
    folder = connectors_dir(settings)
    if folder is None:
        return []
    if not folder.is_dir():
        detail = f"PORTAL_CONNECTORS_DIR {folder} is not a folder"
        raise ConnectorConfigInvalid(detail=detail,
                                     detail_ja=f"PORTAL_CONNECTORS_DIR {folder} はフォルダーではありません")  # fmt: skip
    return sorted(folder.glob("*.yaml"))


def connectors_dir(settings: Settings) -> Path | None:
    return settings.connectors_dir


def load_connectors(settings: Settings, *, strict: bool = True) -> dict[str, Connector]:
    """Every configured connector by name (disabled ones too: `list` shows them). `strict`:
    the first bad file raises; else it is logged and left out."""
    out: dict[str, Connector] = {}
    for path in config_files(settings):
        try:
            config = read_config(path)
            if config.name in out:
                raise ConnectorConfigInvalid(
                    Location(file=str(path)), detail=f"name: '{config.name}' is used twice",
                    detail_ja=f"name: 「{config.name}」が重複しています")  # fmt: skip
            out[config.name] = make_connector(config, path)
        except ConnectorConfigInvalid as exc:
            if strict:
                raise
            log.error("connector left out: %s", exc.message_en)
    return out


def connector_named(connectors: dict[str, Connector], name: str) -> Connector:
    found = connectors.get(name)
    if found is None:
        raise ConnectorNotFound(name=name)
    return found
