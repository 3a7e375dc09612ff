"""``riskassess lint``: static checks on a rule pack beyond what loading already refuses.

Loading a rule set already rejects unknown facts and operators, wrong operand
types, duplicate ids, bad levels, non-monotone matrices and incomplete decision
tables. Lint adds checks that need reasoning across cases and texts:

* **unreachable case** (error): an earlier case of the same factor holds whenever
  this one does, so first-match never reaches it (interval reasoning on numeric
  and enumerated leaves of ``all`` conjunctions);
* **tier gap** (warning): single-fact numeric tiers leave a hole between them;
* **translation** (warning): a zh text without Chinese characters, or zh equal to en;
* **unused** (warning): thresholds or documents declared but never used;
* **no-op override** (warning): an override whose floor is the lowest grade;
* **untitled case** (warning): a factor case without a title, which a report can only name by its
  numbers (``概率3、影响3``);
* **unknown factor in a measure** (error): a measure in the pack's test files
  (``tests/*.yaml``) addresses a factor the pack does not have;
* **what an extending pack drops or changes** (warning): every ``remove:`` and ``replace:`` of
  what it inherits — removed factors, replaced methods, changed thresholds, grades, decisions and
  defaults — so nothing of the parent is weakened silently;
* **stale label** (warning): an inherited title still shows the parent's value of a threshold the
  pack changed (``20%以上群众反对`` when the pack makes it 30 %) instead of a ``{threshold}`` placeholder.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .conditions import Leaf, Node
from .errors import RuleSetError
from .hookspecs import Label
from .i18n import Text, render, tr
from .ruleset import KIND_WORDS, RuleSet
from .yamlfile import dotted, load_yaml, walk

_CJK = re.compile(r"[\u3400-\u9fff]")

#: The levels of a finding, as a Chinese report names them.
LEVELS_ZH = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "warning"
    code: str
    message: str | Text
    line: int | None
    where: str | Text
    """The rule element it concerns: a factor or override id, or a named part of the rule set."""
    source: str = ""
    """The file the line refers to (the rule set, or one of its test files)."""

    def format(self) -> str:
        """``file:line: level: code: where: message``, in English."""
        return f"{self._location()}: {self.level}: {self.code}: {self.where}: {self.message}"

    def render(self, lang: str = "en") -> str:
        """The finding in ``lang``; in Chinese the code follows in brackets, for those who search it."""
        if lang != "zh":
            return self.format()
        level = LEVELS_ZH.get(self.level, self.level)
        return f"{self._location()}: {level}: {render(self.where, lang)}: {render(self.message, lang)} [{self.code}]"

    def _location(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass(frozen=True)
class Interval:
    lo: float = -math.inf
    lo_closed: bool = False
    hi: float = math.inf
    hi_closed: bool = False

    def within(self, other: Interval) -> bool:
        """Every value of ``self`` is in ``other``."""
        lo_ok = self.lo > other.lo or (self.lo == other.lo and (other.lo_closed or not self.lo_closed))
        hi_ok = self.hi < other.hi or (self.hi == other.hi and (other.hi_closed or not self.hi_closed))
        return lo_ok and hi_ok

    def meet(self, other: Interval) -> Interval:
        lo, lo_c = max((self.lo, not self.lo_closed), (other.lo, not other.lo_closed))
        hi, hi_c = min((self.hi, self.hi_closed), (other.hi, other.hi_closed))
        return Interval(lo, not lo_c, hi, hi_c)


def _leaf_constraint(leaf: Leaf) -> Interval | frozenset[Any] | None:
    v = leaf.operand
    numeric = isinstance(v, (int, float)) and not isinstance(v, bool)
    if leaf.op == "gte" and numeric:
        return Interval(lo=v, lo_closed=True)
    if leaf.op == "gt" and numeric:
        return Interval(lo=v)
    if leaf.op == "lte" and numeric:
        return Interval(hi=v, hi_closed=True)
    if leaf.op == "lt" and numeric:
        return Interval(hi=v)
    if leaf.op == "between":
        return Interval(v[0], True, v[1], True)
    if leaf.op == "eq" and not numeric:
        return frozenset([v])
    if leaf.op == "eq" and numeric:
        return Interval(v, True, v, True)
    if leaf.op == "in":
        return frozenset(v)
    return None


def _conjunction(node: Node) -> dict[str, Interval | frozenset[Any]] | None:
    """fact → constraint for a leaf or an `all` of leaves we can reason about; None otherwise."""
    leaves = [node.leaf] if node.leaf is not None else (
        [c.leaf for c in node.children] if node.kind == "all" and all(c.leaf is not None for c in node.children)
        else None)
    if not leaves:
        return None
    out: dict[str, Interval | frozenset[Any]] = {}
    for leaf in leaves:
        assert leaf is not None
        c = _leaf_constraint(leaf)
        if c is None:
            return None
        prev = out.get(leaf.fact)
        if prev is None:
            out[leaf.fact] = c
        elif isinstance(prev, Interval) and isinstance(c, Interval):
            out[leaf.fact] = prev.meet(c)
        elif isinstance(prev, frozenset) and isinstance(c, frozenset):
            out[leaf.fact] = prev & c
        else:
            return None
    return out


def _implies(later: Mapping[str, Any], earlier: Mapping[str, Any]) -> bool:
    """Whenever ``later`` holds, ``earlier`` holds too."""
    for fact, need in earlier.items():
        have = later.get(fact)
        if have is None or type(have) is not type(need):
            return False
        if isinstance(need, Interval):
            if not have.within(need):
                return False
        elif not have <= need:
            return False
    return True


def lint(rs: RuleSet) -> list[Finding]:
    """Findings on the rule set's own file, then on its test files' measures."""
    own = sorted([*_findings(rs), *_inherited(rs), *_stale_labels(rs)], key=lambda f: (f.line or 0, f.code))
    return [replace(f, source=rs.source) for f in own] + list(_test_measures(rs))


def _test_measures(rs: RuleSet) -> Iterator[Finding]:
    tests = Path(rs.source).parent / "tests"
    for path in sorted(tests.glob("*.yaml")) if tests.is_dir() else []:
        try:
            doc = load_yaml(path, error=RuleSetError)
        except RuleSetError as exc:
            yield Finding("error", "unreadable-test-file", exc.text, exc.line, path.name, str(path))
            continue
        for where, value in walk(doc.data):
            if where and where[-1] == "addresses" and isinstance(value, list) and "measures" in where:
                for k, fid in enumerate(value):
                    if isinstance(fid, str) and fid not in rs.factor_index:
                        yield Finding("error", "unknown-factor",
                                      tr("a measure addresses unknown factor {id!r}", id=fid),
                                      doc.line_of((*where, k)), dotted((*where, k)), str(path))


def _findings(rs: RuleSet) -> Iterator[Finding]:
    # A pack that extends another is linted for what it adds; its parent is linted on its own.
    def own(*path: str | int) -> bool:
        return rs.doc.source_of(path) == rs.source

    for factor in rs.factors:
        if not own("factors", factor.index):
            continue
        shapes = [_conjunction(c.condition) for c in factor.cases]
        for k, (case, shape) in enumerate(zip(factor.cases, shapes, strict=True)):
            if shape is None:
                continue
            for j in range(k):
                earlier = shapes[j]
                if earlier is not None and _implies(shape, earlier):
                    yield Finding("error", "unreachable-case",
                                  tr("case {case} can never apply: case {earlier} (line {line}) holds whenever it "
                                     "does", case=case.id, earlier=factor.cases[j].id, line=factor.cases[j].line),
                                  case.line, factor.id)
                    break
        yield from _tiers(rs, factor.id, factor.cases, shapes)
        yield from _translation(factor.title, factor.id, factor.line)
        yield from _translation(factor.description, tr("{factor} description", factor=factor.id), factor.line)
        for c in factor.cases:
            if c.title is None:
                yield Finding("warning", "untitled-case",
                              tr("case {case} has no title: reports name it only as P{probability}·I{impact} (in "
                                 "Chinese 概率{probability}、影响{impact}); add `title: {{zh: …, en: …}}`",
                                 case=c.id, probability=c.probability, impact=c.impact), c.line, factor.id)
            yield from _translation(c.title, f"{factor.id}/{c.id}", c.line)
        for k, m in enumerate(rs.raw["factors"][factor.index].get("mitigation", [])):
            yield from _translation(_label(m.get("title")), tr("{factor} mitigation {number}", factor=factor.id,
                                                               number=k + 1),
                                    rs.doc.line_of(("factors", factor.index, "mitigation", k)))
    for o in rs.overrides:
        if not own("overrides", o.index):
            continue
        yield from _translation(o.title, o.id, o.line)
        if o.floor == 0:
            yield Finding("warning", "noop-override", tr("floor {grade} is the lowest grade: it never changes a grade",
                                                         grade=rs.grades[0].id), o.line, o.id)
    yield from _translation(rs.title, "title", rs.doc.line_of(("title",)))
    yield from _translation(rs.description, "description", rs.doc.line_of(("description",)))
    yield from _translation(rs.jurisdiction, "jurisdiction", rs.doc.line_of(("jurisdiction",)))
    for i, g in enumerate(rs.grades):
        yield from _translation(g.title, tr("grade {grade}", grade=g.id), rs.doc.line_of(("grades", i)))
        yield from _translation(g.definition, tr("grade {grade} definition", grade=g.id),
                                rs.doc.line_of(("grades", i)))
    for channel, table in rs.decisions.items():
        for grade, d in table.items():
            yield from _translation(d.title, tr("decision {channel}/{grade}", channel=channel, grade=grade),
                                    rs.doc.line_of(("decisions", channel, grade)))
    for name, t in rs.thresholds.items():
        if not own("thresholds", name):
            continue
        yield from _translation(_label(t.get("source")), tr("threshold {name} source", name=name),
                                rs.doc.line_of(("thresholds", name)))
    for i, doc in enumerate(rs.documents):
        if not own("documents", i):
            continue
        yield from _translation(_label(doc.get("title")), tr("document {id}", id=doc["id"]),
                                rs.doc.line_of(("documents", i)))
    used_thresholds = {leaf.threshold for leaf in rs.leaf_order if leaf.threshold}
    for name in rs.thresholds:
        if name not in used_thresholds and own("thresholds", name):
            yield Finding("warning", "unused-threshold",
                          tr("threshold {name!r} is declared but no condition uses it", name=name),
                          rs.doc.line_of(("thresholds", name)), "thresholds")
    cited = {b["document"] for f in rs.factors for b in f.basis} | {b["document"] for o in rs.overrides
                                                                    for b in o.basis}
    cited |= {b["document"] for table in rs.decisions.values() for d in table.values() for b in d.basis}
    cited |= {d for t in rs.thresholds.values() for d in t.get("documents", [])}
    scoring = rs.raw["scoring"]
    cited |= set((scoring.get("matrix") or {}).get("documents", []))
    cited |= {d for m in scoring["methods"] for d in (m.get("params") or {}).get("documents", [])}
    for i, doc in enumerate(rs.documents):
        if doc["id"] not in cited and own("documents", i):
            yield Finding("warning", "unused-document", tr("document {id!r} is never cited", id=doc["id"]),
                          rs.doc.line_of(("documents", i)), "documents")


def _inherited(rs: RuleSet) -> Iterator[Finding]:
    """A warning for each piece of its parent an extending pack removes or replaces."""
    parent = rs.parents[0][0] if rs.parents else ""
    for c in rs.inherited_changes:
        where = f"{'remove' if c.action == 'removed' else 'replace'}.{c.kind}"
        kind = KIND_WORDS[c.kind]
        if c.action == "removed":
            yield Finding("warning", "removes-inherited", tr("removes {kind} {name!r} inherited from {parent}",
                                                             kind=kind, name=c.name, parent=parent), c.line, where)
        elif c.kind == "thresholds" and c.before["value"] != c.after["value"]:
            yield Finding("warning", "changes-threshold",
                          tr("changes threshold {name!r} inherited from {parent} from {before} to {after}",
                             name=c.name, parent=parent, before=c.before["value"], after=c.after["value"]),
                          c.line, where)
        elif c.kind == "defaults":
            yield Finding("warning", "replaces-inherited",
                          tr("changes default {name} inherited from {parent} from {before!r} to {after!r}: every "
                             "inherited factor that does not set its own follows it", name=c.name, parent=parent,
                             before=c.before, after=c.after), c.line, where)
        elif c.kind in _SUMMARIES:
            yield Finding("warning", "replaces-inherited",
                          tr("replaces the {kind} inherited from {parent}: {before} → {after}", kind=kind,
                             parent=parent, before=_SUMMARIES[c.kind](c.before), after=_SUMMARIES[c.kind](c.after)),
                          c.line, f"{where}.{c.name}" if c.name else where)
        elif c.name:
            yield Finding("warning", "replaces-inherited", tr("replaces {kind} {name!r} inherited from {parent}",
                                                              kind=kind, name=c.name, parent=parent), c.line, where)
        else:
            yield Finding("warning", "replaces-inherited", tr("replaces the {kind} inherited from {parent}",
                                                              kind=kind, parent=parent), c.line, where)


def _decision_codes(table: Any) -> str:
    return ", ".join(f"{grade}: {d['code']}" for grade, d in (table or {}).items())


#: Sections whose replacement lint shows before → after.
_SUMMARIES = {
    "grades": lambda grades: "/".join(g["id"] for g in grades or []),
    "decisions": _decision_codes,
    "scoring": lambda scoring: "/".join(m["method"] for m in (scoring or {}).get("methods", [])),
    "measures": lambda measures: "/".join((measures or {}).get("counted_statuses", [])),
}


def _stale_labels(rs: RuleSet) -> Iterator[Finding]:
    """Inherited titles that still show the parent's value of a threshold this pack changed."""
    changed = {c.name: c for c in rs.inherited_changes
               if c.kind == "thresholds" and c.action == "replaced" and c.before["value"] != c.after["value"]}
    if not changed:
        return
    parent = rs.parents[0][0] if rs.parents else ""
    for where, (section, element), path, label, names in _titles_and_thresholds(rs):
        for name in sorted(names & set(changed)):
            change = changed[name]
            found = _shows(label, name, change.before["value"])
            if found is None:
                continue
            text, shown, spec = found
            yield Finding("warning", "stale-label",
                          tr("inherited title {text!r} ({location}) still shows {shown}, from {threshold} = {before} "
                             "in {parent}; this pack makes it {after}: replace {element} under `replace: {section}:` "
                             "with a title that writes the number as {placeholder}", text=text, shown=shown,
                             location=f"{rs.doc.source_of(path)}:{rs.doc.line_of(path)}", threshold=name,
                             before=change.before["value"], parent=parent, after=change.after["value"],
                             element=element, section=section, placeholder=f"{{{name}{spec}}}"), change.line, where)


