"""The tenant profile: the target tenant's values, in one place.

Lint reads it to judge a flow, patch reads it to write one. It lives in
``connectflow.toml`` (or ``[tool.connectflow]`` in ``pyproject.toml``), found by
walking up from the flow, or is named with ``--profile``. Example::

    [assets]                      # destination ids per channel (webex.destination)
    sms = ["447700900123"]        # service numbers
    livechat = ["LC40211337"]     # Live Chat App IDs
    email = ["a_638900000000000001"]
    messenger = ["a_638900000000000002"]
    whatsapp = ["a_638900000000000003"]
    # or, per asset with its own values (docs/profile.md; keys per channel: ASSET_FIELDS):
    # [[assets.livechat]]
    # name = "web"                # per-asset copies are named <flow>--web.json
    # app_id = "LC40211337"
    # domain = "support.example.com"
    # webcallback = true          # served by Live Chat with WebCallback + WebCallback CLOSED

    [channel]
    fb_page_id = "104857600000001"
    wa_number = "14155550123"
    live_chat_domain = "support.example.com"
    biz_email = "support@example.com"
    sms_sender = "447700900123"   # where a template's SMS number is (default: the one sms asset)
    form_template_id = "K3T9QW2ZLM"      # Live Chat form template (Assets > Templates)
    form_template_name = "Support Form"
    apple_business_id = "0c9a1f3e-5d7b-4e2a-9f61-3b8c2d4e5a70"  # Apple Messages for Business id

    [screen_pop_urls]             # Screen Pop URL, by flow file stem or "default"
    default = "crm.example.com/customer"

    [variables]                   # custom variables: for every flow, or by flow-stem glob
    domain = "finesse.example.com"
    "sms-*" = { ScriptSelector = "Billing" }

    [ecc]
    import = "ecc-variables.xml"  # CCE expandedcallvariable list (XML or JSON)
    variables = [{ name = "user_CustomerTier", max_length = 20 }]

    [authorizations]              # integration id, node label, group id or "default"
    "50020" = { id = 4711, name = "Example Task Node Auth" }

    [queues]                      # flow file stem or "default"
    default = "6fe228c8-0000-4000-8000-000000000001"

    [flow_ids]                    # Resolve Conversation flow id, by flow file stem
    "sms-inbound" = 41896

    [lint]
    select = ["CF"]
    ignore = ["CF403"]
    severity = { CF404 = "info" }
    automation_id = "connectflow/acme-prod/"  # SARIF category for this tenant

    [[lint.suppress]]             # accept a known finding; reason is required
    rule = "CF402"
    file = "cce/*.json"
    node = "17"                   # and/or pointer = "/cells/5/value/..."
    reason = "kept for the Q3 fallback"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from connectflow.escape import visible

# Finding a profile and the plain names need no validation: they live where lint imports
# them without pydantic (a lint without a profile never reads one).
from connectflow.profile_lookup import (  # noqa: F401  (re-exported)
    CHANNELS, ECC_MAX_BYTES, PROFILE_FILE, ProfileError, _declares_profile, _read_toml, _tool_table, find_profile,
    flow_stem, normalize_ecc_name, profile_resolver, untrusted,
)


class _Strict(BaseModel):
    # Validators are built when a profile is first read, not on import: most lint runs have none.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# Which values an asset of each channel may carry (the rich form of [assets]); the first
# key present is its destination id (what a webhook's destination condition compares).
ASSET_FIELDS = {
    "sms": ("number", "sender_id"),
    "livechat": ("app_id", "domain"),
    "email": ("app_id", "email"),
    "messenger": ("app_id", "page_id"),
    "whatsapp": ("app_id", "number"),
    "apple": ("app_id",),
}
ID_FIELD = {"sms": "number"}
# [channel] keys (the tenant settings' names, patch's channel options) -> the asset value that
# overrides them for that asset's flows.
ASSET_SETTING = {
    "live_chat_domain": ("livechat", "domain"),
    "fb_page_id": ("messenger", "page_id"),
    "wa_number": ("whatsapp", "number"),
    "biz_email": ("email", "email"),
}


class Asset(_Strict):
    """One tenant asset with the values that belong to it (docs/profile.md)."""

    channel: str
    id: str                       # the destination id: App ID, or the SMS service number
    name: str | None = None       # names the per-asset copies: <flow>--<name>.json
    app_id: str | None = None
    domain: str | None = None     # Live Chat website domain (liveChatDomain)
    page_id: str | None = None    # Facebook Page ID (FBpageid)
    number: str | None = None     # SMS service number, WhatsApp number (WANumber)
    email: str | None = None      # Email asset address (bizemailid)
    sender_id: str | None = None  # SMS sender id
    webcallback: bool = False     # Live Chat served by the WebCallback flows

    @property
    def label(self) -> str:
        return self.name or self.id

    def ids(self) -> set[str]:
        """Every value that names this asset in a flow (destination, appid, number, address)."""
        return {v for v in (self.id, self.app_id, self.number, self.email, self.page_id) if v}


def _asset(channel: str, item: Any, where: str) -> Asset:
    if not isinstance(item, dict):
        return Asset(channel=channel, id=_text(item))
    allowed = (*ASSET_FIELDS[channel], "name", *(("webcallback",) if channel == "livechat" else ()))
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} for a {channel} asset (keys: {', '.join(allowed)})")
    values = {k: (v if k == "webcallback" else _text(v)) for k, v in item.items()}
    id_key = ID_FIELD.get(channel, "app_id")
    if not values.get(id_key):
        raise ValueError(f"{where}: a {channel} asset needs {id_key}")
    return Asset(channel=channel, id=values[id_key], **values)


class Assets(_Strict):
    """Destination ids per channel (``sms = ["447700900123"]``), or assets with their values
    (``[[assets.livechat]] app_id = ... domain = ...``); the id lists are kept for both forms."""

    sms: list[str] = Field(default_factory=list)
    livechat: list[str] = Field(default_factory=list)
    email: list[str] = Field(default_factory=list)
    messenger: list[str] = Field(default_factory=list)
    whatsapp: list[str] = Field(default_factory=list)
    apple: list[str] = Field(default_factory=list)
    records: list[Asset] = Field(default_factory=list, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _rich_form(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "records" in data:
            raise ValueError("unknown channel 'records'")
        out: dict[str, Any] = {}
        records = []
        for channel, items in data.items():
            if channel not in CHANNELS or not isinstance(items, list):
                out[channel] = items  # pydantic reports it
                continue
            found = [_asset(channel, item, f"{channel}[{i}]") for i, item in enumerate(items)]
            records.extend(found)
            out[channel] = [a.id for a in found]
        out["records"] = records
        return out

    def all(self) -> set[str]:
        return {asset for channel in CHANNELS for asset in getattr(self, channel)}

    def entries(self, channel: str | None = None) -> list[Asset]:
        """The assets (of ``channel``), in profile order, each with its values."""
        return [a for a in self.records if channel is None or a.channel == channel]

    def owning(self, value: str) -> Asset | None:
        """The asset one of whose values is ``value``."""
        return next((a for a in self.records if value in a.ids()), None)


class Channel(_Strict):
    fb_page_id: str | None = None
    wa_number: str | None = None
    live_chat_domain: str | None = None
    biz_email: str | None = None
    sms_sender: str | None = None
    form_template_id: str | None = None
    form_template_name: str | None = None
    apple_business_id: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)


class EccVariable(_Strict):
    name: str
    max_length: int = Field(default=ECC_MAX_BYTES, ge=1, le=ECC_MAX_BYTES)


class Ecc(_Strict):
    import_: str | None = Field(default=None, alias="import")
    variables: list[EccVariable] = Field(default_factory=list)


class Authorization(_Strict):
    id: int | str
    name: str | None = None


class Suppression(_Strict):
    """``[[lint.suppress]]``: accept one known finding (JSON has no comments for a noqa)."""

    rule: str
    file: str = "*"  # glob, against the path relative to the profile's folder
    node: str | None = None  # cell id
    pointer: str | None = None  # JSON pointer, or its stable form from the baseline
    reason: str = Field(min_length=1)

    @field_validator("node", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return _text(value)


class LintSettings(_Strict):
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    suppress: list[Suppression] = Field(default_factory=list)
    automation_id: str | None = None  # SARIF runAutomationDetails.id: one code-scanning category per tenant


class Profile(_Strict):
    assets: Assets = Field(default_factory=Assets)
    channel: Channel = Field(default_factory=Channel)
    ecc: Ecc = Field(default_factory=Ecc)
    authorizations: dict[str, Authorization] = Field(default_factory=dict)
    queues: dict[str, str] = Field(default_factory=dict)
    flow_ids: dict[str, int | str] = Field(default_factory=dict)
    screen_pop_urls: dict[str, str] = Field(default_factory=dict)
    variables: dict[str, str | int | float | bool | dict[str, str | int | float | bool]] = Field(default_factory=dict)
    lint: LintSettings = Field(default_factory=LintSettings)
    path: str | None = Field(default=None, exclude=True)

    # -- derived lookups -------------------------------------------------------
    def channel_values(self, key: str) -> set[str]:
        """The values a ``[channel]`` setting may hold in some flow: its own and every asset's."""
        found = {getattr(self.channel, key, None)}
        if key in ASSET_SETTING:
            channel, field = ASSET_SETTING[key]
            found |= {getattr(a, field) for a in self.assets.entries(channel)}
        return {v for v in found if v not in (None, "")}

    def asset_settings(self, asset: "Asset") -> dict[str, str]:
        """The channel settings (patch options) an asset's own values give: app_id, live_chat_domain, ..."""
        given = {key: getattr(asset, field) for key, (channel, field) in ASSET_SETTING.items()
                 if channel == asset.channel and getattr(asset, field)}
        if asset.channel != "sms":
            given["app_id"] = asset.app_id or asset.id
        return given

    def ecc_variables(self) -> dict[str, int]:
        """ECC names (payload form, ``user_...``) and their maximum byte length."""
        return {normalize_ecc_name(v.name): v.max_length for v in self.ecc.variables}

    def authorization_for(self, *keys: Any) -> Authorization | None:
        """The first authorization whose key matches one of ``keys`` (in order), else "default"."""
        from connectflow.settings import node_value, setting

        return node_value(setting("authorization"), self, keys)

    def for_flow(self, table: dict[str, Any], flow_path: str | None) -> Any:
        stem = flow_stem(flow_path) if flow_path else None
        if stem is not None and stem in table:
            return table[stem]
        return table.get("default")


