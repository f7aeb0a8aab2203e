"""Checks: one module per check type, registered by the name the YAML uses.

Adding a check is adding one module here with one ``@register("name")`` class; this package
imports every module in it, so nothing else changes.
"""

import importlib
import pkgutil

from datacheck.checks.base import COMMON_PARAMS, REGISTRY, Check, OnReference, register

__all__ = ["REGISTRY", "Check", "register", "OnReference", "COMMON_PARAMS"]

for _m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _m.name.startswith("_") and _m.name != "base":
        importlib.import_module(f"{__name__}.{_m.name}")