def _titles_and_thresholds(rs: RuleSet) -> Iterator[tuple[str, tuple[str, str], tuple[str | int, ...], Any, set[str]]]:
    """(where, (section, id) to replace, path, raw title, thresholds its conditions use) for each inherited title."""
    def used(leaves: Any) -> set[str]:
        return {leaf.threshold for leaf in leaves if leaf.threshold}

    for f in rs.factors:
        at = ("factors", f.index)
        if rs.doc.source_of(at) == rs.source:
            continue
        raw = rs.raw["factors"][f.index]
        guard = used(rs.guard_leaves[f.index])
        cases = [used(leaves) for leaves in rs.case_leaves[f.index]]
        for key in ("title", "description"):
            yield f.id, ("factors", f.id), (*at, key), raw.get(key), guard.union(*cases)
        for k, case in enumerate(f.cases):
            yield (f"{f.id}/{case.id}", ("factors", f.id), (*at, "cases", k, "title"), raw["cases"][k].get("title"),
                   guard | cases[k])
    for o in rs.overrides:
        at = ("overrides", o.index)
        if rs.doc.source_of(at) != rs.source:
            rule = len(rs.factors) + o.index
            yield (o.id, ("overrides", o.id), (*at, "title"), rs.raw["overrides"][o.index]["title"],
                   used(rs.case_leaves[rule][0]))


