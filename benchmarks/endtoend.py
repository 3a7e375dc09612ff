"""End-to-end measurements for run.py: files → records on disk, and the cold CLI.

* :func:`write_national` writes N national-pack questionnaire files, each one of the ``examples/``
  with its numbers perturbed (deterministic for a seed; consistent, so every file grades);
  :func:`write_peer` writes N of the peers' generated questionnaires (through
  ``spec_to_ruleset.questionnaire_data``) for the translated peer rule set.
* :func:`batch_api` times ``riskassess.batch.run_batch(files, rules, jobs=J, out_dir=…)`` in a fresh
  child process (this file run as ``python endtoend.py child …``) and reports files/s, the CPU time of
  the process and its workers per file (robust when other work shares the cores), the peak RSS of
  the batch process (its own VmHWM at the end) and of its largest worker, the peak PSS of the whole
  process tree (both sampled from ``/proc`` every 50 ms by the parent), the outcome statuses and the
  mean size of the written records. :func:`batch_cli` does the same for ``riskassess batch DIR --out … --jobs J`` (whole
  process, wall time).
* :func:`cold_cli` runs ``riskassess evaluate FILE --format json`` (rule-set cache warm, and
  ``RISKASSESS_CACHE=off``) and ``riskassess --version`` in turn with
  ``python -c "import yaml; yaml.load(open(FILE), Loader=yaml.CSafeLoader)"``, round after round in a
  rotated order, and gives medians and per-round ratios.

Only ``examples/``, the installed riskassess and (for the peer workload) the peer benchmark are read;
everything written goes under the temporary directory run.py passes in.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import spec_to_ruleset as s2r
import yaml

EXAMPLES = s2r.REPO / "examples"
NATIONAL = "cn-ndrc-2012"
SAMPLE_S = 0.05  # memory sampling period of the process tree
FRACTION_SUFFIXES = ("_rate", "_share", "_coverage")
NO_FLIP = {"forced_demolition_planned"}  # true needs relocated households (a consistency check)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """riskassess refuses YAML anchors/aliases, so never emit them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(doc: Mapping[str, Any]) -> str:
    return yaml.dump(dict(doc), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


# ------------------------------------------------------------------------ generated files


def _scale(rng: random.Random, sigma: float = 0.5) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def perturb(base: Mapping[str, Any], rng: random.Random, k: int) -> dict[str, Any]:
    """One example with its numbers and some yes/no answers changed; the result stays consistent."""
    doc = copy.deepcopy(dict(base))
    project = doc["project"]
    project["id"] = f"{project['id']}-B{k:05d}"
    project["name"] = f"{project['name']}（批量 {k}）"
    if isinstance(project.get("investment_10k_cny"), int):
        project["investment_10k_cny"] = max(1, round(project["investment_10k_cny"] * _scale(rng)))
    for name in ("land", "environment", "labor", "public", "order", "controllability"):
        section = doc.get(name)
        if not isinstance(section, dict):
            continue
        for key, value in list(section.items()):
            if isinstance(value, bool):
                if key not in NO_FLIP and rng.random() < 0.03:
                    section[key] = not value
            elif isinstance(value, int | float) and key.endswith(FRACTION_SUFFIXES):
                section[key] = round(min(1.0, max(0.0, value + rng.gauss(0.0, 0.12))), 3)
            elif isinstance(value, float):
                section[key] = round(value * _scale(rng, 0.15 if key.endswith("_ratio_to_standard") else 0.5), 2)
            elif isinstance(value, int):
                if value > 0 and rng.random() < 0.7:
                    section[key] = max(1, round(value * _scale(rng)))
                elif value == 0 and rng.random() < 0.03:
                    section[key] = rng.randint(1, 5)
    _make_consistent(doc, rng)
    return doc


def _make_consistent(doc: dict[str, Any], rng: random.Random) -> None:
    land, env = doc.get("land") or {}, doc.get("environment") or {}
    labor, order, public = doc.get("labor") or {}, doc.get("order") or {}, doc.get("public") or {}
    whole = land.get("expropriated_area_mu")
    for part in ("collective_land_mu", "basic_farmland_mu"):
        if isinstance(whole, int | float) and isinstance(land.get(part), int | float) and land[part] > whole:
            land[part] = whole if isinstance(land[part], float) or isinstance(whole, int) else int(whole)
    if land.get("forced_demolition_planned") and not land.get("households_relocated"):
        land["households_relocated"] = rng.randint(1, 20)
    radii = [k for k in ("residents_within_1km", "residents_within_3km", "residents_within_4km") if k in env]
    for inner, outer in itertools.pairwise(radii):
        env[outer] = max(env[outer], env[inner])
    if "layoffs" in labor and "staff_before_layoffs" in labor:
        labor["staff_before_layoffs"] = max(labor["staff_before_layoffs"], labor["layoffs"])
    if not order.get("mass_incidents_3y") and "largest_incident_size" in order:
        order["largest_incident_size"] = 0
    survey = public.get("survey")
    if isinstance(survey, dict) and isinstance(survey.get("issued"), int):
        f = _scale(rng, 0.3)
        survey["issued"] = issued = max(1, round(survey["issued"] * f))
        if isinstance(survey.get("valid"), int):
            survey["valid"] = min(issued, round(survey["valid"] * f))
        cap = survey.get("valid", issued)
        counts = [k for k in ("support", "conditional", "oppose") if isinstance(survey.get(k), int)]
        for k in counts:
            survey[k] = round(survey[k] * f * _scale(rng, 0.3))
        total = sum(survey[k] for k in counts)
        if total > cap:
            for k in counts:
                survey[k] = survey[k] * cap // total


def national_bases() -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=loader) for p in sorted(EXAMPLES.glob("*.yaml"))]


