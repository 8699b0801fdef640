"""What is wrong with a tenant profile, in the user's words: ``FILE: KEY: problem``.

Two passes. ``describe`` turns the first schema error into one line (an unknown key gets
"did you mean", never pydantic's wording or class names). ``check_values`` then judges
every tenant value with the checks patch and lint use for that setting (settings.toml
``check``): a value lint would refuse in a flow is refused where it is written.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

_KINDS = {"string_type": "a string", "list_type": "a list", "dict_type": "a table", "model_type": "a table",
          "int_type": "a whole number", "int_parsing": "a whole number", "bool_type": "true or false",
          "float_type": "a number", "int_from_float": "a whole number"}


def _type_name(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model whose keys the last part of ``loc`` is one of (for "did you mean")."""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(str(part)) or next(
                (f for f in model.model_fields.values() if f.alias == part), None)
            if field is None:
                return None
            model = field.annotation
            continue
        args = [a for a in typing.get_args(model) if a is not type(None)]
        model = args[-1] if args else None  # dict[str, X] / list[X]: the part is a key or an index
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items() if not f.exclude]


def describe(err: ValidationError, root: type[BaseModel], path: str) -> str:
    first = err.errors()[0]
    loc = tuple(first["loc"])
    key = ".".join(str(part) for part in loc) or "(top level)"
    kind = first["type"]
    if kind == "extra_forbidden":
        model = _model_at(root, loc)
        known = _keys(model) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else (f" (known: {', '.join(known)})" if known else "")
        problem = f"unknown key{hint}"
    elif kind == "missing":
        problem = "is required"
    elif kind in _KINDS:
        problem = f"expected {_KINDS[kind]}, not {_type_name(first.get('input'))}"
    elif kind == "literal_error":
        problem = f"must be one of {first['ctx']['expected']}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = next(iter(first["ctx"].values()))
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        problem = f"must be {words} {limit}"
    elif kind == "value_error":  # a validator's own words (e.g. a rich [assets] entry)
        problem = first["msg"].removeprefix("Value error, ")
    else:
        problem = "is not valid here"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{path}: {key}: {problem}{more}"


def check_values(profile, path: str) -> str | None:
    """The first tenant value lint or patch would refuse, as ``FILE: KEY: problem``; None when all pass."""
    from connectflow.patch import values
    from connectflow.settings import by_locator, profile_key, setting
    from connectflow.settings import check as check_setting

    def refused(key: str, check, *args) -> str | None:
        try:
            check(*args)
        except values.ValueRefused as err:
            return f"{path}: {key}: {err}"
        return None

    checks: list[tuple] = []
    for channel, ids in ((c, getattr(profile.assets, c)) for c in type(profile.assets).model_fields if c != "records"):
        checks += [(f"assets.{channel}", values.check_asset_id, i) for i in ids]
    for option in ("fb_page_id", "wa_number", "live_chat_domain", "biz_email"):
        entry = setting(option)
        value = profile_key(profile, entry.profile)
        if value is not None:
            checks.append((entry.profile, values.check_variable, entry.variables[0], value))
    for entry in by_locator("catalogue_value"):  # --sms-sender, --screen-pop-url, ...: one value or one per flow
        value = profile_key(profile, entry.profile)
        for key, item in (value.items() if isinstance(value, dict) else [("", value)] if value is not None else []):
            checks.append((f"{entry.profile}.{key}" if key else entry.profile, check_setting, entry, str(item)))
    for position, asset in enumerate(profile.assets.entries("sms")):
        if asset.sender_id is not None:
            checks.append((f"assets.sms[{position}].sender_id", values.check_sender, asset.sender_id))
    for key, auth in profile.authorizations.items():
        checks.append((f"authorizations.{key}.id", values.check_auth_id, auth.id))
    for key, queue in profile.queues.items():
        checks.append((f"queues.{key}", values.check_queue, str(queue)))
    for key, flow_id in profile.flow_ids.items():
        checks.append((f"flow_ids.{key}", values.check_flow_id, str(flow_id)))
    for name, value in profile.variables.items():
        pairs = value.items() if isinstance(value, dict) else [(None, value)]
        for inner, item in pairs:
            variable, key = (inner, f"variables.{name}.{inner}") if inner else (name, f"variables.{name}")
            checks.append((key, values.check_variable, variable, item))
    for key, check, *args in checks:
        problem = refused(key, check, *args)
        if problem:
            return problem
    return None
