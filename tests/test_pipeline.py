"""Pipeline steps: the decorator and a scikit-learn step inside a real Pipeline raise or warn with the report."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import datacheck
from datacheck.pipeline import DataValidator, ValidationWarning, validate

SUITE = {
    "name": "diabetes-inputs",
    "dataset": {"label": "target", "task": "regression"},
    "checks": [
        {"missing": {"max_fraction": 0}},
        {"range": {"columns": "bmi", "min": 10, "max": 60}},
        {"range": {"columns": "target", "min": 0, "max": 400}},
    ],
}


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
    return X, y


def broken(X):
    bad = X.copy()
    bad.loc[bad.index[:5], "bmi"] = bad["bmi"].iloc[:5] * 100  # a unit bug on five rows
    return bad


def test_validator_in_a_real_pipeline_raises_with_the_report(diabetes):
    X, y = diabetes
    before = X.copy()
    pipe = Pipeline([("check", DataValidator(SUITE)), ("scale", StandardScaler()), ("model", Ridge())])
    pipe.fit(X, y)
    step = pipe.named_steps["check"]
    assert step.fit_report_.passed
    assert [r.column for r in step.fit_report_.select(check="range")] == ["bmi", "target"]  # y was validated too
    pd.testing.assert_frame_equal(X, before)  # the input is never modified
    pred = pipe.predict(X.iloc[:50])
    assert pred.shape == (50,) and step.last_report_.passed
    with pytest.raises(datacheck.ValidationFailed) as ei:
        pipe.predict(broken(X))
    report = ei.value.report
    assert [(r.check, r.column) for r in report.failures] == [("range", "bmi")]
    assert report.select(check="range", column="bmi")[0].observed["above"] == 5


def test_validator_warns_and_passes_data_through(diabetes):
    X, y = diabetes
    pipe = Pipeline([("check", DataValidator(SUITE, on_fail="warn")), ("model", Ridge())]).fit(X, y)
    with pytest.warns(ValidationWarning, match=r"range\(bmi\)") as rec:
        pred = pipe.predict(broken(X))
    assert len(pred) == len(X)
    assert not rec[0].message.report.passed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pipe.predict(X)  # clean data: no warning
    # the step returns its input itself
    step = DataValidator(SUITE).fit(X, y)
    assert step.transform(X) is X and list(step.get_feature_names_out()) == list(X.columns)


def test_validator_fails_the_fit_on_bad_training_data_and_clones(diabetes):
    X, y = diabetes
    pipe = Pipeline([("check", DataValidator(SUITE)), ("model", Ridge())])
    with pytest.raises(datacheck.ValidationFailed):
        pipe.fit(broken(X), y)
    bad_y = y.copy()
    bad_y.iloc[0] = -1.0
    with pytest.raises(datacheck.ValidationFailed) as ei:
        clone(pipe).fit(X, bad_y)
    assert [(r.check, r.column) for r in ei.value.report.failures] == [("range", "target")]
    assert clone(DataValidator(SUITE, on_fail="warn")).get_params()["on_fail"] == "warn"
    with pytest.raises(ValueError, match="on_fail must be one of"):
        DataValidator(SUITE, on_fail="explode").fit(X, y)


def test_validator_with_the_training_data_as_reference_catches_shift(diabetes):
    X, y = diabetes
    suite = {"name": "shift", "checks": [{"drift": {"columns": ["bmi", "bp"]}}]}
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(X))
    train, serve = X.iloc[idx[:300]], X.iloc[idx[300:]]
    pipe = Pipeline([("check", DataValidator(suite, reference="fit")), ("model", Ridge())]).fit(
        train, y.iloc[idx[:300]]
    )
    assert pipe.named_steps["check"].profile_ is not None
    pipe.predict(serve)  # an untouched split: no drift
    shifted = serve.assign(bmi=serve["bmi"] + 5.0)  # every serving BMI five points higher
    with pytest.raises(datacheck.ValidationFailed) as ei:
        pipe.predict(shifted)
    assert [(r.check, r.column) for r in ei.value.report.failures] == [("drift", "bmi")]


def test_decorator_validates_the_result_or_an_argument(diabetes):
    X, _ = diabetes

    @validate({"name": "out", "checks": [{"range": {"columns": "bmi", "min": 10, "max": 60}}]})
    def load(bad=False):
        return broken(X) if bad else X

    assert load() is X and load.last_report.passed
    with pytest.raises(datacheck.ValidationFailed) as ei:
        load(bad=True)
    assert ei.value.report.failures[0].column == "bmi"

    calls = []

    @validate({"name": "in", "checks": [{"missing": {"max_fraction": 0}}]}, arg="frame", on_fail="warn")
    def train(model_name, frame):
        calls.append(model_name)
        return len(frame)

    with pytest.warns(ValidationWarning, match="argument 'frame'"):
        assert train("m", frame=X.assign(bmi=np.nan)) == len(X)
    assert calls == ["m"]  # warn: the call goes on

    @validate({"name": "in", "checks": [{"missing": {"max_fraction": 0}}]}, arg=0)
    def fit_first(frame):
        calls.append("never")

    with pytest.raises(datacheck.ValidationFailed):
        fit_first(X.assign(bmi=np.nan))
    assert "never" not in calls  # raise: the function is not called on bad input
    with pytest.raises(ValueError, match="has no parameter 'df'"):
        validate({"name": "x", "checks": ["duplicates"]}, arg="df")(fit_first)


def test_validator_passes_scikit_learns_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(DataValidator({"name": "s", "checks": [{"row_count": {"min": 1}}]}), on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert failed == []
    assert len(results) > 30


def test_a_fitted_pipeline_pickles_with_its_profile(diabetes, tmp_path):
    import pickle

    X, y = diabetes
    suite = datacheck.load_suite(
        {"name": "shift", "checks": [{"drift": {"columns": ["bmi"]}}, {"missing": {"max_fraction": 0}}]}
    )
    pipe = Pipeline([("check", DataValidator(suite, reference="fit")), ("model", Ridge())]).fit(X, y)
    again = pickle.loads(pickle.dumps(pipe))
    assert np.allclose(again.predict(X), pipe.predict(X))
    with pytest.raises(datacheck.ValidationFailed) as ei:
        again.predict(X.assign(bmi=X["bmi"] + 5.0))
    assert [(r.check, r.column) for r in ei.value.report.failures] == [("drift", "bmi")]
    assert again.named_steps["check"].last_report_ is ei.value.report