def write_national(n: int, seed: int, directory: Path) -> list[Path]:
    """``n`` perturbed national-pack questionnaires in ``directory`` (the examples in turn)."""
    directory.mkdir(parents=True, exist_ok=True)
    bases, rng = national_bases(), random.Random(seed)
    paths = []
    for k in range(n):
        path = directory / f"q{k:05d}.yaml"
        path.write_text(_dump(perturb(bases[k % len(bases)], rng, k)), encoding="utf-8")
        paths.append(path)
    return paths


def write_peer(questionnaires: Sequence[Mapping[str, Any]], directory: Path) -> list[Path]:
    """The peers' generated questionnaires as riskassess questionnaire files."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, q in enumerate(questionnaires):
        path = directory / f"p{k:05d}.yaml"
        path.write_text(_dump(s2r.questionnaire_data(q)), encoding="utf-8")
        paths.append(path)
    return paths


def link_subset(files: Sequence[Path], directory: Path) -> Path:
    """``directory`` holding ``files`` as hard links (regular files; a copy where links are refused)."""
    directory.mkdir(parents=True, exist_ok=True)
    for p in files:
        try:
            os.link(p, directory / p.name)
        except OSError:
            shutil.copyfile(p, directory / p.name)
    return directory


# ------------------------------------------------------------------------ process tree memory


def _status_kib(pid: int, fields: tuple[str, ...] = ("VmRSS:", "VmHWM:")) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(fields):
                    out[line.split(":", 1)[0]] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return out


def _pss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                out.extend(int(x) for x in fh.read().split())
    except (OSError, ValueError):
        pass
    return out


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants now (Linux /proc; just ``pid`` elsewhere)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in out:
            out.append(p)
            todo.extend(_children(p))
    return out


class TreeMemory:
    """Samples a process tree every :data:`SAMPLE_S`: the peak of its summed PSS (shared pages split among the
    processes sharing them; summed RSS where PSS is unreadable) and each process's own peak RSS (VmHWM)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kib = pid, 0
        self.hwm_kib: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            total = 0
            for p in tree_pids(self.pid):
                st = _status_kib(p)
                pss = _pss_kib(p)
                total += pss if pss is not None else st.get("VmRSS", 0)
                self.hwm_kib[p] = max(self.hwm_kib.get(p, 0), st.get("VmHWM", 0))
            self.peak_kib = max(self.peak_kib, total)
            self.done.wait(SAMPLE_S)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    @property
    def largest_other_kib(self) -> int:
        """The largest peak RSS among the descendants (the worker processes)."""
        return max((v for p, v in self.hwm_kib.items() if p != self.pid), default=0)


def run_sampled(cmd: Sequence[str], env: Mapping[str, str] | None = None, cpus: set[int] | None = None,
                stdout: int = subprocess.DEVNULL, memory: bool = True) -> dict[str, Any]:
    """Run ``cmd``: its wall seconds, exit code, stdout and (``memory``) the memory of its process tree."""
    def pin() -> None:
        os.sched_setaffinity(0, cpus or set())

    # A preexec_fn forces a full fork() of this (large) process, which costs milliseconds: only when the child's
    # cores differ from ours; otherwise it inherits them and Python can spawn it cheaply.
    repin = (cpus is not None and hasattr(os, "sched_setaffinity") and cpus != os.sched_getaffinity(0))
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=dict(env) if env is not None else None, stdout=stdout,
                            stderr=subprocess.PIPE, preexec_fn=pin if repin else None)
    mem = TreeMemory(proc.pid) if memory else None
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    result: dict[str, Any] = {"wall": wall, "rc": proc.returncode, "stdout": out or b""}
    if mem is not None:
        mem.stop()
        result.update(tree_kib=mem.peak_kib, root_hwm_kib=mem.hwm_kib.get(proc.pid, 0),
                      workers_hwm_kib=mem.largest_other_kib)
    if proc.returncode != 0:
        sys.stderr.write(f"note: {' '.join(map(str, cmd))[:200]} exited {proc.returncode}: "
                         f"{err.decode('utf-8', 'replace')[-800:]}\n")
    return result


