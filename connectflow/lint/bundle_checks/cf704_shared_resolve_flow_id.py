from connectflow.lint.bundle import related
from connectflow.lint.finding import BundleIssue
from connectflow.lint.registry import bundle_rule


@bundle_rule("CF704", "shared-resolve-flow-id", "error")
def check(bundle):
    """Two flows of the set give their Resolve Conversation node the same flow id.

    A Resolve Conversation node needs "the Flow ID of the current flow": every flow has
    its own id, so two flows carrying the same one means at least one carries another
    flow's id (typically a copy made for a second asset kept the first flow's id).
    Reported on every later flow with the same id, the first one as related location.
    Set each flow's own id (the tenant profile's ``[flow_ids]``, by file stem).
    """
    first_seen: dict[str, tuple] = {}
    for flow in bundle.flows:
        for value in flow.flow_ids:
            if value.value in first_seen and first_seen[value.value][0] != flow.path:
                owner, where = first_seen[value.value]
                yield BundleIssue(value.at, f"Resolve Conversation flow id {value.value} is also used by {owner}",
                                  fix="set this flow's own id (profile [flow_ids], by file stem)",
                                  related=(related(where, f"flow id {value.value} here too"),))
            first_seen.setdefault(value.value, (flow.path, value.at))
