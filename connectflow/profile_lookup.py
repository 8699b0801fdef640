"""Where the tenant profile is, and the plain names that go with it, without reading one.

Lint imports this on every run; ``connectflow.profile`` (the validated model, pydantic)
only when a flow has a profile. ``connectflow.profile`` re-exports these names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectflow.escape import visible

if TYPE_CHECKING:
    from connectflow.profile import Profile

PROFILE_FILE = "connectflow.toml"
CHANNELS = ("sms", "livechat", "email", "messenger", "whatsapp", "apple")
ECC_MAX_BYTES = 210
# The dotted keys of connectflow.profile.Profile, its fields and their fields (what a YAML
# rule's equals_profile may name); tests/test_profile.py checks they are the model's.
PROFILE_KEYS = frozenset({
    "assets", "assets.apple", "assets.email", "assets.livechat", "assets.messenger", "assets.records", "assets.sms",
    "assets.whatsapp", "authorizations", "channel", "channel.apple_business_id", "channel.biz_email",
    "channel.fb_page_id", "channel.form_template_id", "channel.form_template_name", "channel.live_chat_domain",
    "channel.sms_sender", "channel.wa_number", "ecc", "ecc.import_", "ecc.variables", "flow_ids", "lint",
    "lint.automation_id", "lint.ignore", "lint.select", "lint.severity", "lint.suppress", "queues",
    "screen_pop_urls", "variables",
})


class ProfileError(Exception):
    """A tenant profile that cannot be used; ``str()`` names the file and the key."""


def flow_stem(path: str) -> str:
    name = Path(path.split("!")[0]).name
    for suffix in (".workflow.zip", ".workflow", ".json", ".xml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def normalize_ecc_name(name: str) -> str:
    """CCE names ECC variables ``user.X``; Digital Routing payloads say ``user_X``."""
    return "user_" + name[5:] if name.startswith("user.") else name


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    import tomllib  # only when a profile is read: connectflow's own tables come from parse_cache

    from connectflow.load.reader import ReadError, read_text

    try:
        return tomllib.loads(read_text(path))
    except ReadError as err:
        problem = "no such profile file" if err.problem == "no such file" else f"cannot read {what}: {err}"
        raise ProfileError(f"{path}: {problem}") from None
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(f"{path}: invalid TOML: {visible(err)}") from None
    except RecursionError:
        raise ProfileError(f"{path}: invalid TOML: nested too deeply") from None


def _tool_table(path: Path, data: dict[str, Any]) -> Any:
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ProfileError(f"{path}: key 'tool': is not a table")
    return tool.get("connectflow")


def _declares_profile(pyproject: Path) -> bool:
    """A pyproject.toml counts only with a [tool.connectflow] table; a broken one is skipped."""
    try:
        return _tool_table(pyproject, _read_toml(pyproject, "pyproject.toml")) is not None
    except ProfileError:
        return False


def untrusted(candidate: Path, owner: int | None) -> str | None:
    """Why a *discovered* profile must not be used, like git's safe.directory: it belongs
    to someone other than you (or the owner of the flows), or sits in a folder anyone may
    write without the sticky bit. ``None``: it is safe."""
    import os
    import stat

    if not hasattr(os, "geteuid"):
        return None
    try:
        info, folder = candidate.stat(), candidate.parent.stat()
    except OSError as err:
        return f"cannot stat it ({err.strerror})"
    trusted = {os.geteuid(), owner} - {None}
    if info.st_uid not in trusted:
        return f"it is owned by uid {info.st_uid}, not by you or the owner of the flows"
    if folder.st_mode & stat.S_IWOTH and not folder.st_mode & stat.S_ISVTX:
        return f"{candidate.parent} is writable by anyone"
    return None


def find_profile(start: str | Path, warn=None) -> Path | None:
    """The nearest connectflow.toml, or pyproject.toml with [tool.connectflow], above ``start``.

    A candidate that fails :func:`untrusted` is skipped (``warn(message)`` is told why)."""
    here = Path(start).resolve()
    here = here if here.is_dir() else here.parent
    try:
        owner = here.stat().st_uid
    except OSError:
        owner = None
    for folder in (here, *here.parents):
        for candidate in (folder / PROFILE_FILE, folder / "pyproject.toml"):
            if not candidate.is_file() or (candidate.name == "pyproject.toml" and not _declares_profile(candidate)):
                continue
            reason = untrusted(candidate, owner)
            if reason is None:
                return candidate
            if warn is not None:
                warn(f"ignoring profile {visible(candidate)}: {reason} (name it with --profile to use it)")
    return None


def profile_resolver(explicit: str | None, warn=None):
    """``path -> Profile | None``: the ``--profile`` file for every flow, else the one
    found above each flow (loaded once per file). Raises ProfileError. ``warn(message)``
    hears about discovered profiles that were ignored as unsafe."""
    if explicit:
        from connectflow.profile import load_profile  # (the model: only when there is a profile to read)

        profile = load_profile(explicit)
        return lambda _path: profile
    cache: dict[Path, Profile] = {}
    warned: set[str] = set()

    def once(message: str) -> None:
        if warn is not None and message not in warned:
            warned.add(message)
            warn(message)

    def resolve(flow_path: str) -> Profile | None:
        found = find_profile(flow_path, once)
        if found is None:
            return None
        if found not in cache:
            from connectflow.profile import load_profile

            cache[found] = load_profile(found)
        return cache[found]

    resolve.used = cache  # which profiles were discovered and used

    return resolve
