"""Benchmark riskassess against the peers' hand-written reference (ref_python).

    python benchmarks/run.py [--quick] [--rounds 5] [--n 10000] [--scale 500,2000,10000]
                             [--out benchmarks/results/latest.md]

The in-process rows run in one process pinned to one core. Each round measures every
row once, in a rotated order, together with ref_python; ratios are taken
within a round (riskassess / ref_python of the same round) and the median over
rounds is reported with the [min-max] of the round values. Timing uses
``time.perf_counter_ns``; ``gc.collect()`` runs before each timed pass, the
collector stays on. The end-to-end rows that follow (files → records, the
``riskassess batch`` command, the cold CLI) run as child processes: see
endtoend.py. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import endtoend as e2e
import pack_load
import spec_to_ruleset as s2r

s2r.ensure_riskassess_importable()

import riskassess  # noqa: E402
from riskassess.engine import decide  # noqa: E402
from riskassess.errors import RuleSetError  # noqa: E402
from riskassess.plugins import engine_version  # noqa: E402
from riskassess.yamlfile import load_yaml  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "latest.md"
SCALES = (1, 2, 5, 10)  # copies of the 60 factors: 60, 120, 300, 600
TARGETS = {"decide": 3.0, "trace": 6.0, "assess_per_s": 5000.0, "load_ms": 20.0, "questions_ms": 20.0,
           # issue 9 item 6 (end to end)
           "files_per_s": 1000.0, "scaling": 0.8, "memory_growth": 0.10, "stored_kib": 10.0, "cold_ratio": 3.0}
COLD_FILE = HERE.parent / "examples" / "low-urban-road.yaml"
CALIBRATION = HERE.parent / "calibration" / "cases"

clock = time.perf_counter_ns
Round = dict[str, float]


# ----------------------------------------------------------------------------- timing


def time_each(fn: Callable[[Any], Any], items: Sequence[Any]) -> float:
    """Microseconds per item of one pass of ``fn`` over ``items``."""
    gc.collect()
    t0 = clock()
    for x in items:
        fn(x)
    return (clock() - t0) / len(items) / 1e3


def time_repeat(fn: Callable[[], Any], repeats: int) -> float:
    """Median milliseconds of ``repeats`` calls of ``fn``."""
    out = []
    for _ in range(repeats):
        gc.collect()
        t0 = clock()
        fn()
        out.append((clock() - t0) / 1e6)
    return statistics.median(out)


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i: i + size]


class Bench:
    """The data, rule sets and measurement tasks of one run."""

    def __init__(self, a: argparse.Namespace, tmp: Path) -> None:
        self.a = a
        t0 = time.perf_counter()
        self.load_start = os.getloadavg() if hasattr(os, "getloadavg") else None
        self.spec = s2r.load_spec()
        ref_python, gen = s2r.import_peers("ref_python", "gen_questionnaires")
        self.ref_python = ref_python
        self.ref = ref_python.build(self.spec)
        self.doc = s2r.translate(self.spec)
        self.paths = {k: s2r.write_rule_set(s2r.replicate(self.doc, k), tmp, f"ruleset-x{k}.yaml") for k in SCALES}
        self.path = self.paths[1]
        self.engine = riskassess.Engine()
        self.rs = self.engine.rule_set(self.path)
        self.scaled = {k: riskassess.Engine().rule_set(p) for k, p in self.paths.items()}
        self.qs = gen.generate(a.n, a.seed, self.spec)
        step = max(1, len(self.qs) // a.assess_n)
        picked = self.qs[::step][: a.assess_n]
        self.docs = [s2r.questionnaire_data(q) for q in picked]
        self.questionnaires = [self.engine.questionnaire(d, self.rs) for d in self.docs]
        self.scale_qs = self.qs[: a.scale_n]
        res = [self.ref.evaluate(q) for q in self.qs]
        self.grades = {g: sum(r.grade == g for r in res) for g in ("low", "medium", "high")}
        self.mean_matched = sum(len(r.matched) for r in res) / len(res)
        self.record_bytes = 0
        for q in self.qs[:200]:  # warm-up of every path
            self.ref.evaluate(q)
            decide(self.rs, q)
            self.rs.program.trace(q)
        for q in self.questionnaires[:20]:
            json.dumps(self.engine.assess(q, self.rs).record())
        # The national pack on the calibration set: sparse questionnaires as owners write them.
        self.national = self.engine.rule_set("cn-ndrc-2012")
        self.sparse = [self.engine.read_questionnaire(p, self.national) for p in sorted(CALIBRATION.glob("*.yaml"))]
        for q in self.sparse:
            _ = self.engine.assess(q, self.national).questions
        self.setup_s = time.perf_counter() - t0

    # -- tasks: each returns {metric: value} for this round ---------------------------
    def t_ref(self) -> Round:
        return {"ref_us": time_each(self.ref.evaluate, self.qs)}

    def t_decide(self) -> Round:
        rs = self.rs
        return {"decide_us": time_each(lambda q: decide(rs, q), self.qs)}

    def t_trace(self) -> Round:
        rs, trace = self.rs, self.rs.program.trace

        def both(q: Mapping[str, Any]) -> None:
            decide(rs, q)
            trace(q)

        return {"trace_us": time_each(both, self.qs)}

    def t_assess_record(self) -> Round:
        engine, rs = self.engine, self.rs
        return {"assess_record_us": time_each(lambda q: engine.assess(q, rs).record_id, self.questionnaires)}

    def t_assess_parts(self) -> Round:
        engine, rs = self.engine, self.rs
        tot = {"assess_only": 0, "record_id": 0, "record_json": 0}
        size = 0
        for part in chunks(self.questionnaires, 100):  # bounded memory: records are large
            gc.collect()
            t0 = clock()
            done = [engine.assess(q, rs) for q in part]
            t1 = clock()
            for x in done:
                _ = x.record_id
            t2 = clock()
            for x in done:
                size += len(json.dumps(x.record()))
            t3 = clock()
            tot["assess_only"] += t1 - t0
            tot["record_id"] += t2 - t1
            tot["record_json"] += t3 - t2
            del done
        n = len(self.questionnaires)
        self.record_bytes = size / n
        return {f"{k}_us": v / n / 1e3 for k, v in tot.items()}

    def t_sparse(self) -> Round:
        """National pack, calibration questionnaires: assessment with its grade range; decisive questions."""
        engine, rs = self.engine, self.national
        ranged = time_each(lambda q: engine.assess(q, rs).grade_range, self.sparse)
        times = []
        for q in self.sparse:
            a = engine.assess(q, rs)
            _ = a.grade_range
            t0 = clock()
            _ = a.questions
            times.append((clock() - t0) / 1e6)
        return {"sparse_range_us": ranged, "questions_ms": statistics.median(times),
                "questions_max_ms": max(times)}

    def t_validate(self) -> Round:
        engine, rs = self.engine, self.rs
        return {"validate_us": time_each(lambda d: engine.questionnaire(d, rs), self.docs)}

    def t_load(self) -> Round:
        r = self.a.load_repeats
        engines = [riskassess.Engine() for _ in range(r)]
        it = iter(engines)
        load_ms = time_repeat(lambda: next(it).rule_set(self.path), r)
        return {
            "load_ms": load_ms,
            "yaml_ms": time_repeat(lambda: load_yaml(self.path, error=RuleSetError), r),
            "engine_ms": time_repeat(riskassess.Engine, r),
            "ref_build_ms": time_repeat(lambda: self.ref_python.build(self.spec), max(r, 20)),
        }

    def t_scaling(self) -> Round:
        out: Round = {}
        trace_of = {k: rs.program.trace for k, rs in self.scaled.items()}
        for k in SCALES:
            rs, trace = self.scaled[k], trace_of[k]

            def both(q: Mapping[str, Any], rs: riskassess.RuleSet = rs, trace: Any = trace) -> None:
                decide(rs, q)
                trace(q)

            out[f"x{k}_decide_us"] = time_each(lambda q, rs=rs: decide(rs, q), self.scale_qs)
            out[f"x{k}_trace_us"] = time_each(both, self.scale_qs)
            out[f"x{k}_load_ms"] = time_repeat(lambda p=self.paths[k]: riskassess.Engine().rule_set(p), 1)
        return out

    def tasks(self) -> list[Callable[[], Round]]:
        return [self.t_ref, self.t_decide, self.t_trace, self.t_assess_record, self.t_assess_parts,
                self.t_sparse, self.t_validate, self.t_load, self.t_scaling]


# ----------------------------------------------------------------------------- end to end


def end_to_end(b: Bench, tmp: Path, cpu: int | None, allowed: set[int]) -> dict[str, Any]:
    """Files → records (run_batch in a child, one core and all cores), `riskassess batch`, register size,
    cold CLI. Returns the raw figures for the report and latest.json."""
    a = b.a

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    one = {cpu} if cpu is not None else allowed
    cores = len(allowed)
    modes = [(1, one), (cores, allowed)] if cores > 1 else [(1, one)]
    env = {**os.environ, "RISKASSESS_CACHE": str(tmp / "cache")}
    out: dict[str, Any] = {"cores": sorted(allowed), "one_core": sorted(one), "counts": a.scale, "api": [],
                           "peer": [], "cli": []}
    t0 = time.perf_counter()
    national = tmp / "national"
    files = e2e.write_national(max(a.scale), a.seed, national)
    out["generate_s"] = time.perf_counter() - t0
    out["file_kib"] = statistics.fmean(p.stat().st_size for p in files) / 1024
    say(f"wrote {len(files):,} questionnaire files in {out['generate_s']:.1f}s")
    e2e.batch_api(national, min(9, len(files)), e2e.NATIONAL, 1, tmp / "out", env, one)  # warm-up: cache, files
    for n in a.scale:
        runs: dict[int, list[dict[str, Any]]] = {}
        for rep in range(a.e2e_repeats):  # jobs = 1 and jobs = all cores in turn
            for jobs, cpus in modes:
                r = e2e.batch_api(national, n, e2e.NATIONAL, jobs, tmp / "out", env, cpus,
                                  keep=tmp / "kept" if (n == a.scale[0] and jobs == 1 and rep == 0) else None)
                runs.setdefault(jobs, []).append(r)
                say(f"run_batch national n={n:,} jobs={jobs}: {r['files_per_s']:,.0f} files/s, "
                    f"{r['self_hwm_kib'] / 1024:.0f} MiB, tree {r['tree_kib'] / 1024:.0f} MiB, {r['statuses']}")
        out["api"] += [merged(rs) for rs in runs.values()]
    out["register"] = e2e.register_bytes(tmp / "kept", tmp, a.register_n)
    out["to_register"] = []
    for n in a.scale:  # files → register entries (kernels, no record files): issue 9's ≥ 1,000 files/s
        for jobs, cpus in modes:
            r = e2e.batch_api(national, n, e2e.NATIONAL, jobs, tmp / "out", env, cpus,
                              register=tmp / "api-register.sqlite")
            out["to_register"].append(r)
            say(f"run_batch → register n={n:,} jobs={jobs}: {r['files_per_s']:,.0f} files/s, "
                f"{r['self_hwm_kib'] / 1024:.0f} MiB, {r['register_kib_per_entry']:.1f} KiB/entry, {r['statuses']}")
    say(f"register: {out['register']}")
    peer_n = a.scale[0]
    peer_dir = tmp / "peer"
    e2e.write_peer(b.qs[:peer_n], peer_dir)
    for jobs, cpus in modes:
        r = e2e.batch_api(peer_dir, peer_n, str(b.path), jobs, tmp / "out", env, cpus)
        out["peer"].append(r)
        say(f"run_batch peer n={peer_n:,} jobs={jobs}: {r['files_per_s']:,.0f} files/s, {r['statuses']}")
    n_cli = min(a.cli_files or a.scale[0], len(files))
    cli_dir = e2e.link_subset(files[:n_cli], tmp / f"cli-{n_cli}")
    for (jobs, cpus), register in [*((m, None) for m in modes), (modes[-1], tmp / "cli-register.sqlite")]:
        r = e2e.batch_cli(cli_dir, n_cli, e2e.NATIONAL, jobs, tmp / "out", env, cpus, register)
        out["cli"].append(r)
        say(f"riskassess batch n={n_cli:,} --jobs {jobs}{' --register' if register else ''}: {r['seconds']:.1f} s, "
            f"{r['files_per_s']:,.0f} files/s")
    out["cold"] = e2e.cold_cli(a.cold_runs, COLD_FILE, tmp / "cold-cache", one, say)
    out["load_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    return out


def merged(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Repeats of one run_batch row: median speed with its [min–max], the highest memory, all outcomes."""
    speeds = [r["files_per_s"] for r in runs]
    out = dict(runs[0])
    out.update(files_per_s=statistics.median(speeds), files_per_s_min=min(speeds), files_per_s_max=max(speeds),
               seconds=statistics.median(r["seconds"] for r in runs), repeats=len(runs),
               cpu_s=statistics.median(r["cpu_s"] for r in runs),
               **{k: max(r[k] for r in runs) for k in ("self_hwm_kib", "workers_hwm_kib", "tree_kib")})
    out["statuses"] = {k: sum(r["statuses"].get(k, 0) for r in runs) // len(runs)
                       for k in {k for r in runs for k in r["statuses"]}}
    out["failed_examples"] = [e for r in runs for e in r.get("failed_examples", [])]
    return out


