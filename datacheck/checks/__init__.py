"""Checks: one module per check type, registered by the name the YAML uses.

Adding a check is adding one module here, named as the check, with one ``@register("name")``
class; :data:`REGISTRY` finds it by that name and imports it when it is first looked up (a run
imports the modules of its suite's checks only), so nothing else changes.
"""

from datacheck.checks.base import COMMON_PARAMS, REGISTRY, Check, OnReference, register

__all__ = ["REGISTRY", "Check", "register", "OnReference", "COMMON_PARAMS"]
