"""The long fuzz run (issue 10): the suite's fuzz properties with many more examples each, and their figures.

    python benchmarks/fuzz_long.py [--examples 5000] [--out benchmarks/results/fuzz-long.md]

Runs ``pytest -m fuzz`` (``tests/test_fuzz.py``, ``tests/test_record_strict.py``, ``tests/test_schema_check.py``'s
agreement properties are not marked and run in the suite as they are) with ``RISKASSESS_FUZZ_EXAMPLES`` set, a
hypothesis database off (every example fresh) and ``--hypothesis-show-statistics``; prints, per property, the
examples run and whether it failed, and the total. Exit status: pytest's (non-zero if any property failed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=5000, help="examples per property (default 5,000)")
    ap.add_argument("--out", type=Path, help="also write the summary (Markdown) here")
    a = ap.parse_args()
    env = {**os.environ, "RISKASSESS_FUZZ_EXAMPLES": str(a.examples), "HYPOTHESIS_PROFILE": "ci"}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "fuzz",
                          "--hypothesis-show-statistics", "-o", "addopts="],
                         cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    rows = _statistics(run.stdout)
    total = sum(n for _, n, _ in rows)
    lines = [f"Long fuzz run, {dt.date.today().isoformat()}: {a.examples:,} examples asked per property, "
             f"{total:,} run in all, {seconds / 60:.0f} min; pytest exit {run.returncode}.", "",
             "| property | examples run | outcome |", "|---|---:|---|"]
    lines += [f"| `{name}` | {n:,} | {outcome} |" for name, n, outcome in rows]
    tail = run.stdout.strip().splitlines()[-1:] if run.stdout.strip() else []
    text = "\n".join([*lines, "", *tail]) + "\n"
    print(text)
    if run.returncode != 0:
        print(run.stdout[-5000:], run.stderr[-2000:], sep="\n", file=sys.stderr)
    if a.out is not None:
        a.out.write_text(text, encoding="utf-8")
    return run.returncode


def _statistics(output: str) -> list[tuple[str, int, str]]:
    """(property, examples run, outcome) from hypothesis' statistics."""
    rows = []
    for block in re.split(r"\n(?=\S.*::test_)", output):
        name = re.match(r"\S*::(test_\w+)", block)
        if name is None:
            continue
        counts = [int(n) for n in re.findall(r"- (\d+) passing", block)]
        failing = sum(int(n) for n in re.findall(r"(\d+) failing", block))
        rows.append((name.group(1), max(counts, default=0), "failed" if failing else "no failure"))
    return rows


if __name__ == "__main__":
    sys.exit(main())
