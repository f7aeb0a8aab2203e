"""Pipeline steps: validate data where it flows, in the forms users reach for.

* :func:`validate` — a decorator that validates the frame a function returns (or one of its
  arguments) before anyone uses it.
* :class:`DataValidator` — a scikit-learn transformer that validates on ``fit`` and on
  ``transform`` (so on ``predict`` inside a :class:`sklearn.pipeline.Pipeline`) and passes the data
  through unchanged. With ``reference="fit"`` the training data becomes the reference of the
  suite's shift checks (a profile kept on the fitted step), so serving data is compared with it.

Both raise :class:`datacheck.ValidationFailed` (carrying ``.report``) or warn with a
:class:`ValidationWarning`, as configured.

Examples
--------
>>> import pandas as pd, datacheck
>>> from datacheck.pipeline import validate
>>> @validate({"name": "clean", "checks": [{"missing": {"max_fraction": 0}}]})
... def load():
...     return pd.DataFrame({"x": [1.0, None]})
>>> load()  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
datacheck.errors.ValidationFailed: ...
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from datacheck.errors import ValidationFailed
from datacheck.report import Report

__all__ = ["validate", "DataValidator", "ValidationWarning"]

F = TypeVar("F", bound=Callable[..., Any])
_ON_FAIL = ("raise", "warn")


class ValidationWarning(UserWarning):
    """Warned instead of raising when a pipeline step is configured with ``on_fail="warn"``.

    The report is attached as ``.report``.
    """

    def __init__(self, report: Report, where: str) -> None:
        self.report = report
        failed = sorted({f"{r.check}({r.column})" if r.column else r.check for r in report.failures})
        super().__init__(f"{where}: suite {report.suite_name!r} failed: {', '.join(failed[:10])}")


def _judge(report: Report, on_fail: str, where: str) -> Report:
    if not report.passed:
        if on_fail == "raise":
            raise ValidationFailed(report)
        warnings.warn(ValidationWarning(report, where), stacklevel=3)
    return report


def _check_on_fail(on_fail: str) -> None:
    if on_fail not in _ON_FAIL:
        raise ValueError(f"on_fail must be one of {', '.join(map(repr, _ON_FAIL))}; got {on_fail!r}")


def validate(
    suite: Any,
    *,
    arg: str | int | None = None,
    on_fail: str = "raise",
    reference: Any = None,
    options: Mapping[str, Any] | None = None,
) -> Callable[[F], F]:
    """Decorate a function so the frame it returns (or its argument ``arg``) is validated by ``suite``.

    Parameters
    ----------
    suite : path, dict or Suite
        Loaded and validated once, when the function is decorated.
    arg : str or int, optional
        Validate this argument (by name or position) before the call instead of the return value.
    on_fail : {"raise", "warn"}
        ``raise``: :class:`datacheck.ValidationFailed` with the report; ``warn``: a
        :class:`ValidationWarning` and the call goes on.
    reference : data, path or Profile, optional
        Reference for the suite's shift checks.
    options : dict, optional
        Passed to :func:`datacheck.run`.

    Returns
    -------
    callable
        The decorator. The wrapped function keeps its signature; its last report is
        ``wrapped.last_report``.

    Examples
    --------
    >>> import pandas as pd
    >>> @validate({"name": "in", "checks": [{"row_count": {"min": 1}}]}, arg="df")
    ... def train(df):
    ...     return len(df)
    >>> train(pd.DataFrame({"x": [1]})), train.last_report.passed
    (1, True)
    """
    from datacheck.suite import load_suite

    _check_on_fail(on_fail)
    loaded = load_suite(suite)

    def deco(fn: F) -> F:
        sig = inspect.signature(fn)
        if isinstance(arg, str) and arg not in sig.parameters:
            raise ValueError(f"validate(arg={arg!r}): {fn.__qualname__} has no parameter {arg!r}")

        def check(data: Any, what: str) -> None:
            from datacheck.runner import run

            report = run(data, loaded, reference=reference, options=options)
            wrapper.last_report = report  # type: ignore[attr-defined]
            _judge(report, on_fail, f"{fn.__qualname__} {what}")

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if arg is not None:
                bound = sig.bind(*args, **kwargs)
                name = arg if isinstance(arg, str) else list(sig.parameters)[arg]
                if name not in bound.arguments:
                    raise TypeError(f"{fn.__qualname__}: argument {name!r} to validate was not given")
                check(bound.arguments[name], f"argument {name!r}")
                return fn(*args, **kwargs)
            out = fn(*args, **kwargs)
            check(out, "result")
            return out

        wrapper.last_report = None  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return deco


def _estimator_bases() -> tuple[type, ...]:
    from sklearn.base import BaseEstimator, TransformerMixin

    return (TransformerMixin, BaseEstimator)


class DataValidator(*_estimator_bases()):  # type: ignore[misc]
    """A scikit-learn step that validates data on ``fit`` and ``transform`` and passes it through.

    Parameters
    ----------
    suite : path, dict or Suite
        The suite to run.
    on_fail : {"raise", "warn"}
        What a failed run does: raise :class:`datacheck.ValidationFailed` (with ``.report``), or warn.
    validate_fit : bool
        Also validate the training data in ``fit``.
    reference : None, "fit", data, path or Profile
        Reference for shift checks. ``"fit"`` keeps a profile of the training data (``profile_``),
        so ``transform``/``predict`` data is compared with what the model was trained on.
    options : dict, optional
        Passed to :func:`datacheck.run`.
    transform_suite : path, dict or Suite, optional
        A different suite for ``transform``/``predict`` (serving data often has no label);
        default: ``suite``.

    Attributes
    ----------
    fit_report_ : Report or None
        The report on the training data.
    last_report_ : Report
        The report of the latest ``fit`` or ``transform``.
    profile_ : Profile or None
        With ``reference="fit"``, the training data's profile.

    Notes
    -----
    When ``fit`` gets ``y`` and the suite's ``dataset.label`` column is not in ``X``, ``y`` is added as
    that column for validation (on a new frame: ``X`` is never modified). In ``transform`` a label
    role whose column is not in ``X`` is dropped (serving data has no label): the role, and the label
    from every check's explicit ``columns`` (a check left with no column is not run). ``transform`` returns ``X`` itself. NumPy arrays are named as scikit-learn names them (``feature_names_in_`` or ``x0``...).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.linear_model import LinearRegression
    >>> suite = {"name": "s", "checks": [{"missing": {"max_fraction": 0}}]}
    >>> X, y = pd.DataFrame({"a": [1.0, 2, 3, 4]}), [1.0, 2, 3, 4]
    >>> model = make_pipeline(DataValidator(suite), LinearRegression()).fit(X, y)
    >>> model.predict(pd.DataFrame({"a": [None]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    datacheck.errors.ValidationFailed: ...
    """

    def __init__(
        self,
        suite: Any = None,
        *,
        on_fail: str = "raise",
        validate_fit: bool = True,
        reference: Any = None,
        options: Mapping[str, Any] | None = None,
        transform_suite: Any = None,
    ) -> None:
        self.suite = suite
        self.transform_suite = transform_suite
        self.on_fail = on_fail
        self.validate_fit = validate_fit
        self.reference = reference
        self.options = options

    # -- scikit-learn API ------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> DataValidator:
        """Validate the training data (when ``validate_fit``) and remember its columns."""
        from datacheck.suite import load_suite

        _check_on_fail(self.on_fail)
        if self.suite is None:
            raise ValueError("DataValidator needs a suite (a path, a dict or a datacheck.Suite)")
        self.suite_ = load_suite(self.suite)
        self.transform_suite_ = load_suite(self.transform_suite) if self.transform_suite is not None else self.suite_
        frame = self._frame(X, fitting=True)
        if frame.shape[1] == 0:
            raise ValueError(f"0 feature(s) (shape={frame.shape}) while a minimum of 1 is required by DataValidator")
        if len(frame) == 0:
            raise ValueError(
                "Found array with 0 sample(s) while a minimum of 1 is required by DataValidator: "
                "there is no training data to validate"
            )
        data = self._with_label(frame, y)
        self._last: dict[str, Any] = {"report": None}  # the latest report; the fitted state never changes
        self.profile_ = None
        if isinstance(self.reference, str) and self.reference == "fit":
            from datacheck.profiles import profile

            has_shift = any(_needs_reference(c.name) for c in self.suite_.checks)
            self.profile_ = profile(data, self.suite_) if has_shift else None
        self.fit_report_ = None
        if self.validate_fit:
            fit_ref = None if isinstance(self.reference, str) and self.reference == "fit" else self.reference
            self.fit_report_ = self._run(data, reference=fit_ref, where="DataValidator.fit", suite=self.suite_)
        return self

    def transform(self, X: Any) -> Any:
        """Validate ``X`` and return it unchanged."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "suite_")
        ref = self.profile_ if isinstance(self.reference, str) and self.reference == "fit" else self.reference
        frame = self._frame(X, fitting=False)
        if frame.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {frame.shape[1]} features, but DataValidator is expecting "
                f"{self.n_features_in_} features as input"
            )
        suite = self.transform_suite_
        label = suite.dataset.label
        cols = getattr(frame, "columns", None)
        if label and cols is not None and label not in cols:
            suite = _without_label(suite)
        self._run(frame, reference=ref, where="DataValidator.transform", suite=suite)
        return _passthrough(X)

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit (validating the training data once) and return ``X`` unchanged."""
        self.fit(X, y, **fit_params)
        return _passthrough(X)

    @property
    def last_report_(self) -> Report:
        """The report of the latest ``fit`` or ``transform``."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "suite_")
        return self._last["report"]

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        """The input's column names: the step passes its data through."""
        import numpy as np

        names = input_features if input_features is not None else getattr(self, "feature_names_in_", None)
        if names is None:
            names = [f"x{i}" for i in range(self.n_features_in_)]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):  # scikit-learn >= 1.6: accepts NaN and strings, needs no y
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    # -- helpers ---------------------------------------------------------------------------------
    def __getstate__(self) -> dict:
        """Picklable (``joblib.dump`` of a fitted Pipeline): suites as plain data, the profile as its JSON dict."""
        from datacheck.suite import Suite

        state = dict(self.__dict__)
        for k in ("suite", "transform_suite"):
            if isinstance(state.get(k), Suite):
                state[k] = {"__suite__": dict(state[k].raw), "source": state[k].source}
        for k in ("suite_", "transform_suite_"):
            if k in state:
                state[k] = {"__suite__": dict(state[k].raw), "source": state[k].source}
        if state.get("profile_") is not None:
            state["profile_"] = {"__profile__": state["profile_"].to_dict()}
        return state

    def __setstate__(self, state: dict) -> None:
        from datacheck.suite import Suite

        for k, v in list(state.items()):
            if isinstance(v, dict) and "__suite__" in v:
                state[k] = Suite.from_dict(v["__suite__"], source=v["source"])
            elif isinstance(v, dict) and "__profile__" in v:
                from datacheck.profiles import Profile

                state[k] = Profile.from_dict(v["__profile__"])
        self.__dict__.update(state)

    def _frame(self, X: Any, fitting: bool) -> Any:
        import numpy as np
        import pandas as pd

        if hasattr(X, "tocsr") or type(X).__module__.startswith("scipy.sparse"):
            raise TypeError(
                "DataValidator does not accept sparse input: validate the data before it is "
                "made sparse (put the step first in the Pipeline)"
            )
        if (
            not isinstance(X, (np.ndarray, pd.DataFrame))
            and not hasattr(X, "columns")
            and (hasattr(X, "__array__") or isinstance(X, (list, tuple)))
        ):
            X = np.asarray(X)  # array-likes (lists of rows, objects with __array__) as scikit-learn reads them
        if isinstance(X, np.ndarray):
            if np.iscomplexobj(X):
                raise ValueError("Complex data not supported: datacheck's kernels read real numbers")
            if X.ndim != 2:
                raise ValueError(
                    f"DataValidator expects 2-D data; got an array of shape {X.shape}. Reshape your "
                    "data: X.reshape(-1, 1) for one feature, X.reshape(1, -1) for one sample"
                )
            names = getattr(self, "feature_names_in_", None) if not fitting else None
            if names is None or len(names) != X.shape[1]:
                names = [f"x{i}" for i in range(X.shape[1])]
            X = pd.DataFrame(X, columns=list(names), copy=False)
        if fitting:
            cols = getattr(X, "columns", None)
            if cols is not None and all(isinstance(c, str) for c in cols):
                self.feature_names_in_ = np.asarray(list(cols), dtype=object)
            self.n_features_in_ = len(cols) if cols is not None else X.shape[1]
        return X

    def _with_label(self, frame: Any, y: Any) -> Any:
        label = self.suite_.dataset.label
        cols = getattr(frame, "columns", None)
        if y is None or not label or cols is None or label in cols:
            return frame
        import pandas as pd

        if not isinstance(frame, pd.DataFrame):
            return frame
        values = y.to_numpy() if hasattr(y, "to_numpy") else y
        return frame.assign(**{label: values})  # a new frame; the caller's X is untouched

    def _run(self, data: Any, reference: Any, where: str, suite: Any) -> Report:
        from datacheck.runner import run

        report = run(data, suite, reference=reference, options=self.options)
        self._last["report"] = report
        return _judge(report, self.on_fail, where)


def _passthrough(X: Any) -> Any:
    """``X`` itself; an array-like that is neither a frame nor an array comes back as an array."""
    if hasattr(X, "shape") or hasattr(X, "columns"):
        return X
    import numpy as np

    return np.asarray(X)


def _needs_reference(name: str) -> bool:
    from datacheck.checks import REGISTRY

    return bool(REGISTRY[name].needs_reference)


def _without_label(suite: Any) -> Any:
    """The suite for data without its label column: no label role, the label out of explicit column lists."""
    from datacheck.suite import Suite

    label = suite.dataset.label
    raw = {k: v for k, v in dict(suite.raw).items()}
    raw["dataset"] = {k: v for k, v in dict(raw.get("dataset") or {}).items() if k != "label"}
    checks = []
    for item in raw.get("checks") or []:
        if isinstance(item, dict) and len(item) == 1:
            ((name, params),) = item.items()
            if isinstance(params, dict) and "columns" in params:
                cols = params["columns"]
                if cols == label:
                    continue
                if isinstance(cols, list) and label in cols:
                    cols = [c for c in cols if c != label]
                    if not cols:
                        continue
                    item = {name: {**params, "columns": cols}}
        checks.append(item)
    raw["checks"] = checks
    return Suite.from_dict(raw, source=suite.source)
