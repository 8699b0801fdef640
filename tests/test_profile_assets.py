"""The [assets] table: the simple id lists and the rich form with each asset's own values."""

from __future__ import annotations

import pytest

from connectflow.profile import ProfileError, load_profile, parse_profile


def test_simple_and_rich_forms_give_the_same_id_lists():
    simple = parse_profile({"assets": {"livechat": ["LC1", "LC2"], "sms": [14155550142]}}, "t.toml")
    rich = parse_profile({"assets": {
        "livechat": [{"app_id": "LC1", "domain": "a.example"}, {"name": "cb", "app_id": "LC2", "webcallback": True}],
        "sms": [{"number": 14155550142, "sender_id": "EXAMPLE"}]}}, "t.toml")
    for profile in (simple, rich):
        assert profile.assets.livechat == ["LC1", "LC2"] and profile.assets.sms == ["14155550142"]
        assert profile.assets.all() == {"LC1", "LC2", "14155550142"}
    first, second = rich.assets.entries("livechat")
    assert (first.id, first.domain, first.label, first.webcallback) == ("LC1", "a.example", "LC1", False)
    assert (second.label, second.webcallback) == ("cb", True)
    [sms] = rich.assets.entries("sms")
    assert (sms.channel, sms.id, sms.number, sms.sender_id) == ("sms", "14155550142", "14155550142", "EXAMPLE")
    assert rich.assets.owning("a.example") is None and rich.assets.owning("LC2") is second


@pytest.mark.parametrize(("assets", "problem"), [
    ({"livechat": [{"app_id": "LC1", "page_id": "1"}]}, "livechat[0]: unknown key 'page_id' for a livechat asset"),
    ({"sms": [{"sender_id": "X"}]}, "sms[0]: a sms asset needs number"),
    ({"whatsapp": [{"app_id": "a_1", "webcallback": True}]}, "unknown key 'webcallback'"),
    ({"fax": ["1"]}, "fax"),
])
def test_mistakes_name_the_channel_and_the_asset(assets, problem):
    with pytest.raises(ProfileError) as err:
        parse_profile({"assets": assets}, "t.toml")
    assert str(err.value).startswith("t.toml: ") and "assets" in str(err.value) and problem in str(err.value)


def test_the_samples_multi_asset_profile_loads():
    from pathlib import Path

    profile = load_profile(Path(__file__).resolve().parents[1] / "samples" / "tenant-multi.toml")
    assert len(profile.assets.entries("livechat")) == 2 and len(profile.assets.entries("sms")) == 2
    assert [a.webcallback for a in profile.assets.entries("livechat")] == [False, True]
