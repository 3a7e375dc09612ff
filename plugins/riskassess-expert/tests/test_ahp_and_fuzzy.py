"""The arithmetic of the expert methods, against hand-checkable numbers."""

from __future__ import annotations

import pytest

riskassess_expert = pytest.importorskip("riskassess_expert", reason="install ./plugins/riskassess-expert")
ahp, fuzzy = riskassess_expert.ahp, riskassess_expert.fuzzy


def test_a_consistent_matrix_gives_its_exact_weights_and_no_inconsistency():
    # w = (4, 2, 1)/7 gives a perfectly consistent matrix a_ij = w_i / w_j
    matrix = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]
    found = ahp.priorities(matrix)
    assert found.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7), abs=1e-12)
    assert found.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert found.cr == pytest.approx(0.0, abs=1e-12)


def test_saatys_classic_inconsistent_example():
    # A 3 × 3 with a_12 = 3, a_13 = 5, a_23 = 3: λmax ≈ 3.0385, CI ≈ 0.0193, CR = CI / 0.58 ≈ 0.033
    matrix = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    found = ahp.priorities(matrix)
    assert found.weights == pytest.approx((0.6370, 0.2583, 0.1047), abs=5e-4)
    assert found.lambda_max == pytest.approx(3.0385, abs=5e-4)
    assert found.cr == pytest.approx(0.0332, abs=5e-4)


def test_judgements_are_numbers_or_fractions_on_saatys_scale():
    assert ahp.parse_judgement("1/3") == pytest.approx(1 / 3)
    assert ahp.parse_judgement(7) == 7.0
    for bad in ("a", True, 10, "1/10", None):
        with pytest.raises(ValueError):
            ahp.parse_judgement(bad)


def test_a_matrix_that_is_not_reciprocal_is_refused():
    with pytest.raises(ValueError, match=r"\(1,2\) and \(2,1\) must be reciprocal"):
        ahp.priorities([[1, 3], [3, 1]])


def test_fuzzy_weighting_and_both_readings():
    vectors = [(0.1, 0.2, 0.7), (0.5, 0.5, 0.0)]
    overall = fuzzy.weighted_sum((0.6, 0.4), vectors)
    assert overall == pytest.approx((0.26, 0.32, 0.42))
    assert fuzzy.weighted_average(overall) == pytest.approx(0.26 + 0.64 + 1.26)
    assert fuzzy.maximum_membership(overall) == 3
    assert fuzzy.maximum_membership((0.4, 0.4, 0.2)) == 1  # a tie reads as the lower grade
