"""The analytic hierarchy process (层次分析法): weights from a pairwise comparison matrix.

Saaty's method: the weights are the principal eigenvector of the reciprocal matrix ``A`` (``a_ij``
says how much more important criterion ``i`` is than ``j`` on the 1–9 scale, ``a_ji = 1 / a_ij``);
its consistency index is ``CI = (λmax − n) / (n − 1)`` and the consistency ratio ``CR = CI / RI(n)``,
where ``RI(n)`` is the mean CI of random reciprocal matrices of order ``n``. A CR above 0.1 is
Saaty's conventional limit for judgements too inconsistent to use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

#: Saaty's random index RI(n) for n = 1 … 10 (T. L. Saaty, *The Analytic Hierarchy Process*, 1980), the
#: table most Chinese 稳评 papers use. Other simulations give slightly different values (the larger n, the
#: more they differ), so a pack may declare its own ``random_index`` table.
SAATY_RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
SAATY_LIMIT = 0.1


@dataclass(frozen=True)
class Priorities:
    """The weights a comparison matrix gives, and how consistent its judgements were."""

    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    ri: float
    cr: float


def parse_judgement(value: object) -> float:
    """A pairwise judgement: a number, or a fraction written ``"1/3"`` (YAML has no fractions)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number or a fraction such as 1/3, got {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(Fraction(value.replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"expected a number or a fraction such as 1/3, got {value!r}") from None
    else:
        raise ValueError(f"expected a number or a fraction such as 1/3, got {value!r}")
    if not 1 / 9 - 1e-9 <= number <= 9 + 1e-9:
        raise ValueError(f"{value!r} is outside Saaty's scale 1/9 … 9")
    return number


def check_matrix(matrix: Sequence[Sequence[float]]) -> None:
    """Refuse a matrix that is not square, reciprocal, with ones on the diagonal."""
    n = len(matrix)
    for i, row in enumerate(matrix):
        if len(row) != n:
            raise ValueError(f"row {i + 1} has {len(row)} entries; the matrix is {n} × {n}")
    for i in range(n):
        if abs(matrix[i][i] - 1) > 1e-9:
            raise ValueError(f"the diagonal must be 1 (row {i + 1})")
        for j in range(i + 1, n):
            if abs(matrix[i][j] * matrix[j][i] - 1) > 0.01:
                raise ValueError(f"entries ({i + 1},{j + 1}) and ({j + 1},{i + 1}) must be reciprocal: "
                                 f"{matrix[i][j]:g} × {matrix[j][i]:g} ≠ 1")


def priorities(matrix: Sequence[Sequence[float]], random_index: Sequence[float] = SAATY_RANDOM_INDEX
               ) -> Priorities:
    """The principal eigenvector (normalised to sum 1) by power iteration, with λmax, CI, RI and CR."""
    check_matrix(matrix)
    n = len(matrix)
    if n > len(random_index):
        raise ValueError(f"no random index for a {n} × {n} matrix (the table goes to {len(random_index)})")
    w = [1.0 / n] * n
    for _ in range(1000):
        nxt = [sum(matrix[i][j] * w[j] for j in range(n)) for i in range(n)]
        total = sum(nxt)
        nxt = [x / total for x in nxt]
        done = max(abs(a - b) for a, b in zip(nxt, w, strict=True)) < 1e-15
        w = nxt
        if done:
            break
    aw = [sum(matrix[i][j] * w[j] for j in range(n)) for i in range(n)]
    lambda_max = sum(aw[i] / w[i] for i in range(n)) / n
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = random_index[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    return Priorities(tuple(w), lambda_max, max(ci, 0.0), ri, max(cr, 0.0))
