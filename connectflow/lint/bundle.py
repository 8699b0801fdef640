"""Cross-flow checks: what one flow tells about the tenant's set, and the pass over the set.

Per-flow linting extracts :class:`FlowFacts` from each flow (small, picklable, with
line:column already resolved), so the set's checks never hold the flows themselves and
run as a separate pass after the per-flow rules, whichever way those ran. Bundle rules
(``@bundle_rule``, modules under ``bundle_checks/``) see a :class:`Bundle`: the facts of
every flow that shares one tenant profile, and that profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from connectflow.lint.finding import BundleIssue, Finding, Location

if TYPE_CHECKING:
    from connectflow.lint.context import Context
    from connectflow.lint.registry import Rule
    from connectflow.profile import Profile

CCE_EVENTS = ("CREATED", "QUEUED", "ROUTED", "CLOSED", "TRANSFERRED")
CCE_CHANNELS = ("sms", "livechat", "email")  # the webhook's destination: Cisco's README, "per media channel"
# Custom variables whose value names the flow's own asset (inbound flows), per channel.
IDENTITY_VARIABLES = ("appid", "appId", "bizemailid", "WANumber", "FBpageid")
CHANNEL_NAMES = {"sms": "SMS", "livechat": "Live Chat", "email": "Email", "messenger": "Messenger",
                 "whatsapp": "WhatsApp", "apple": "Apple Messages"}


@dataclass(frozen=True)
class Value:
    """A value of a flow and where it sits."""

    value: str
    at: Location


@dataclass(frozen=True)
class FlowFacts:
    """What the cross-flow checks need to know about one flow."""

    path: str
    trigger: Location                      # the Start node (or start_node_info)
    trigger_key: str | None = None         # "webhook:CLOSED", "inbound:15:9"; None: no trigger
    trigger_label: str = ""
    channel: str | None = None             # the profile asset channel of an inbound flow
    destinations: tuple[Value, ...] | None = None  # equals-conditions on a destination; None: no such condition
    identity: tuple[Value, ...] = ()       # values naming the inbound flow's own asset (appid, number, ...)
    webcallback: bool = False              # Live Chat with WebCallback (places a Web Callback task)
    webcallback_closed: bool = False       # the WebCallback CLOSED handler
    flow_ids: tuple[Value, ...] = ()       # Resolve Conversation flow ids
    ecc: tuple[Value, ...] = ()            # ECC names passed to CCE ("name|type" in value)

    @property
    def cce_event(self) -> str | None:
        event = self.trigger_key.split(":", 1)[1] if self.trigger_key and self.trigger_key.startswith("webhook:") else ""
        return event if event in CCE_EVENTS else None

    def serves(self, ids: Iterable[str]) -> bool:
        """Whether the trigger fires for one of ``ids`` (a flow without a destination condition fires for all)."""
        if self.destinations is None:
            return True
        wanted = {i.lower() for i in ids}
        return any(d.value.lower() in wanted for d in self.destinations)

    def is_for(self, ids: Iterable[str]) -> bool:
        """Whether an inbound flow belongs to one of ``ids`` by its own asset values."""
        wanted = {i.lower() for i in ids}
        return any(v.value.lower() in wanted for v in self.identity)


@dataclass
class Bundle:
    """The set of flows one tenant profile applies to (what a bundle rule sees)."""

    flows: list[FlowFacts]
    profile: "Profile | None" = None

    def by_trigger(self) -> dict[str, list[FlowFacts]]:
        groups: dict[str, list[FlowFacts]] = {}
        for facts in self.flows:
            if facts.trigger_key:
                groups.setdefault(facts.trigger_key, []).append(facts)
        return groups


class Index:
    """Flows by the values they fire for (destination conditions, or an inbound flow's own asset
    values), so that the set's checks look up the flows of one asset instead of comparing every
    pair: linear in the number of flows. A flow that fires for every value is a wildcard."""

    def __init__(self, flows: Iterable[FlowFacts] = (), keys=None):
        self.keys = keys or fired_for
        self.by_value: dict[str, list[FlowFacts]] = {}
        self.wildcards: list[FlowFacts] = []
        self.flows: list[FlowFacts] = []
        self.order: dict[int, int] = {}
        for facts in flows:
            self.add(facts)

    def add(self, facts: FlowFacts) -> None:
        values = self.keys(facts)
        self.order[id(facts)] = len(self.flows)
        self.flows.append(facts)
        if values is None:
            self.wildcards.append(facts)
        for value in values or ():
            self.by_value.setdefault(value, []).append(facts)

    def matching(self, values: Iterable[str] | None) -> list[FlowFacts]:
        """The flows that may fire for one of ``values`` (None: for anything), in the order added."""
        if values is None:
            return list(self.flows)
        found = {id(f): f for v in values for f in self.by_value.get(v.lower(), ())}
        found.update((id(f), f) for f in self.wildcards)
        return sorted(found.values(), key=lambda f: self.order[id(f)])


def fired_for(facts: FlowFacts) -> set[str] | None:
    """What a flow's trigger fires for, lower-cased: its own asset values (inbound), else its
    destination conditions; None when it fires for every destination."""
    if facts.identity:
        return {v.value.lower() for v in facts.identity}
    if facts.destinations is None:
        return None
    return {d.value.lower() for d in facts.destinations}


def _where(ctx: "Context", pointer: str, node=None, message: str = "") -> Location:
    from connectflow.lint.fingerprint import stable_pointer

    line, column = ctx.source.locate(pointer) or (None, None)
    return Location(ctx.source.path, pointer, message, node.id if node else None, node.title if node else None,
                    line, column, stable_pointer(ctx.document, pointer))


def facts_of(ctx: "Context") -> FlowFacts:
    """The facts of one linted flow (built from the Context the per-flow rules used)."""
    from connectflow.catalogue import is_destination_variable
    from connectflow.copies import RESOLVE_CONVERSATION, nodes_of_kind, setting_copies
    from connectflow.lint.checks._task_variables import ECC, task_variables
    from connectflow.model import as_text
    from connectflow.patch.channels import flow_channels

    flow, start = ctx.flow, ctx.flow.start
    trigger = flow.trigger
    where = _where(ctx, start.pointer if start else (trigger.pointer if trigger else ""), start)
    if trigger is None:
        return FlowFacts(ctx.source.path, where)
    if trigger.subtype == "webhook" or trigger.channel == "14":
        key, label = f"webhook:{trigger.event_name.upper() or trigger.event_id}", f"{trigger.event_name} webhook"
    else:
        key = f"{'event' if trigger.is_event_flow else 'inbound'}:{trigger.channel}:{trigger.event_id}"
        label = f"channel {trigger.channel} event {trigger.event_name or trigger.event_id}"
    channels = flow_channels(flow) if key.startswith("inbound:") else set()
    channel = channels.pop() if len(channels) == 1 else None
    if channel:
        label = f"{CHANNEL_NAMES[channel]} {trigger.event_name or trigger.event_id}"
    conditions = [c for c in trigger.effective_conditions if is_destination_variable(c.variable)]
    destinations = tuple(Value(as_text(c.value), _where(ctx, c.value_pointer, start))
                         for c in conditions if c.operator == "equals") if conditions else None
    inbound = key.startswith("inbound:")
    identity = [Value(as_text(v.value), _where(ctx, v.value_pointer)) for name in IDENTITY_VARIABLES
                if inbound and (v := flow.variable(name)) is not None and as_text(v.value)]
    number = trigger.raw.get("extras", {}).get("number") if isinstance(trigger.raw.get("extras"), dict) else None
    if inbound and number not in (None, ""):
        identity.append(Value(as_text(number), _where(ctx, f"{trigger.pointer}/extras/number")))
    webcallback = any(as_text(c.value).strip().lower() == "web callback"
                      for node in flow.nodes_of("prebuiltnode") for c in setting_copies(node, "mediaType"))
    companion_markers = ("IsWebCallbackRequested", "WebCallbackMessage")
    flow_ids = []
    for node in nodes_of_kind(flow, RESOLVE_CONVERSATION):
        found = setting_copies(node, "flowId")
        if found and as_text(found[0].value).strip():
            flow_ids.append(Value(as_text(found[0].value).strip(), _where(ctx, found[0].pointer, node)))
    ecc, seen = [], set()
    for variable in task_variables(flow, ECC):
        if variable.name not in seen:
            seen.add(variable.name)
            ecc.append(Value(variable.name, _where(ctx, variable.key_pointer, variable.node)))
    return FlowFacts(
        ctx.source.path, where, key, label, channel, destinations, tuple(identity),
        webcallback=webcallback and key.startswith("inbound:"),
        webcallback_closed=key == "webhook:CLOSED" and any(flow.variable(n) for n in companion_markers),
        flow_ids=tuple(flow_ids), ecc=tuple(ecc))


def groups(facts: list[FlowFacts], profile_for) -> list[Bundle]:
    """The flows split by tenant: flows sharing one profile (or none) form one bundle."""
    bundles: dict[int, Bundle] = {}
    for item in facts:
        profile = profile_for(item.path)
        if id(profile) not in bundles:
            bundles[id(profile)] = Bundle([], profile)
        bundles[id(profile)].flows.append(item)
    return list(bundles.values())


def lint_bundle(bundle: Bundle, rules: list["Rule"], selection) -> list[Finding]:
    """Every finding of the bundle ``rules`` on one set of flows."""
    findings = []
    for rule in rules:
        if rule.scope != "bundle":
            continue
        severity = selection.severity_of(rule)
        for issue in rule.check(bundle):
            findings.append(_finding(rule, severity, issue))
    # Ties on the location (two findings on one asset or Start node) in a fixed order, not the set's.
    return sorted(set(findings), key=lambda f: (*f.sort_key, f.message, tuple(r.path for r in f.related)))


def _finding(rule: "Rule", severity, issue: BundleIssue) -> Finding:
    at = issue.at
    return Finding(rule=rule.id, name=rule.name, severity=severity, message=issue.message, path=at.path,
                   pointer=at.pointer, node_id=at.node_id, node_label=at.node_label, fix=issue.fix,
                   line=at.line, column=at.column, stable_pointer=at.stable_pointer, related=tuple(issue.related))


def related(location: Location, message: str) -> Location:
    return Location(location.path, location.pointer, message, location.node_id, location.node_label,
                    location.line, location.column, location.stable_pointer)


def asset_label(channel: str, asset_id: str, name: str | None = None) -> str:
    shown = f"{name} ({asset_id})" if name and name != asset_id else asset_id
    return f"{CHANNEL_NAMES.get(channel, channel)} asset {shown}"
