"""The Python rules, one module per rule, listed explicitly so the registry is greppable.

Each module defines ``check``: a Rule made with ``@rule(id, name, severity)``.
"""

from __future__ import annotations

from connectflow.lint.checks import (
    cf101_placeholder_destination,
)

CHECKS = tuple(module.check for module in (
    cf101_placeholder_destination,
))
