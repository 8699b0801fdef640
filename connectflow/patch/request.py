"""What ``connectflow patch`` is asked to write (``Settings``, ``Auth``) and what it plans (``Patch``).

Apart from ``plan`` (which imports the model and every setting's locator) so that the command
reads its options, and a large flow, before the planning code is loaded: loaded after the flow,
the modules are not counted in the peak of the flow's parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectflow.settings import Setting, by_locator, by_option


@dataclass(frozen=True)
class Patch:
    pointer: str  # logical JSON pointer (goes through JSON stored in strings)
    old: Any      # decoded value before
    new: Any      # decoded value after
    reason: str
    node_id: str | None = None
    fixes: tuple[str, ...] = ()  # rule ids whose findings on this node the patch is meant to clear
    setting: str = ""            # the settings.toml entry that asked for it ("" for --set)


@dataclass(frozen=True)
class Auth:
    key: str  # integration id, group id, node label, method name, or "default"
    id: str
    name: str | None = None


@dataclass(frozen=True)
class Settings:
    """What the command line asks for (``None``/empty: not given)."""

    asset_ids: tuple[str, ...] = ()                 # "ID" or "OLD=NEW"
    channel: tuple[tuple[str, str], ...] = ()       # (CHANNEL_VARIABLES key, value)
    set_vars: tuple[tuple[str, str], ...] = ()
    auth: tuple[Auth, ...] = ()
    queue: str | None = None
    flow_id: str | None = None
    sets: tuple[tuple[str, str], ...] = ()          # (pointer or JSONPath, JSON text)
    catalogue: tuple[tuple[str, str], ...] = ()     # (catalogue_value entry's option key, value): --sms-sender, ...

    def requested(self) -> dict[str, str]:
        """Label -> option, for every setting that must apply to at least one flow."""
        wanted = {f"asset:{a.split('=', 1)[0] if '=' in a else ''}": f"--asset-id {a}" for a in self.asset_ids}
        wanted.update({f"{k}:": by_option(k).option for k, _ in self.channel})
        wanted.update({f"authorization:{a.key}": f"--auth {a.key}=..." for a in self.auth})
        wanted.update({f"{entry.name}:": entry.option for entry in (*by_locator("node_setting"),
                                                                   *by_locator("catalogue_value"))
                       if self.node_setting(entry) is not None})
        return wanted

    def node_setting(self, entry: Setting) -> str | None:
        """The command line's value for a node_setting or catalogue_value entry (``--queue``, ...)."""
        if entry.locator == "catalogue_value":
            return dict(self.catalogue).get(entry.option_key)
        return getattr(self, entry.option_key)
