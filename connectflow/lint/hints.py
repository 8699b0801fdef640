"""Fix hints under a tenant profile: ``connectflow patch --profile FILE`` where the profile
supplies the value.

A rule names the exact option (``--fb-page-id PAGE_ID``, ``--auth 50021=AUTH_ID:NAME``);
that is the right advice without a profile. With one, the user already keeps the value in
the profile, and retyping it as an option is how a profile and a flow drift apart. Whether
the profile supplies a finding's value is patch's own answer: the plan of ``patch
--profile`` for this flow writes the finding's place (or is meant to clear its rule on its
node). A plan that fails (two assets for one template id, ...) supplies nothing, and the
exact option stays.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import replace

PATCH_COMMAND = re.compile(r"connectflow patch (?!--profile |--per-asset )\S.*$")


def profile_argument(path: str) -> str:
    """The profile's path as the user can type it here: relative to the working folder when
    inside it (a discovered profile is held absolute), quoted for the shell."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        relative = path
    shown = path if relative.startswith("..") else relative
    return shlex.quote(shown)


def _supplied(findings, flow, profile, path: str) -> set[int]:
    """Indexes of the findings whose value ``patch --profile`` writes on this flow."""
    from connectflow.patch.plan import PlanError, Settings, plan

    try:
        patches = plan(flow, Settings(), profile, path).patches
    except PlanError:
        return set()
    pointers = {p.pointer for p in patches}
    meant = {(p.node_id, rule) for p in patches for rule in p.fixes}
    return {i for i, f in enumerate(findings) if f.pointer in pointers or (f.node_id, f.rule) in meant}


def with_profile_hints(findings: list, flow, profile, path: str) -> list:
    """``findings`` with the patch hint of each one the profile supplies naming ``--profile``."""
    if profile is None or not profile.path:
        return findings
    hinted = [i for i, f in enumerate(findings) if f.fix and PATCH_COMMAND.search(f.fix)]
    if not hinted:
        return findings
    supplied = _supplied(findings, flow, profile, path)
    command = f"connectflow patch --profile {profile_argument(profile.path)}"
    return [replace(f, fix=PATCH_COMMAND.sub(lambda _m: command, f.fix)) if i in supplied and i in hinted else f
            for i, f in enumerate(findings)]
