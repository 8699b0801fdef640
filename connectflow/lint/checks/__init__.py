"""The Python rules, one module per rule, listed explicitly so the registry is greppable.

Each module defines ``check``: a Rule made with ``@rule(id, name, severity)``.
"""

from __future__ import annotations

from importlib import import_module

MODULES = (
    "cf101_placeholder_destination",
    "cf102_unknown_destination",
    "cf103_condition_copies_disagree",
    "cf104_inactive_conditions",
    "cf105_missing_destination_condition",
    "cf106_invalid_operator",
    "cf201_ecc_not_defined",
    "cf202_ecc_variables_required",
    "cf203_ecc_value_too_long",
    "cf204_call_variable_invalid",
    "cf215_tenant_variable",
    "cf220_reference_unknown_node",
    "cf221_reference_unknown_output",
    "cf222_reference_undefined_variable",
    "cf223_reference_malformed",
    "cf230_template_value",
    "cf301_missing_authorization",
    "cf302_authorization_copies_disagree",
    "cf303_unknown_authorization",
    "cf401_unhandled_outcome",
    "cf402_unreachable_node",
    "cf403_dangling_edge",
    "cf404_orphan_end",
    "cf405_duplicate_end",
    "cf406_missing_start",
    "cf501_queue_not_set",
    "cf502_resolve_flow_id",
    "cf503_node_input_drift",
    "cf504_evaluate_script_drift",
    "cf505_create_conversation_fields",
    "cf601_flow_too_large",
    "cf602_invalid_variable_name",
    "cf603_duplicate_variable",
)

CHECKS = tuple(import_module(f"{__name__}.{name}").check for name in MODULES)