def parse_profile(data: dict[str, Any], path: str) -> Profile:
    from connectflow.init import todo_keys
    from connectflow.profile_check import check_values, describe

    todo = todo_keys(data)
    if todo:
        more = f" (and {len(todo) - 1} more)" if len(todo) > 1 else ""
        raise ProfileError(f"{path}: {todo[0]}: still TODO: fill in the tenant's value{more}")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as err:
        raise ProfileError(describe(err, Profile, path)) from None
    problem = check_values(profile, path)  # a value lint would refuse in a flow
    if problem:
        raise ProfileError(problem)
    profile.path = path
    for key, (channel, field) in ASSET_SETTING.items():  # one asset's own value is the channel's value
        own = {getattr(a, field) for a in profile.assets.entries(channel)} - {None}
        if getattr(profile.channel, key) is None and len(own) == 1:
            setattr(profile.channel, key, own.pop())
    if profile.ecc.import_:
        imported = load_ecc_list(ecc_import_path(path, profile.ecc.import_))
        known = {normalize_ecc_name(v.name) for v in profile.ecc.variables}
        profile.ecc.variables.extend(v for v in imported if normalize_ecc_name(v.name) not in known)
    return profile


def ecc_import_path(profile_path: str | Path, name: str) -> Path:
    """``[ecc] import`` resolved against the profile's folder and kept inside it: a profile
    (perhaps found, not chosen) must not read files from elsewhere on the machine."""
    base = Path(profile_path).resolve().parent
    target = (base / name).resolve()
    if Path(name).is_absolute() or (target != base and base not in target.parents):
        raise ProfileError(f"{profile_path}: key 'ecc.import': {visible(name)!r} is outside the profile's folder "
                           f"{base}; keep the ECC list next to the profile")
    return target


