"""The calibration set grades as an experienced assessor would (see calibration/README.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _calibration():
    spec = importlib.util.spec_from_file_location("calibration", ROOT / "calibration" / "calibration.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibration"] = module
    spec.loader.exec_module(module)
    return module


calibration = _calibration()


@pytest.fixture(scope="module")
def rows(engine):
    return {row.case: row for row in calibration.grade_all(engine)}


@pytest.mark.parametrize("case", [x["case"] for x in calibration.expectations()])
def test_case_grades_as_an_assessor_would(rows, case):
    row = rows[case]
    assert row.headline in row.expected["accept"], f"{case}: headline {row.headline}; {row.why['en']}"
    assert row.passed, f"{case}: range {row.lowest}–{row.highest}, firm {row.firm}; {row.why['en']}"


def test_both_directions_are_represented(rows):
    protests = [r for r in rows.values() if r.expected["grade"] == "high"]
    proceeded = [r for r in rows.values() if "low" in r.expected["accept"]]
    assert len(rows) >= 20 and len(protests) >= 8 and len(proceeded) >= 8
    assert all(r.headline == "high" for r in protests if r.expected.get("firm"))
    assert all(r.headline == "low" for r in rows.values() if r.expected["accept"] == ["low"])


def test_the_table_in_the_docs_is_current(rows):
    text = (ROOT / "calibration" / "README.md").read_text(encoding="utf-8")
    table = text.split(calibration.START, 1)[1].split(calibration.END, 1)[0]
    assert table.strip() == calibration.markdown_table(list(rows.values())).strip(), \
        "regenerate: python calibration/calibration.py --write"
