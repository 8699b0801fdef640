from connectflow.lint.bundle import related
from connectflow.lint.finding import BundleIssue
from connectflow.lint.registry import bundle_rule

FIX = ("give each flow its own destination condition (the asset's App ID or number), or keep one of the flows; "
       "connectflow patch --per-asset writes one flow per asset")


def _overlap(first, second):
    """(what both flows fire for, where in ``second``, where in ``first``), or None when they cannot both fire."""
    shared = None
    if first.identity and second.identity:
        theirs = {v.value.lower() for v in first.identity}
        shared = next((v for v in second.identity if v.value.lower() in theirs), None)
        if shared is None:
            return None  # inbound flows of two different assets
    if shared is not None and first.destinations is None and second.destinations is None:
        there = next(v for v in first.identity if v.value.lower() == shared.value.lower())
        return f"asset {shared.value}", shared.at, there.at
    if first.destinations is None or second.destinations is None:
        if first.destinations is None and second.destinations is None:
            return "every destination", second.trigger, first.trigger
        lone = "this flow" if second.destinations is None else first.path
        return f"every destination ({lone} has no destination condition)", second.trigger, first.trigger
    theirs = {d.value.lower(): d for d in first.destinations}
    for mine in second.destinations:
        if mine.value.lower() in theirs:
            return f"destination {mine.value}", mine.at, theirs[mine.value.lower()].at
    return None


@bundle_rule("CF701", "double-trigger", "error")
def check(bundle):
    """Two flows of the set can be started by the same event for the same destination.

    Cisco's README: conditional execution "is absolutely necessary when dealing with more
    than one asset, to ensure the same CCE webhook event does not trigger more than one
    flow". Two flows overlap when they have the same trigger (the same CCE webhook event,
    or the same channel and inbound event) and their start conditions can both match: the
    same destination in both, or a flow with no destination condition beside any other.
    Inbound flows whose own asset values (``appid``, the SMS number, ...) differ do not
    overlap. Reported on the later flow, once per place in it, against the earliest flow it
    overlaps there (the related location), with the number of other earlier flows it
    overlaps there too: a set of many copies of one flow gets a finding per copy, not one per
    pair. Give each flow the destination condition of its own asset, or keep one of them.
    """
    from connectflow.lint.bundle import Index, fired_for

    for flows in bundle.by_trigger().values():
        seen = Index()
        for second in flows:
            overlaps: dict[tuple, list] = {}  # (what, where in second) -> [(first, where in it), ...]
            for first in seen.matching(fired_for(second)):
                found = _overlap(first, second)
                if found is not None:
                    what, here, there = found
                    overlaps.setdefault((what, here), []).append((first, there))
            for (what, here), earlier in overlaps.items():
                (first, there), others = earlier[0], len(earlier) - 1
                more = f" and {others} more flow{'s' if others > 1 else ''} of the set" if others else ""
                yield BundleIssue(
                    here, f"{second.trigger_label} for {what} also starts {first.path}{more}", fix=FIX,
                    related=(related(there, f"the same {first.trigger_label} starts this flow too"),))
            seen.add(second)