def _shows(label: Any, name: str, value: Any) -> tuple[str, str, str] | None:
    """(the text, what in it shows ``value``, the format spec to write it with) if ``label`` shows it literally."""
    if not isinstance(label, Mapping):
        return None
    forms: list[tuple[str, str]] = []
    if 0 < value < 1:
        percent = f"{value * 100:g}"
        decimals = len(percent.partition(".")[2])
        forms.append((re.escape(percent) + r"\s*[%％]", f":.{decimals}%"))
    if float(value).is_integer():
        if abs(value) >= 1000:
            forms.append((re.escape(f"{int(value):,}"), ":,"))
        forms.append((str(int(value)), ""))
    else:
        forms.append((re.escape(str(value)), ""))
    for text in (label.get("zh", ""), label.get("en", "")):
        if "{" + name in text:
            continue
        for form, spec in forms:
            found = re.search(r"(?<![\d.,])" + form + r"(?![\d]|[.,]\d)", text)
            if found:
                return text, found.group(0), spec
    return None


def _tiers(rs: RuleSet, fid: str, cases: Any, shapes: list[Any]) -> Iterator[Finding]:
    """Single-fact numeric tiers: holes inside their span, and partial overlaps where order silently decides.

    Nested tiers (``gte 1000`` before ``gte 200``) are the usual first-match idiom and pass.
    """
    if len(shapes) < 2 or any(s is None or len(s) != 1 for s in shapes):
        return
    facts = {next(iter(s)) for s in shapes}
    if len(facts) != 1 or not all(isinstance(next(iter(s.values())), Interval) for s in shapes):
        return
    ftype = rs.catalogue.fact_type(next(iter(facts)))
    integer = ftype is not None and ftype.kind == "integer"
    tiers = [(next(iter(s.values())), c) for s, c in zip(shapes, cases, strict=True)]
    for (a, ca), (b, cb) in itertools.combinations(tiers, 2):
        overlap = a.meet(b)
        empty = overlap.lo > overlap.hi or (overlap.lo == overlap.hi and not (overlap.lo_closed and overlap.hi_closed))
        if not empty and not a.within(b) and not b.within(a):
            yield Finding("warning", "tier-overlap",
                          tr("cases {first} and {second} overlap from {low} to {high}: only their order decides "
                             "which applies", first=ca.id, second=cb.id, low=overlap.lo, high=overlap.hi),
                          cb.line, fid)
    covered_to, closed, last = None, False, None
    for tier, case in sorted(tiers, key=lambda t: (t[0].lo, not t[0].lo_closed)):
        if covered_to is not None and last is not None:
            hole = tier.lo > covered_to or (tier.lo == covered_to and not closed and not tier.lo_closed)
            if hole and integer and closed and tier.lo_closed and tier.lo - covered_to <= 1 \
                    and float(tier.lo).is_integer() and float(covered_to).is_integer():
                hole = False  # [0, 9] then [10, …] leaves no integer out
            if hole:
                yield Finding("warning", "tier-gap",
                              tr("values between {low} and {high} (between cases {first} and {second}) match no case",
                                 low=covered_to, high=tier.lo, first=last.id, second=case.id), case.line, fid)
        if covered_to is None or tier.hi > covered_to or (tier.hi == covered_to and tier.hi_closed):
            covered_to, closed, last = tier.hi, tier.hi_closed, case


def _label(raw: Any) -> Label | None:
    return Label(raw["zh"], raw["en"]) if isinstance(raw, Mapping) and "zh" in raw and "en" in raw else None


def _translation(label: Any, where: str | Text, line: int | None) -> Iterator[Finding]:
    if label is None:
        return
    if not _CJK.search(label.zh):
        yield Finding("warning", "translation", tr("zh text {text!r} has no Chinese characters", text=label.zh),
                      line, where)
    elif label.zh.strip() == label.en.strip():
        yield Finding("warning", "translation", tr("zh and en texts are identical"), line, where)
