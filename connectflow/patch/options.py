"""Command-line values (``NAME=VALUE``, ``KEY=ID[:NAME]``, ...) into :class:`Settings`."""

from __future__ import annotations

from connectflow.patch.request import Auth, Settings


class OptionError(ValueError):
    """A malformed option; ``str()`` is one line naming the option."""


def _pair(option: str, item: str, form: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise OptionError(f"{option} {item!r}: expected {form}")
    return name.strip(), value


def split_assignment(item: str) -> tuple[str, str] | None:
    """``TARGET=JSON`` split at the first ``=`` outside brackets and quotes (JSONPath filters use ``==``)."""
    depth, quote = 0, ""
    for i, char in enumerate(item):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "=" and depth == 0:
            return item[:i], item[i + 1:]
    return None


def parse_settings(*, asset_id=(), fb_page_id=None, wa_number=None, live_chat_domain=None, biz_email=None,
                   app_id=None, set_var=(), auth=(), queue=None, flow_id=None, set_=(), **catalogue) -> Settings:
    """``catalogue``: the catalogue_value entries' options (settings.toml), by option key."""
    bare = [a for a in asset_id if "=" not in a]
    if len(bare) > 1:
        raise OptionError(f"--asset-id given {len(bare)} times without OLD=NEW; give one id, or OLD=NEW pairs")
    for item in asset_id:
        if "=" in item:
            old, new = _pair("--asset-id", item, "ID or OLD=NEW")
            if not new.strip():
                raise OptionError(f"--asset-id {item!r}: the new id is empty")
        elif not item.strip():
            raise OptionError("--asset-id: the id is empty")
    channel = tuple((key, value) for key, value in (
        ("fb_page_id", fb_page_id), ("wa_number", wa_number), ("live_chat_domain", live_chat_domain),
        ("biz_email", biz_email), ("app_id", app_id)) if value is not None)
    auths = []
    for item in auth:
        key, rest = _pair("--auth", item, "INTEGRATION=AUTH_ID[:NAME]")
        auth_id, _, name = rest.partition(":")
        if not auth_id.strip():
            raise OptionError(f"--auth {item!r}: expected INTEGRATION=AUTH_ID[:NAME]")
        if any(a.key.lower() == key.lower() for a in auths):
            raise OptionError(f"--auth {key} is given twice")
        auths.append(Auth(key, auth_id.strip(), name.strip() or None))
    sets = []
    for item in set_:
        parts = split_assignment(item)
        if parts is None or not parts[0].strip() or not parts[0].startswith(("/", "$")):
            raise OptionError(f"--set {item!r}: expected POINTER=JSON (a JSON pointer '/...' or a JSONPath '$...')")
        sets.append((parts[0].strip(), parts[1]))
    return Settings(
        asset_ids=tuple(a.strip() for a in asset_id), channel=channel,
        set_vars=tuple(_pair("--set-var", item, "NAME=VALUE") for item in set_var),
        auth=tuple(auths), queue=queue, flow_id=flow_id, sets=tuple(sets),
        catalogue=tuple((key, value) for key, value in catalogue.items() if value is not None),
    )
