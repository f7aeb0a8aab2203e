"""Import a Great Expectations suite, run it with datacheck, and export a suggested suite to GX.

Run from the repository root:  python examples/gx_roundtrip.py
Needs only datacheck and mglearn (the Adult data); great_expectations is not needed to convert.
"""

import json
import os
import tempfile
import warnings

import datacheck
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
gx_suite = os.path.join(HERE, "..", "tests", "fixtures", "gx018_adult_suite.json")

df = load_adult(raw_missing=False)

# 1. a GX suite (here a 0.18 JSON file) becomes a datacheck suite; one pass over the data
suite = datacheck.from_great_expectations(gx_suite)
report = datacheck.run(df, suite)
print(report.summary())

# 2. the same verdicts in GX's validation-result shape, for dashboards that read GX results
result = report.to_great_expectations(suite)
print("GX-shaped result:", result["success"], result["statistics"])

# 3. a suite inferred from the data, exported for a team that runs GX
suggested = datacheck.suggest(df)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # (checks GX cannot express are listed in meta)
    gx_json = suggested.to_great_expectations()
out = os.path.join(tempfile.gettempdir(), "adult_suggested.gx.json")
with open(out, "w") as fh:
    json.dump(gx_json, fh, indent=2)
print(f"{len(gx_json['expectations'])} expectations written to {out}")