def record_stats(out_dir: Path) -> tuple[int, float]:
    """(count, mean KiB) of the records in ``out_dir``."""
    sizes = [e.stat().st_size for e in os.scandir(out_dir) if e.name.endswith(".json")]
    return len(sizes), (sum(sizes) / len(sizes) / 1024 if sizes else 0.0)


# ------------------------------------------------------------------------ files → records


def cli_command() -> list[str]:
    """The installed ``riskassess`` console script beside this interpreter, else ``python -m riskassess``."""
    script = Path(sys.executable).with_name("riskassess")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "riskassess"]


def batch_api(files_dir: Path, n: int, rules: str, jobs: int, out_dir: Path, env: Mapping[str, str],
              cpus: set[int], keep: Path | None = None, register: Path | None = None) -> dict[str, Any]:
    """``run_batch`` on the first ``n`` files of ``files_dir`` in a fresh child process (see :func:`child`);
    the records are then removed, or moved to ``keep``. With ``register``: into that SQLite register instead
    of record files (its bytes per entry reported, then it is removed)."""
    shutil.rmtree(out_dir, ignore_errors=True)
    if register is not None:
        for old in register.parent.glob(register.name + "*"):
            old.unlink()
    cmd = [sys.executable, str(Path(__file__).resolve()), "child", json.dumps(
        {"dir": str(files_dir), "n": n, "rules": rules, "jobs": jobs, "out": str(out_dir),
         "register": str(register) if register is not None else None})]
    run = run_sampled(cmd, env, cpus, stdout=subprocess.PIPE)
    if register is not None:
        run["register_kib"] = sum(p.stat().st_size for p in register.parent.glob(register.name + "*")) / 1024
        for old in register.parent.glob(register.name + "*"):
            old.unlink()
    result = (json.loads(run["stdout"].decode("utf-8").strip().splitlines()[-1]) if run["rc"] == 0
              else {"seconds": float("nan")})
    count, kib = record_stats(out_dir) if out_dir.is_dir() else (0, 0.0)
    if keep is not None and out_dir.is_dir():
        shutil.rmtree(keep, ignore_errors=True)
        out_dir.rename(keep)
    shutil.rmtree(out_dir, ignore_errors=True)
    return {**result, "n": n, "jobs": jobs, "process_s": run["wall"], "tree_kib": run["tree_kib"],
            "workers_hwm_kib": run["workers_hwm_kib"], "records": count, "record_kib": kib,
            "files_per_s": n / result["seconds"], "rc": run["rc"],
            **({"register_kib_per_entry": run["register_kib"] / n} if register is not None else {})}


