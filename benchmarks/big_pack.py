"""A big rule pack, built from the national pack by replicating its factors, for load-time benchmarks.

    python benchmarks/big_pack.py 5000 OUT_DIR     # writes OUT_DIR/ruleset.yaml (5,000 factors) and prints its size

Copy 1 keeps the national pack's factor and group ids, so the examples' measures still address real
factors; copy k ≥ 2 renames each factor ``<id>.r<k>`` and each group ``<group>.r<k>``, and leaves out the
factor's description and mitigation list (presentation only). Every copy therefore takes the same case as
the original on any questionnaire, which is what the tests check. Factors are written one a line as JSON
(which YAML 1.2 reads as flow style): 5,000 factors make 4 MB, within the 5 MB file limit.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
NATIONAL = REPO / "rules" / "cn-ndrc-2012" / "ruleset.yaml"
PRESENTATION_ONLY = ("description", "mitigation")
"""Left out of the copies, to keep 5,000 factors within the file limit."""
try:  # riskassess as installed or on PYTHONPATH; else this checkout's
    import riskassess  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO))


def national() -> dict[str, Any]:
    """The national pack's document as riskassess reads it (YAML 1.2 core)."""
    from riskassess.yamlfile import load_yaml
    return dict(load_yaml(NATIONAL).data)


def replica_id(name: str, copy_number: int) -> str:
    """The id of ``name`` in copy ``copy_number`` (copy 1 keeps the original)."""
    return name if copy_number == 1 else f"{name}.r{copy_number}"


def build(factors: int, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The national pack with ``factors`` factors: its own, then renamed copies, cut at ``factors``."""
    doc = copy.deepcopy(base or national())
    originals, groups = doc["factors"], doc.get("groups") or []
    out_factors: list[dict[str, Any]] = []
    out_groups: list[dict[str, Any]] = []
    k = 0
    while len(out_factors) < factors:
        k += 1
        for g in groups:
            out_groups.append({**copy.deepcopy(g), "id": replica_id(g["id"], k)})
        for f in originals[: factors - len(out_factors)]:
            g = copy.deepcopy(f) if k == 1 else {key: copy.deepcopy(value) for key, value in f.items()
                                                 if key not in PRESENTATION_ONLY}
            g["id"] = replica_id(f["id"], k)
            if "group" in g:
                g["group"] = replica_id(g["group"], k)
            out_factors.append(g)
    used = {f.get("group") for f in out_factors}
    doc["groups"] = [g for g in out_groups if g["id"] in used]
    doc["factors"] = out_factors
    doc["id"] = f"{doc['id']}-x{factors}"
    return doc


class _Dumper(yaml.SafeDumper):
    """No anchors or aliases: riskassess refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(doc: dict[str, Any]) -> str:
    """Block style for the other sections; each factor on one line as JSON (fast to write, compact)."""
    head = {k: v for k, v in doc.items() if k != "factors"}
    text = yaml.dump(head, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)
    lines = ["factors:", *(f"  - {json.dumps(f, ensure_ascii=False, separators=(',', ':'))}" for f in doc["factors"])]
    return text + "\n".join(lines) + "\n"


def write(factors: int, directory: Path) -> Path:
    """Write a pack of ``factors`` factors to ``directory/ruleset.yaml`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "ruleset.yaml"
    path.write_text(dump(build(factors)), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path = write(int(argv[0]), Path(argv[1]))
    print(f"{path}: {int(argv[0]):,} factors, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
