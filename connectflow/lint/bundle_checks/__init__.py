"""Rules over the tenant's set of flows (CF7xx), one module per rule, listed explicitly.

Each module defines ``check``: a Rule made with ``@bundle_rule(id, name, severity)``
whose check takes a :class:`connectflow.lint.bundle.Bundle`.
"""

from __future__ import annotations

from importlib import import_module

MODULES = (
    "cf701_double_trigger",
    "cf702_asset_without_flow",
    "cf703_webcallback_companion",
    "cf704_shared_resolve_flow_id",
    "cf705_ecc_spelling_differs",
)

BUNDLE_CHECKS = tuple(import_module(f"{__name__}.{name}").check for name in MODULES)
