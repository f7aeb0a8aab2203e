"""Figures are drawn once per report: ``to_html`` then ``save_figures`` at the same resolution reuse
the images; a changed report draws again."""

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.html import HTML_DPI


@pytest.fixture()
def report():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=500), "y": rng.choice(["a", "b", None], size=500)})
    return datacheck.run(df, {"name": "f", "checks": ["missing", {"outliers": {"columns": "x"}}]})


def test_html_then_figures_draw_once(report, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    calls = []
    real = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: (calls.append(1), real(self, *a, **k))[1])
    report.to_html(str(tmp_path / "r.html"))
    drawn = len(calls)
    assert drawn >= 1
    paths = report.save_figures(str(tmp_path / "figs"), dpi=HTML_DPI["png"])
    assert len(paths) == drawn and len(calls) == drawn  # nothing drawn again
    report.save_figures(str(tmp_path / "small"), dpi=72)  # another resolution is drawn
    assert len(calls) == 2 * drawn
    report.results.append(report.results[0])  # a changed report is drawn afresh
    report.to_html()
    assert len(calls) == 3 * drawn
