"""Debian's headless Chromium for the browser tests, driven by Playwright's Python package
(which never downloads a browser here). A missing browser skips locally, fails under CI=true."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = next((p for p in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                             shutil.which("chromium-browser")) if p and os.path.exists(p)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI") == "true"


def require_chromium() -> None:
    """At module level: skip the module without a browser, unless under CI, where the
    tests then fail on the missing browser."""
    if CHROMIUM is None and not IN_CI:
        pytest.skip("no Chromium found at /usr/bin/chromium (apt-get install chromium); CI installs it",
                    allow_module_level=True)


def launch(playwright, profile_dir, **options):
    """A browser context with a fresh profile (Playwright passes it as --user-data-dir)."""
    assert CHROMIUM, "CI=true but no Chromium: .ci/run must apt-get install chromium"
    return playwright.chromium.launch_persistent_context(
        str(profile_dir), executable_path=CHROMIUM, headless=True, args=FLAGS, **options)
