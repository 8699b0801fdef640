"""The tenant settings table (settings.toml) and the small interpreter over it.

One entry per setting says where its copies live (a locator named from
``copies``), which profile key holds the tenant's value and how one is picked,
which option overlays it, how a value is refused, and which rules judge it.
Lint, patch and the docs read the entries; nothing else spells a setting out.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

LOCATORS = ("condition", "custom_variable", "authorization", "node_setting", "catalogue_value")
SCOPES = ("", "flow", "node", "channel")


@dataclass(frozen=True)
class Setting:
    name: str
    what: str
    locator: str
    profile: str
    option: str
    check: str
    rules: tuple[str, ...]
    absent: str
    ui: str
    init: str
    scope: str = ""
    variables: tuple[str, ...] = ()
    channel: str = ""
    kinds: tuple[str, ...] = ()
    node: tuple[str, str] | None = None  # (integration id, label or method, lower case), as copies.is_kind takes
    key: str = ""
    metavar: str = "VALUE"
    fallback: str = ""  # a profile list whose one value stands in when `profile` is unset

    @property
    def option_key(self) -> str:
        """The keyword the command line's value travels under (``--fb-page-id`` -> ``fb_page_id``)."""
        return self.option.lstrip("-").replace("-", "_")


def _entry(name: str, data: dict[str, Any]) -> Setting:
    data = dict(data)
    node = data.pop("node", None)
    for listed in ("rules", "variables", "kinds"):
        data[listed] = tuple(data.get(listed, ()))
    setting = Setting(name=name, node=(node["integration"], node["title"]) if node else None, **data)
    if setting.locator not in LOCATORS or setting.scope not in SCOPES:
        raise ValueError(f"settings.toml [{name}]: unknown locator {setting.locator!r} or scope {setting.scope!r}")
    return setting


@cache
def table() -> tuple[Setting, ...]:
    # a plain file beside this module, not importlib.resources: the CLI reads the table at start-up
    # (its patch options) and importlib.resources costs more than the table itself
    from connectflow.parse_cache import parsed_file, toml

    data = parsed_file(os.path.join(os.path.dirname(__file__), "settings.toml"), toml)
    return tuple(_entry(name, entry) for name, entry in data.items())


def setting(name: str) -> Setting:
    return next(s for s in table() if s.name == name)


@cache  # CF230 asks for every finding
def by_locator(locator: str) -> tuple[Setting, ...]:
    return tuple(s for s in table() if s.locator == locator)


def by_option(option_key: str) -> Setting:
    return next(s for s in table() if s.option_key == option_key)


# -- profile values -------------------------------------------------------------------------------

def profile_key(profile, dotted: str) -> Any:
    """``channel.fb_page_id`` -> ``profile.channel.fb_page_id`` (None when unset or absent)."""
    value: Any = profile
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value


def flow_value(entry: Setting, profile, flow_path: str | None) -> Any:
    """The profile's value for a flow-scoped or unscoped entry (None: the profile has none)."""
    if profile is None:
        return None
    value = profile_key(profile, entry.profile)
    if entry.scope == "flow" and isinstance(value, dict):
        return profile.for_flow(value, flow_path)
    return value


def channel_values(entry: Setting, profile, channel: str | None) -> list[str]:
    """A channel-scoped entry's profile values for ``channel`` (every channel's when it cannot be
    told), sorted; [] when the profile has none."""
    assert entry.scope == "channel", entry.name
    held = profile_key(profile, entry.profile) if profile is not None else None
    if held is None:
        return []
    return sorted(getattr(held, channel) if channel else held.all())


def node_value(entry: Setting, profile, keys: tuple[Any, ...]) -> Any:
    """A node-scoped entry's profile value for a node with ``keys`` (integration id, label, method
    name, group id, in that order), else its "default" (None: the profile has none)."""
    assert entry.scope == "node", entry.name
    held = profile_key(profile, entry.profile) if profile is not None else None
    return by_node_keys(held.items(), keys) if held else None


def by_node_keys(pairs, keys: tuple[Any, ...]) -> Any:
    """The value of the first of ``keys``, then "default", among ``(key, value)`` pairs; keys
    compare case-insensitively (a node label is typed by hand), a later pair winning a tie."""
    lowered = {str(key).lower(): value for key, value in pairs}
    for key in (*keys, "default"):
        if key not in (None, "") and str(key).lower() in lowered:
            return lowered[str(key).lower()]
    return None


def flow_variables(profile, flow_path: str | None) -> dict[str, str]:
    """``[variables]`` for one flow: plain keys for every flow, then tables keyed by a flow-stem
    glob (``"sms-*" = { ScriptSelector = "..." }``), the later and more specific winning."""
    from connectflow.profile_lookup import flow_stem

    table_ = getattr(profile, "variables", None) or {} if profile is not None else {}
    stem = flow_stem(flow_path) if flow_path else None
    found = {name: value for name, value in table_.items() if not isinstance(value, dict)}
    for pattern, values in table_.items():
        if isinstance(values, dict) and stem is not None and fnmatch.fnmatchcase(stem, pattern):
            found.update(values)
    return {name: str(value) if not isinstance(value, str) else value for name, value in found.items()}


def check(entry: Setting, value: Any, name: str = "") -> None:
    """Refuse a value the entry's rules would refuse (raises ``values.ValueRefused``)."""
    from connectflow.patch import values

    if entry.check == "variable":
        values.check_variable(name, value)
    elif entry.check in ("word", "text"):  # a plain tenant value: judged by what it is
        getattr(values, f"check_{entry.check}")(value, entry.what)
    else:
        getattr(values, f"check_{entry.check}")(value)
