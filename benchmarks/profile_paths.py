"""Profile the slow paths the benchmark reports, with cProfile.

    python benchmarks/profile_paths.py [--n 300] [--top 15] [--path assess,record_id,load,validate]

Prints, per path, the top functions by own time and the riskassess functions
by cumulative time. The profiler inflates small calls; use it to see *where*
time goes and benchmarks/run.py for *how much*.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import spec_to_ruleset as s2r

s2r.ensure_riskassess_importable()

import riskassess  # noqa: E402


def profile(label: str, fn: Callable[[], object], top: int) -> None:
    """Run ``fn`` under cProfile and print two views of the result."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    for order, restrict in (("tottime", top), ("cumulative", "riskassess")):
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).strip_dirs().sort_stats(order)
        if restrict == "riskassess":
            stats.print_stats(r"(assessment|engine|ruleset|conditions|questionnaire|scoring|plugins|yamlfile)\.py", top)
        else:
            stats.print_stats(restrict)
        body = out.getvalue()
        body = body[body.find("   ncalls"):] if "   ncalls" in body else body
        print(f"\n### {label}: by {order}\n{body.rstrip()}")


def main(argv: list[str] | None = None) -> int:
    """Profile the chosen paths on generated questionnaires."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--path", default="assess,record_id,load,validate")
    a = ap.parse_args(argv)
    spec = s2r.load_spec()
    (gen,) = s2r.import_peers("gen_questionnaires")
    with tempfile.TemporaryDirectory(prefix="riskassess-bench-") as tmp:
        path = s2r.write_rule_set(s2r.translate(spec), Path(tmp))
        engine = riskassess.Engine()
        rs = engine.rule_set(path)
        docs = [s2r.questionnaire_data(q) for q in gen.generate(a.n, 20240601, spec)]
        qs = [engine.questionnaire(d, rs) for d in docs]
        assessments: list[riskassess.Assessment] = []
        paths = {
            "assess": (f"engine.assess x {a.n}", lambda: assessments.extend(engine.assess(q, rs) for q in qs)),
            "record_id": (f".record_id x {a.n} (fresh assessments)",
                          lambda: [x.record_id for x in assessments or [engine.assess(q, rs) for q in qs]]),
            "load": ("Engine().rule_set(path) x 10", lambda: [riskassess.Engine().rule_set(path) for _ in range(10)]),
            "validate": (f"engine.questionnaire x {a.n}", lambda: [engine.questionnaire(d, rs) for d in docs]),
        }
        for name in a.path.split(","):
            label, fn = paths[name]
            profile(label, fn, a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