def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    data = _read_toml(path, "profile")
    if path.name == "pyproject.toml":
        data = _tool_table(path, data)
        if data is None:
            raise ProfileError(f"{path}: has no [tool.connectflow] table")
        if not isinstance(data, dict):
            raise ProfileError(f"{path}: key 'tool.connectflow': is not a table")
    return parse_profile(data, str(path))


def load_ecc_list(path: str | Path) -> list[EccVariable]:
    """Read CCE's expanded-call-variable list (``unifiedconfig/config/expandedcallvariable``).

    XML (``<results><expandedCallVariables><expandedCallVariable><name>``...) or the
    same as JSON. Disabled variables are left out: CCE does not pass them.
    """
    from connectflow.load.reader import ReadError, read_text

    path = Path(path)
    try:
        text = read_text(path)
    except ReadError as err:
        raise ProfileError(f"{path}: cannot read ECC list: {err}") from None
    records = _ecc_records_json(path, text) if text.lstrip().startswith(("{", "[")) else _ecc_records_xml(path, text)
    variables = []
    for record in records:
        name = str(record.get("name") or "").strip()
        if not name or str(record.get("enabled", "true")).lower() == "false":
            continue
        length = record.get("maximumLength") or ECC_MAX_BYTES
        try:
            if isinstance(length, bool) or not isinstance(length, (int, str)):
                raise ValueError
            length = int(str(length).strip())
        except ValueError:
            raise ProfileError(f"{path}: ECC variable {visible(name)}: maximumLength is not a whole number") from None
        variables.append(EccVariable(name=name, max_length=max(1, min(length, ECC_MAX_BYTES))))
    return variables


def _ecc_records_xml(path: Path, text: str) -> list[dict[str, str]]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(text, forbid_dtd=True)
    except ParseError as err:
        raise ProfileError(f"{path}: invalid ECC list XML: {visible(err)}") from None
    except DefusedXmlException as err:
        raise ProfileError(f"{path}: ECC list XML refused: {type(err).__name__} (no DTDs or entities)") from None
    except RecursionError:
        raise ProfileError(f"{path}: invalid ECC list XML: nested too deeply") from None
    items = [root] if root.tag == "expandedCallVariable" else root.iter("expandedCallVariable")
    return [{field.tag: (field.text or "").strip() for field in item} for item in items]


def _ecc_records_json(path: Path, text: str) -> list[dict[str, Any]]:
    from connectflow.load.decode import loads

    try:
        data = loads(text)
    except ValueError as err:
        raise ProfileError(f"{path}: invalid ECC list JSON: {visible(err)}") from None
    if isinstance(data, dict):
        data = data.get("expandedCallVariables", data.get("results", data))
        if isinstance(data, dict):
            data = data.get("expandedCallVariable", data.get("expandedCallVariables", []))
    if not isinstance(data, list):
        raise ProfileError(f"{path}: ECC list JSON holds no list of variables")
    return [item for item in data if isinstance(item, dict)]