def batch_cli(files_dir: Path, n: int, rules: str, jobs: int, out_dir: Path, env: Mapping[str, str],
              cpus: set[int], register: Path | None = None) -> dict[str, Any]:
    """``riskassess batch DIR --out OUT --jobs J [--register REG]`` as a whole process."""
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [*cli_command(), "--lang", "en", "batch", str(files_dir), "--rules", rules, "--out", str(out_dir),
           "--jobs", str(jobs)]
    if register is not None:
        for old in register.parent.glob(register.name + "*"):
            old.unlink()
        cmd += ["--register", str(register)]
    run = run_sampled(cmd, env, cpus)
    count, kib = record_stats(out_dir) if out_dir.is_dir() else (0, 0.0)
    shutil.rmtree(out_dir, ignore_errors=True)
    out = {"n": n, "jobs": jobs, "seconds": run["wall"], "files_per_s": n / run["wall"], "tree_kib": run["tree_kib"],
           "root_hwm_kib": run["root_hwm_kib"], "workers_hwm_kib": run["workers_hwm_kib"], "records": count,
           "record_kib": kib, "rc": run["rc"], "register": register is not None}
    if register is not None:
        out["register_kib"] = sum(p.stat().st_size for p in register.parent.glob(register.name + "*")) / 1024
        for old in register.parent.glob(register.name + "*"):
            old.unlink()
    return out


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def child(args: Mapping[str, Any]) -> int:
    """In the child process: time ``run_batch`` on the files; print one JSON line."""
    t_start = time.perf_counter()
    s2r.ensure_riskassess_importable()
    from riskassess.batch import iter_batch
    files = sorted(Path(args["dir"]).glob("*.yaml"))[: args["n"]]
    t_import, cpu0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    statuses: dict[str, int] = {}
    failed: list[str | None] = []

    def count(outcomes: Any, store: Callable[[Any], None] = lambda o: None) -> None:
        for o in outcomes:  # as a caller that keeps no outcome would: memory stays flat
            store(o)
            statuses[o.status] = statuses.get(o.status, 0) + 1
            if o.status == "failed" and len(failed) < 3:
                failed.append(o.error_en)

    if args.get("register"):  # files → entries in a register: no record files
        from riskassess.batch import RegisterSink
        from riskassess.register import open_register
        with open_register(args["register"], create=True) as reg:
            sink = RegisterSink(reg)
            count(iter_batch(files, args["rules"], jobs=args["jobs"], for_register=True), sink)
            sink.flush()
    else:
        count(iter_batch(files, args["rules"], jobs=args["jobs"], out_dir=Path(args["out"])))
    t_end = time.perf_counter()
    cpu = _cpu(resource.RUSAGE_SELF) - cpu0 + _cpu(resource.RUSAGE_CHILDREN)  # the workers are joined by now
    # VmHWM, not getrusage: ru_maxrss survives exec, so a child of a large process would report its parent's peak.
    hwm = _status_kib(os.getpid(), ("VmHWM:",)).get("VmHWM")
    print(json.dumps({
        "seconds": t_end - t_import, "cpu_s": cpu, "import_s": t_import - t_start, "statuses": statuses,
        "failed_examples": failed,
        "self_hwm_kib": hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    return 0


def register_bytes(records_dir: Path, directory: Path, limit: int) -> dict[str, Any]:
    """Bytes per stored assessment of a SQLite register holding up to ``limit`` records of ``records_dir``."""
    from riskassess.register import open_register
    paths = sorted(records_dir.glob("*.json"))[:limit]
    records = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    db = directory / "register.sqlite"
    for p in directory.glob("register.sqlite*"):
        p.unlink()
    with open_register(str(db), create=True):
        pass
    empty = sum(p.stat().st_size for p in directory.glob("register.sqlite*"))
    t0 = time.perf_counter()
    with open_register(str(db)) as reg:
        reg.add(records)
    seconds = time.perf_counter() - t0
    full = sum(p.stat().st_size for p in directory.glob("register.sqlite*"))  # WAL checkpointed on close
    return {"n": len(records), "kib_per_entry": (full - empty) / max(1, len(records)) / 1024,
            "record_kib": sum(p.stat().st_size for p in paths) / max(1, len(paths)) / 1024,
            "entries_per_s": len(records) / seconds if seconds else float("nan")}


# ------------------------------------------------------------------------ cold CLI


def cold_cli(rounds: int, questionnaire: Path, cache_dir: Path, cpus: set[int] | None,
             progress: Callable[[str], None] = lambda s: None) -> dict[str, list[float]]:
    """Rounds of the four commands in a rotated order; wall seconds of each run, per row."""
    base = {k: v for k, v in os.environ.items() if k != "RISKASSESS_CACHE"}
    warm = {**base, "RISKASSESS_CACHE": str(cache_dir)}
    off = {**base, "RISKASSESS_CACHE": "off"}
    cli = cli_command()
    rows: dict[str, tuple[list[str], dict[str, str]]] = {
        "yaml": ([sys.executable, "-c", f"import yaml; yaml.load(open({str(questionnaire)!r}), "
                                        "Loader=yaml.CSafeLoader)"], base),
        "evaluate_warm": ([*cli, "evaluate", str(questionnaire), "--format", "json"], warm),
        "evaluate_off": ([*cli, "evaluate", str(questionnaire), "--format", "json"], off),
        "version": ([*cli, "--version"], warm),
    }
    names = list(rows)
    for name in names:  # warm-up, not counted: fills the rule-set cache and the OS file cache
        run_sampled(*rows[name], cpus=cpus, memory=False)
    out: dict[str, list[float]] = {name: [] for name in names}
    rcs: dict[str, set[int]] = {name: set() for name in names}
    for i in range(rounds):
        k = i % len(names)
        for name in names[k:] + names[:k]:
            run = run_sampled(*rows[name], cpus=cpus, memory=False)
            out[name].append(run["wall"])
            rcs[name].add(run["rc"])
        progress(f"cold CLI round {i + 1}/{rounds}: " + ", ".join(f"{n} {out[n][-1] * 1e3:.0f} ms" for n in names))
    out["_rc"] = [float(max(rcs[n])) for n in names]
    return out


def paired(runs: Mapping[str, Sequence[float]], name: str, base: str = "yaml") -> tuple[float, float, float]:
    """Median, min and max of the per-round ratio runs[name] / runs[base]."""
    xs = [a / b for a, b in zip(runs[name], runs[base], strict=True)]
    return statistics.median(xs), min(xs), max(xs)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        sys.exit(child(json.loads(sys.argv[2])))
    sys.exit("usage: endtoend.py child JSON   (run.py calls it)")
