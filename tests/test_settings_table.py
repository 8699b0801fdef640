"""The tenant settings table (connectflow/settings.toml) is linked to the code both ways: every
entry's locator, check, rules, profile key and option exist, and the rules that judge a tenant
value are named by an entry."""

from __future__ import annotations

from click.testing import CliRunner

from connectflow.cli import cli, patch as patch_command
from connectflow.lint.registry import builtin_registry
from connectflow.patch import values
from connectflow.profile import Profile
from connectflow.settings import LOCATORS, table


def test_every_entry_names_what_exists():
    registry = builtin_registry()
    options = {opt for param in patch_command.params for opt in getattr(param, "opts", [])}
    for entry in table():
        assert entry.locator in LOCATORS
        assert entry.check == "variable" or hasattr(values, f"check_{entry.check}"), entry.name
        assert entry.rules and all(registry.get(rule) for rule in entry.rules), entry.name
        assert entry.profile.split(".")[0] in Profile.model_fields, entry.name
        assert entry.option in options, entry.name
        assert entry.what and entry.ui and entry.init and entry.absent, entry.name


def test_every_tenant_value_rule_is_an_entrys():
    named = {rule for entry in table() for rule in entry.rules}
    for rule in ("CF101", "CF210", "CF211", "CF212", "CF213", "CF214", "CF215", "CF230", "CF301", "CF501", "CF502"):
        assert rule in named


def test_patch_help_lists_every_entrys_option():
    result = CliRunner().invoke(cli, ["patch", "--help"])
    assert all(entry.option in result.output for entry in table())
