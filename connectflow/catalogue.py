"""The catalogue of template sample values (data in catalogue.toml, loaded once)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def catalogue() -> dict[str, Any]:
    return tomllib.loads(resources.files("connectflow").joinpath("catalogue.toml").read_text(encoding="utf-8"))


def placeholder_destinations() -> frozenset[str]:
    return frozenset(catalogue()["placeholder_destinations"])


def destination_variables() -> frozenset[str]:
    return frozenset(catalogue()["destination_variables"])


def is_destination_variable(name: str) -> bool:
    return name in destination_variables() or name.lower().endswith(".destination")


def asset_channel(variable: str = "", trigger_channel: str = "") -> str | None:
    """The profile asset channel (``sms``, ``livechat``, ...) a destination belongs to: from the
    condition variable's namespace (``inappmessaging.appId``), else from the flow's trigger
    channel (``start_node_info.channel``); None when neither tells (webhook, WxCC events)."""
    table = catalogue()["asset_channels"]
    namespace = variable.split(".", 1)[0] if "." in variable else ""
    return table["namespace"].get(namespace) or table["trigger"].get(str(trigger_channel))