def e2e_report(x: dict[str, Any], a: argparse.Namespace) -> list[str]:
    ok, no = "✅", "❌"
    def mib(kib: float) -> str:
        return f"{kib / 1024:.0f}"

    api = {(r["n"], r["jobs"]): r for r in x["api"]}
    cores = len(x["cores"])
    counts = x["counts"]
    L = ["## Files to records, end to end\n"]
    L.append(f"{max(counts):,} questionnaire files generated from the 9 `examples/` with their numbers perturbed "
             f"(seed {a.seed}; mean {x['file_kib']:.1f} KiB, no comments; written in {x['generate_s']:.1f} s), graded "
             f"under `{e2e.NATIONAL}`; the first *n* of them per row. Each row is a fresh child process timing "
             "`riskassess.batch.run_batch(files, rules, jobs=J, out_dir=…)` (imports excluded, worker start-up "
             f"included); national rows: {a.e2e_repeats} run(s) each, jobs = 1 and jobs = {cores} in turn, median "
             "[min–max] files/s and the highest memory; CPU = user + system time of the batch process and its "
             "workers during the call; jobs = 1 pinned to core "
             f"{x['one_core']}, jobs = {cores} on cores {x['cores']}. The "
             "rule-set cache is warm (`$RISKASSESS_CACHE` in the run's temporary directory). Memory: the peak RSS "
             "(VmHWM) of the batch process and of its largest worker, and the peak of the process tree's summed PSS "
             f"(shared pages counted once), sampled from `/proc` every {e2e.SAMPLE_S * 1e3:.0f} ms.\n")
    L.append("| workload | files | jobs | `run_batch` s | files/s | speed-up vs jobs = 1 | CPU ms per file "
             "| peak RSS batch process MiB "
             "| largest worker MiB | process tree PSS MiB | mean record KiB | graded / failed |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def row(label: str, r: dict[str, Any], base: dict[str, Any] | None) -> str:
        st = r.get("statuses", {})
        sc = f"{r['files_per_s'] / base['files_per_s']:.2f}×" if base is not None and base is not r else "–"
        worker = mib(r["workers_hwm_kib"]) if r["jobs"] > 1 else "–"
        spread = (f" [{r['files_per_s_min']:,.0f}–{r['files_per_s_max']:,.0f}]"
                  if r.get("repeats", 1) > 1 else "")
        return (f"| {label} | {r['n']:,} | {r['jobs']} | {r['seconds']:.2f} | **{r['files_per_s']:,.0f}**{spread} | "
                f"{sc} | {r['cpu_s'] / r['n'] * 1e3:.1f} | "
                f"{mib(r['self_hwm_kib'])} | {worker} | {mib(r['tree_kib'])} | {r['record_kib']:.0f} | "
                f"{st.get('graded', 0):,} / {st.get('failed', 0)} |")

    for n in counts:
        for jobs in sorted({1, cores}):
            L.append(row("national pack, perturbed examples", api[(n, jobs)], api[(n, 1)]))
    for r in x["peer"]:
        L.append(row("peer spec (60 factors), `gen_questionnaires`", r, x["peer"][0]))
    fails = [e for r in x["api"] + x["peer"] for e in r.get("failed_examples", [])]
    if fails:
        L.append(f"\nfailed files, e.g.: {fails[:2]}")
    reg = x["register"]
    L.append(f"\nSQLite register (`open_register(…).add(records)`, {reg['n']:,} of the records above in one "
             f"transaction): **{reg['kib_per_entry']:.0f} KiB per stored assessment** (the records average "
             f"{reg['record_kib']:.0f} KiB), {reg['entries_per_s']:,.0f} entries/s.\n")
    if x.get("to_register"):
        L.append("Files to register entries (`run_batch(…, for_register=True)` with a `RegisterSink` on a new SQLite "
                 "register: what an entry keeps is the record's kernel and answers, no record files):\n")
        L.append("| files | jobs | files/s | CPU ms per file | process peak RSS MiB | KiB per entry (file with WAL) "
                 "| ≥ 1,000 files/s on one core |")
        L.append("|---:|---:|---:|---:|---:|---:|:---:|")
        for r in x["to_register"]:
            target = (ok if r["files_per_s"] >= 1000 else no) if r["jobs"] == 1 else ""
            L.append(f"| {r['n']:,} | {r['jobs']} | {r['files_per_s']:,.0f} | {r['cpu_s'] / r['n'] * 1e3:.2f} | "
                     f"{mib(r['self_hwm_kib'])} | {r['register_kib_per_entry']:.1f} | {target} |")
        L.append("")
    L.append("The command, as a whole process (interpreter start, imports, file listing, rule-set load, summary; no "
             "progress bar since stderr is not a terminal):\n")
    L.append("| command | files | wall s | files/s | process tree PSS MiB | records written |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for r in x["cli"]:
        flag = " --register REG" if r.get("register") else ""
        L.append(f"| `riskassess batch DIR --out OUT --jobs {r['jobs']}{flag}` | {r['n']:,} | {r['seconds']:.2f} | "
                 f"{r['files_per_s']:,.0f} | {mib(r['tree_kib'])} | {r['records']:,} |")
    for r in x["cli"]:
        if r.get("register_kib") and r["records"]:
            L.append(f"\nThe register that `--register` wrote (SQLite, with its WAL): "
                     f"{r['register_kib'] / 1024:.1f} MiB for {r['records']:,} assessments, "
                     f"{r['register_kib'] / r['records']:.0f} KiB each.")
    L.append("")

    c = x["cold"]
    rounds = len(c["yaml"])
    L.append("## Cold start of the CLI\n")
    L.append(f"`{COLD_FILE.relative_to(s2r.REPO)}`; {rounds} rounds after one uncounted warm-up round, the four "
             "commands in a rotated order each round, each a fresh process (pinned to one core, output to /dev/null); "
             "wall time from start to exit. Ratio = per-round command / YAML load of the same round, median "
             "[min–max]. The YAML load is `python -c \"import yaml; yaml.load(open(FILE), "
             "Loader=yaml.CSafeLoader)\"` with the same interpreter.\n")
    L.append("| command | median ms [min–max] | ratio to the YAML load | target | met |")
    L.append("|---|---:|---:|---:|:---:|")

    def ms(name: str) -> str:
        v = c[name]
        return f"{statistics.median(v) * 1e3:.0f} [{min(v) * 1e3:.0f}–{max(v) * 1e3:.0f}]"

    L.append(f"| python: load the questionnaire YAML (CSafeLoader) | {ms('yaml')} | 1 | | |")
    cold_met = {}
    for name, label in (("evaluate_warm", "`riskassess evaluate FILE --format json`, rule-set cache warm"),
                        ("evaluate_off", "the same, `RISKASSESS_CACHE=off`"),
                        ("version", "`riskassess --version` (the import floor)")):
        r = e2e.paired(c, name)
        target = name.startswith("evaluate")
        cold_met[name] = r[0] <= TARGETS["cold_ratio"]
        L.append(f"| {label} | {ms(name)} | {fx(r)} | {'≤ 3×' if target else ''} | "
                 f"{(ok if cold_met[name] else no) if target else ''} |")
    L.append("")

    # The targets of issue 9 item 6.
    lo, hi = counts[0], counts[-1]
    one_hi, all_hi = api[(hi, 1)], api[(hi, cores)]
    speedup = all_hi["files_per_s"] / one_hi["files_per_s"]
    grow1 = one_hi["self_hwm_kib"] / api[(lo, 1)]["self_hwm_kib"] - 1
    growt = all_hi["tree_kib"] / api[(lo, cores)]["tree_kib"] - 1
    flat = max(grow1, growt) <= TARGETS["memory_growth"]
    rec_kib = statistics.fmean(r["record_kib"] for r in x["api"] if r["records"])
    L.append("## Targets of issue 9 (item 6)\n")
    L.append("| target | measured | met |")
    L.append("|---|---|:---:|")
    to_reg = {(r["n"], r["jobs"]): r for r in x.get("to_register", [])}
    reg_one = to_reg.get((hi, 1))
    if reg_one is not None:
        L.append(f"| files → entries in the register ≥ {TARGETS['files_per_s']:,.0f} files/s on one core | "
                 f"{reg_one['files_per_s']:,.0f} files/s (`run_batch(…, for_register=True)`, jobs = 1, {hi:,} files; "
                 f"{one_hi['files_per_s']:,.0f} files/s writing whole record files) | "
                 f"{ok if reg_one['files_per_s'] >= TARGETS['files_per_s'] else no} |")
    else:
        L.append(f"| files → records ≥ {TARGETS['files_per_s']:,.0f} files/s on one core | "
                 f"{one_hi['files_per_s']:,.0f} files/s (`run_batch`, jobs = 1, {hi:,} files) | "
                 f"{ok if one_hi['files_per_s'] >= TARGETS['files_per_s'] else no} |")
    L.append(f"| near-linear on more cores (here: speed-up ≥ {TARGETS['scaling']:.0%} of {cores} cores) | "
             f"{all_hi['files_per_s']:,.0f} files/s on {cores} = {speedup:.2f}× | "
             f"{ok if speedup >= TARGETS['scaling'] * cores else no} |")
    L.append(f"| memory flat as the count grows (≤ {TARGETS['memory_growth']:.0%} from {lo:,} to {hi:,} files) | "
             f"batch process {mib(api[(lo, 1)]['self_hwm_kib'])} → {mib(one_hi['self_hwm_kib'])} MiB "
             f"({grow1:+.0%}); tree on {cores} cores {mib(api[(lo, cores)]['tree_kib'])} → "
             f"{mib(all_hi['tree_kib'])} MiB ({growt:+.0%})"
             + (" — too few files to tell; run with `--scale 500,2000,10000`" if hi < 2000 else "")
             + f" | {(ok if flat else no) if hi >= 2000 else '–'} |")
    via_cli = [r["register_kib"] / r["records"] for r in x["cli"] if r.get("register_kib") and r["records"]]
    stored = [reg["kib_per_entry"], *via_cli, *(r["register_kib_per_entry"] for r in to_reg.values())]
    L.append(f"| ≤ {TARGETS['stored_kib']:.0f} KiB per stored assessment (a register entry; the record file it "
             f"regenerates is {rec_kib:.0f} KiB) | register {reg['kib_per_entry']:.1f} KiB per entry"
             + (f" ({via_cli[0]:.1f} KiB written by `batch --register`)" if via_cli else "") + " | "
             f"{ok if max(stored) <= TARGETS['stored_kib'] else no} |")
    L.append(f"| cold `riskassess evaluate` within {TARGETS['cold_ratio']:.0f}× the YAML load | cache warm "
             f"{e2e.paired(c, 'evaluate_warm')[0]:.1f}×, cache off {e2e.paired(c, 'evaluate_off')[0]:.1f}× | "
             f"{ok if cold_met['evaluate_warm'] else no} warm, {ok if cold_met['evaluate_off'] else no} off |")
    return L


# ----------------------------------------------------------------------------- report


def med(rounds: Sequence[Round], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def ratio(rounds: Sequence[Round], key: str, base: str, invert: bool = False) -> tuple[float, float, float]:
    """Median, min and max over rounds of rounds[key] / rounds[base] (or the inverse)."""
    xs = [(r[base] / r[key]) if invert else (r[key] / r[base]) for r in rounds]
    return statistics.median(xs), min(xs), max(xs)


def fx(r: tuple[float, float, float]) -> str:
    def one(x: float) -> str:
        return f"{x:.2f}" if x < 10 else f"{x:,.0f}"
    return f"{one(r[0])}× [{one(r[1])}–{one(r[2])}]"


def fnum(x: float, nd: int = 1) -> str:
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.{nd}f}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x: (a, b, r_squared)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return a, b, 1 - ss_res / ss_tot if ss_tot else 1.0


def peers_figures() -> list[str]:
    """The peers' published batch figures (results.md), for context; empty if unreadable."""
    try:
        text = (s2r.peers_dir() / "results.md").read_text(encoding="utf-8")
        part = text.split("## Evaluation speed", 1)[1].split("\n## ", 1)[0]
        rows = [ln for ln in part.splitlines() if ln.startswith("| ") and not ln.startswith("| engine")]
        keep = ("ref_python", "zen_expr", "zen_table", "cel_rs", "interp_python", "jsonlogic")
        out = ["| peer engine (published) | latency µs | µs per q in batch | batch slowdown |", "|---|---:|---:|---:|"]
        for ln in rows:
            cells = [c.strip() for c in ln.strip("|").split("|")]
            if cells[0] in keep and len(cells) >= 8:
                out.append(f"| {cells[0]} | {cells[1]} | {cells[6]} | {cells[7]} |")
        date = re.search(r"- date: (.+)", text)
        return [f"Peers' published figures ({date.group(1) if date else 'results.md'}; a different "
                "process/run, context only):", "", *out] if len(out) > 2 else []
    except (OSError, IndexError, SystemExit):
        return []


def report(b: Bench, rounds: list[Round], cpu: int | None, wall_s: float, x: dict[str, Any] | None = None) -> str:
    a = b.a
    ok = "✅"
    no = "❌"
    L: list[str] = ["# riskassess vs. peer benchmark reference (ref_python)", ""]
    L.append(f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    L.append(f"- python: {platform.python_implementation()} {platform.python_version()}; "
             f"riskassess {engine_version()}")
    L.append(f"- cpu: {cpu_model()} ({os.cpu_count()} cores); process pinned to core "
             f"{cpu if cpu is not None else 'n/a (no sched_setaffinity)'}")
    L.append(f"- data: peers' gen_questionnaires seed {a.seed}, N = {a.n:,} questionnaires "
             f"(grades {b.grades}, mean {b.mean_matched:.1f} matched factors); assessment rows on "
             f"{len(b.questionnaires):,} of them, scaling on {len(b.scale_qs):,}")
    L.append(f"- rule set: spec.yaml translated by benchmarks/spec_to_ruleset.py, {len(b.rs.factors)} factors, "
             "loaded through Engine().rule_set(path)")
    L.append(f"- method: {len(rounds)} rounds in one process, row order rotated per round; value = median over "
             "rounds; ratio = per-round riskassess / ref_python, median [min–max]; "
             f"setup {b.setup_s:.1f} s, total {wall_s:.0f} s{' (--quick)' if a.quick else ''}")
    if b.load_start is not None:
        end = x.get("load_end") if x else None
        L.append(f"- machine load (1/5/15-min load average) at the start {'/'.join(f'{v:.2f}' for v in b.load_start)}"
                 + (f", at the end {'/'.join(f'{v:.2f}' for v in end)}" if end else "")
                 + "; other work on this machine shows here and in the [min–max] spreads")
    L.append("")

    ref = med(rounds, "ref_us")
    dec, trc = med(rounds, "decide_us"), med(rounds, "trace_us")
    rdec, rtrc = ratio(rounds, "decide_us", "ref_us"), ratio(rounds, "trace_us", "ref_us")
    ar = med(rounds, "assess_record_us")
    per_s = 1e6 / ar
    L.append("## Evaluation and assessment\n")
    L.append("| row | riskassess | ref_python | ratio to ref_python | target | met |")
    L.append("|---|---:|---:|---:|---:|:---:|")
    L.append(f"| evaluate, trace off: `decide(rule_set, q)` | {fnum(dec, 2)} µs/q ({1e6 / dec:,.0f} q/s) | "
             f"{fnum(ref, 2)} µs/q ({1e6 / ref:,.0f} q/s) | {fx(rdec)} | ≤ {TARGETS['decide']:.0f}× | "
             f"{ok if rdec[0] <= TARGETS['decide'] else no} |")
    L.append(f"| evaluate, full condition trace: `decide` + `program.trace(q)` | {fnum(trc, 2)} µs/q | "
             f"{fnum(ref, 2)} µs/q | {fx(rtrc)} | ≤ {TARGETS['trace']:.0f}× | "
             f"{ok if rtrc[0] <= TARGETS['trace'] else no} |")
    L.append(f"| complete assessment: `engine.assess(q, rule_set).record_id` | {fnum(ar)} µs "
             f"(**{per_s:,.0f} assessments/s**) | {fnum(ref, 2)} µs/q | "
             f"{fx(ratio(rounds, 'assess_record_us', 'ref_us'))} | ≥ {TARGETS['assess_per_s']:,.0f}/s | "
             f"{ok if per_s >= TARGETS['assess_per_s'] else no} |")
    L.append(f"| ↳ of which `engine.assess` (trace, results, derivations) | {fnum(med(rounds, 'assess_only_us'))} µs "
             f"| | {fx(ratio(rounds, 'assess_only_us', 'ref_us'))} | | |")
    L.append(f"| ↳ of which `.record_id` (record content + canonical JSON + SHA-256) | "
             f"{fnum(med(rounds, 'record_id_us'))} µs | | {fx(ratio(rounds, 'record_id_us', 'ref_us'))} | | |")
    L.append(f"| full record: `json.dumps(assessment.record())` ({b.record_bytes / 1024:.0f} KB) | "
             f"{fnum(med(rounds, 'record_json_us'))} µs | | {fx(ratio(rounds, 'record_json_us', 'ref_us'))} | | |")
    sr, qm = med(rounds, "sparse_range_us"), med(rounds, "questions_ms")
    L.append(f"| national pack, {len(b.sparse)} sparse calibration questionnaires: `engine.assess(q, rs).grade_range` "
             f"| {fnum(sr)} µs ({1e6 / sr:,.0f}/s) | | {fx(ratio(rounds, 'sparse_range_us', 'ref_us'))} | | |")
    L.append(f"| ↳ decisive questions: `assessment.questions` (median over questionnaires; max "
             f"{fnum(med(rounds, 'questions_max_ms'))} ms) | {fnum(qm)} ms | | | ≤ {TARGETS['questions_ms']:.0f} ms | "
             f"{ok if qm <= TARGETS['questions_ms'] else no} |")
    L.append(f"| input parsing: `engine.questionnaire(dict, rule_set)` (schema validation + canonical form) | "
             f"{fnum(med(rounds, 'validate_us'))} µs/q | | {fx(ratio(rounds, 'validate_us', 'ref_us'))} | | |")
    L.append("")

    load, yml = med(rounds, "load_ms"), med(rounds, "yaml_ms")
    L.append("## Rule-set load and compile\n")
    L.append("| row | riskassess | ref_python build | ratio | anchor (peers' notes) | met |")
    L.append("|---|---:|---:|---:|---:|:---:|")
    rb = med(rounds, "ref_build_ms")
    L.append(f"| `Engine().rule_set(path)`, 60 factors (fresh Engine each time; read + YAML + schema + "
             f"checks + compile) | {fnum(load, 2)} ms | {rb * 1e3:.1f} µs | "
             f"{fx(ratio(rounds, 'load_ms', 'ref_build_ms'))} | | |")
    L.append(f"| ↳ of which strict YAML parse (`yamlfile.load_yaml`) | {fnum(yml, 2)} ms | | | | |")
    L.append(f"| ↳ load minus YAML parse | {fnum(load - yml, 2)} ms | | | ≤ {TARGETS['load_ms']:.0f} ms | "
             f"{ok if load - yml <= TARGETS['load_ms'] else no} |")
    L.append(f"| `riskassess.Engine()` (plugin manager + contributions; not in the row above) | "
             f"{fnum(med(rounds, 'engine_ms'), 2)} ms | | | | |")
    L.append("")

    L.append("## Scaling with the number of factors\n")
    L.append("Factors replicated with renamed ids (`bench.LAND-01a.r2`, …); same questionnaires. "
             "Per-factor cost should stay flat if growth is linear.\n")
    L.append("| factors | load ms | trace off µs/q | µs/q per factor | marginal µs per added factor "
             "| trace on µs/q | µs/q per factor | marginal µs per added factor |")
    L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    nf = [60 * k for k in SCALES]
    dv = [med(rounds, f"x{k}_decide_us") for k in SCALES]
    tv = [med(rounds, f"x{k}_trace_us") for k in SCALES]
    for k, n, d, t in zip(SCALES, nf, dv, tv, strict=True):
        md = f"{(d - dv[0]) / (n - nf[0]):.3f}" if n > nf[0] else "–"
        mt = f"{(t - tv[0]) / (n - nf[0]):.3f}" if n > nf[0] else "–"
        L.append(f"| {n} | {fnum(med(rounds, f'x{k}_load_ms'), 1)} | {fnum(d, 2)} | {d / n:.3f} | {md} "
                 f"| {fnum(t, 2)} | {t / n:.3f} | {mt} |")
    for label, ys in (("trace off", dv), ("trace on", tv)):
        a0, b1, r2 = linear_fit(nf, ys)
        L.append(f"\n{label}: least-squares fit µs/q = {a0:.2f} + {b1:.4f} × factors, R² = {r2:.4f}")
    lv = [med(rounds, f"x{k}_load_ms") for k in SCALES]
    a0, b1, r2 = linear_fit(nf, lv)
    L.append(f"\nload: ms = {a0:.1f} + {b1:.3f} × factors, R² = {r2:.4f}")
    if x is not None:
        L += ["", *e2e_report(x, a)]
    peers = peers_figures()
    if peers:
        L += ["", "## Context", "", *peers]
    return "\n".join(L) + "\n"


# ------------------------------------------------------------------------------- main


def pin(cpu: int | None) -> int | None:
    """Pin this process to ``cpu`` (default: the last core it may use)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    cpu = allowed[-1] if cpu is None else cpu
    os.sched_setaffinity(0, {cpu})
    return cpu


def counts(text: str) -> list[int]:
    """``500,2000,10000`` -> [500, 2000, 10000] (sorted, each at least 2)."""
    try:
        out = sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of counts: {text!r}") from None
    if not out or out[0] < 2:
        raise argparse.ArgumentTypeError("counts are at least 2")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the Markdown report and write it to ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="~20 s smoke run (small N, 2 rounds)")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--n", type=int, help="questionnaires for the evaluation rows (default 10,000)")
    ap.add_argument("--assess-n", type=int, help="questionnaires for the assessment rows (default 1,000)")
    ap.add_argument("--scale-n", type=int, help="questionnaires for the scaling rows (default 2,000)")
    ap.add_argument("--load-repeats", type=int, help="rule-set loads per round (default 5)")
    ap.add_argument("--scale", type=counts, help="file counts for the files → records rows, smallest first "
                    "(default 300,1000; --quick 40,120; e.g. 500,2000,10000)")
    ap.add_argument("--e2e-repeats", type=int, help="runs of each national run_batch row (default 3; --quick 1)")
    ap.add_argument("--cli-files", type=int, help="files for the `riskassess batch` rows (default: the smallest count)")
    ap.add_argument("--register-n", type=int, default=500, help="records added to the register row (default 500)")
    ap.add_argument("--cold-runs", type=int, help="rounds of the cold-CLI runs (default 20; --quick 10)")
    ap.add_argument("--skip-e2e", action="store_true", help="only the in-process rows")
    ap.add_argument("--skip-packs", action="store_true", help="without the rule-pack load rows (pack_load.py)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--cpu", type=int, help="core to pin to (default: the last allowed one)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    a = ap.parse_args(argv)
    defaults = ({"rounds": 2, "n": 2000, "assess_n": 150, "scale_n": 300, "load_repeats": 2, "scale": [40, 120],
                 "cold_runs": 10, "e2e_repeats": 1} if a.quick else
                {"rounds": 7, "n": 10_000, "assess_n": 1000, "scale_n": 2000, "load_repeats": 5, "scale": [300, 1000],
                 "cold_runs": 20, "e2e_repeats": 3})
    for k, v in defaults.items():
        if getattr(a, k) is None:
            setattr(a, k, v)

    allowed = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set(range(os.cpu_count() or 1))
    cpu = pin(a.cpu)
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="riskassess-bench-") as tmp:
        b = Bench(a, Path(tmp))
        print(f"setup {b.setup_s:.1f}s: {a.n} questionnaires, {len(b.questionnaires)} for assessment; "
              f"{a.rounds} rounds", file=sys.stderr, flush=True)
        rounds: list[Round] = []
        tasks = b.tasks()
        for i in range(a.rounds):
            k = i % len(tasks)
            rec: Round = {}
            for task in tasks[k:] + tasks[:k]:
                rec.update(task())
            rounds.append(rec)
            print(f"round {i + 1}/{a.rounds}: ref {rec['ref_us']:.2f} µs/q, decide {rec['decide_us']:.2f}, "
                  f"trace {rec['trace_us']:.2f}, assess+record_id {rec['assess_record_us']:.0f} µs, "
                  f"load {rec['load_ms']:.1f} ms ({time.perf_counter() - t_start:.0f}s)", file=sys.stderr, flush=True)
        x = None if a.skip_e2e else end_to_end(b, Path(tmp), cpu, allowed)
        text = report(b, rounds, cpu, time.perf_counter() - t_start, x)
    if not a.skip_packs:  # fresh child processes, after the pinned rounds
        text += "\n" + "\n".join(pack_load.measure(a.quick))
    print(text)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    (a.out.with_suffix(".json")).write_text(json.dumps({"args": {k: str(v) for k, v in vars(a).items()},
                                                        "rounds": rounds, "end_to_end": x}, indent=1),
                                            encoding="utf-8")
    print(f"wrote {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
