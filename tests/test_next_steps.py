"""The one-line next step of failing results."""

from __future__ import annotations

import pytest

from datacheck.next_steps import next_step
from datacheck.result import Result


def R(check, status="fail", **kw):
    return Result(check, kw.pop("column", "c"), kw.pop("severity", "error"), status, **kw)


def test_passing_errors_and_unknown_checks_have_no_step():
    assert next_step(R("missing", "pass")) is None
    assert next_step(R("missing", "error")) is None
    assert next_step(R("not_a_check")) is None


def test_sentinel_step_names_the_column_and_the_value():
    r = R(
        "missing",
        "warn",
        column="capital-gain",
        observed={"kind": "suspected_sentinel"},
        evidence=[{"value": 99999, "count": 159}],
    )
    s = next_step(r)
    assert "missing: {columns: [capital-gain], sentinels: [99999]}" in s


@pytest.mark.parametrize(
    "check,observed,needle",
    [
        ("duplicates", {"duplicates": 3}, "join"),
        ("slices", {"worst_slice": "sex = Male & race = White"}, "sex = Male and race = White"),
        ("worst_slices", {"worst_slice": "age in [17, 28)"}, "age in [17, 28)"),
        ("bias", {"metric": "fpr", "worst_group": "sex=Female"}, "fpr for sex=Female"),
        ("label_errors", {}, "relabel"),
        ("drift", {}, "reference and current"),
    ],
)
def test_usual_steps(check, observed, needle):
    assert needle in next_step(R(check, observed=observed))


def test_a_result_the_step_cannot_read_gets_none_not_an_exception():
    assert next_step(R("slices", observed={"worst_slice": None})) is None
    assert next_step(R("missing", "warn", observed={"kind": "suspected_sentinel"}, evidence=42)) is None
