"""Rule-pack load times: the 60-factor spec and the national pack (issue 9: load + compile ≤ 20 ms), big packs
built by big_pack.py (issue 10: 5,000 factors in seconds, memory proportional) and an ``extends:`` chain of 32.

    python benchmarks/pack_load.py [--quick]        # prints a Markdown table; run.py appends it to its report

Every figure comes from a fresh child process (so peak memory is the load's own), with the disk cache off
(``RISKASSESS_CACHE=off``: parse, schema check, build, compile) and warm (a cache directory filled by an
earlier load of the same bytes). Figures are medians of the repeats; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import big_pack
import spec_to_ruleset as s2r

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "low-urban-road.yaml"
TARGET_MS = 20.0


def child(task: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: load ``task['pack']`` ``task['repeats']`` times, each with a fresh Engine."""
    import resource

    from riskassess import Engine
    loads = []
    for _ in range(task["repeats"]):
        engine = Engine()
        t0 = time.perf_counter()
        rule_set = engine.rule_set(Path(task["pack"]))
        loads.append((time.perf_counter() - t0) * 1e3)
    return {"load_ms": loads, "factors": len(rule_set.factors),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(pack: Path, cache: str, repeats: int) -> dict[str, Any]:
    env = {**os.environ, "RISKASSESS_CACHE": cache}
    out = subprocess.run([sys.executable, __file__, "child", json.dumps({"pack": str(pack), "repeats": repeats})],
                         env=env, capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def cli_seconds(args: list[str], cache: str) -> float:
    """Wall seconds of one ``riskassess`` command (a fresh process, as a user runs it)."""
    env = {**os.environ, "RISKASSESS_CACHE": cache}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "riskassess", *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - t0


def extends_chain(tmp: Path, length: int) -> Path:
    """``length`` packs, each extending the one before, the first extending the national pack."""
    previous = "cn-ndrc-2012"
    for i in range(1, length + 1):
        folder = tmp / f"chain{i}"
        folder.mkdir()
        (folder / "ruleset.yaml").write_text(
            f"ruleset_format: 1\nid: chain-{i}\nversion: 1.0.0\ntitle: {{zh: 链{i}, en: Chain {i}}}\n"
            f"jurisdiction: {{zh: 测试, en: Test}}\nextends: {previous}\n", encoding="utf-8")
        previous = f"../chain{i}"
    return tmp / f"chain{length}"


def measure(quick: bool = False) -> list[str]:
    """The Markdown lines of the pack-load table."""
    repeats, big = (3, (1000,)) if quick else (9, (1000, 5000))
    lines = ["## Rule-pack load (issue 9: ≤ 20 ms for 60 factors; issue 10: 5,000 factors in seconds)\n",
             "Each row a fresh process per cache setting, a fresh `Engine` per load; `Engine.rule_set(path)`: read, "
             "parse, size and schema checks, build, compile. Cache *off*: `RISKASSESS_CACHE=off`; *warm*: its "
             "directory filled by an earlier load. Median [min–max] of the loads; peak = the process's maximum "
             "RSS.\n",
             "| pack | factors | cache off | cache warm | peak memory (off) |", "|---|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory(prefix="riskassess-packs-") as tmp_name:
        tmp = Path(tmp_name)
        packs = [("60-factor peer spec", s2r.write_rule_set(s2r.translate(s2r.load_spec()), tmp, "spec.yaml"), repeats),
                 ("national `cn-ndrc-2012`", HERE.parent / "rules" / "cn-ndrc-2012", repeats),
                 ("`extends:` chain of 32 on the national pack", extends_chain(tmp, 32), max(1, repeats // 3))]
        packs += [(f"{n:,} factors (big_pack.py)", big_pack.write(n, tmp / f"big{n}"), 1) for n in big]
        for label, pack, count in packs:
            cache = str(tmp / f"cache-{len(lines)}")
            off = run_child(pack, "off", count)
            run_child(pack, cache, 1)  # fills the cache
            warm = run_child(pack, cache, count)
            lines.append(f"| {label} | {off['factors']:,} | {_ms(off['load_ms'])} | {_ms(warm['load_ms'])} | "
                         f"{off['peak_mib']:.0f} MiB |")
        lines.append("")
        lines += _commands(tmp, big[-1])
    return lines


def _commands(tmp: Path, factors: int) -> list[str]:
    """``evaluate`` then ``verify`` against the biggest pack, as whole commands."""
    pack, record = tmp / f"big{factors}", tmp / "record.json"
    out = [f"Whole commands against the {factors:,}-factor pack (wall seconds, one run each):\n",
           "| command | cache off | cache warm |", "|---|---:|---:|"]
    cache = str(tmp / "cache-commands")
    for label, args in (("`riskassess evaluate` (writes the record)",
                         ["evaluate", str(EXAMPLE), "--rules", str(pack), "--format", "json", "--out", str(record)]),
                        ("`riskassess verify` of that record", ["verify", str(record), "--rules", str(pack)])):
        off = cli_seconds(args, "off")
        cli_seconds(args, cache)
        out.append(f"| {label} | {off:.1f} s | {cli_seconds(args, cache):.1f} s |")
    return [*out, ""]


def _ms(values: list[float]) -> str:
    median = statistics.median(values)
    if median >= 1000:
        return f"{median / 1000:.2f} s"
    spread = f" [{min(values):.0f}–{max(values):.0f}]" if len(values) > 1 else ""
    mark = " ✅" if median <= TARGET_MS else ""
    return f"{median:.0f} ms{spread}{mark}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["child"]:
        print(json.dumps(child(json.loads(argv[1]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 loads a row, big pack of 1,000 factors only")
    print("\n".join(measure(ap.parse_args(argv).quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
