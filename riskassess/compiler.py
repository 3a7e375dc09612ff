"""Compiling rule sets into Python functions, once, at load time.

Each rule set becomes three functions built as Python syntax trees from validated rule data:
operands enter only as constants, fact paths only as dictionary keys; no source text is generated
and neither ``eval`` nor ``exec`` is used — the tree goes straight to ``compile()``.

* ``decide(q)`` — the hot path: which case of each factor applies, with short-circuiting, no
  allocation per condition and no hook calls;
* ``trace(q)`` — every fact value, leaf outcome, case outcome and precondition outcome, from which
  the assessment record is built;
* ``possible(q)`` — the open world: every missing answer unknown, for the grade range.

Variants of ``decide`` and ``trace`` that read approximate answers are compiled on first use. The
interpreter in :mod:`riskassess.conditions` gives the same outcomes and is the oracle the compiled
code is tested against.
"""

from __future__ import annotations

import ast
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import cache
from .approximate import Interval, compare
from .conditions import _EMPTY, _INLINE, Leaf, Node, checked_test
from .hookspecs import Operator

# --------------------------------------------------------------------------- compiling

_LOAD = ast.Load()  # one shared context object each: fewer nodes to build
_STORE = ast.Store()


class _At:
    """Every generated node sits on line 1 (generated code has no source lines), given as class attributes of
    the node types below: no pass over the hundreds of thousands of nodes of a big pack sets them one by one.
    ``compile()`` reads them as it reads any attribute."""

    lineno: int = 1
    col_offset: int = 0
    end_lineno: int | None = 1
    end_col_offset: int | None = 0


class _Assign(_At, ast.Assign):
    pass


class _Attribute(_At, ast.Attribute):
    pass


class _BoolOp(_At, ast.BoolOp):
    pass


class _Call(_At, ast.Call):
    pass


class _Compare(_At, ast.Compare):
    pass


class _Constant(_At, ast.Constant):
    pass


class _Expr(_At, ast.Expr):
    pass


class _FunctionDef(_At, ast.FunctionDef):
    pass


class _If(_At, ast.If):
    pass


class _IfExp(_At, ast.IfExp):
    pass


class _List(_At, ast.List):
    pass


class _Name(_At, ast.Name):
    pass


class _NamedExpr(_At, ast.NamedExpr):
    pass


class _Return(_At, ast.Return):
    pass


class _Tuple(_At, ast.Tuple):
    pass


class _UnaryOp(_At, ast.UnaryOp):
    pass


class _arg(_At, ast.arg):
    pass
  # one shared context object: fewer nodes to build and to walk
_Origin = tuple[Any, ...]
"""Where a namespace entry comes from: ``("operand", leaf)``, ``("payload", rule, case)``, ``("operator", name)``…"""


def _base_namespace() -> dict[str, Any]:
    return {"__builtins__": {}, "_E": _EMPTY, "_Interval": Interval, "type": type}


@dataclass(frozen=True)
class Rule:
    """What the compiler needs of a factor or override.

    ``payloads[k]`` is appended to the ``sink`` list (``"m"`` for factors, ``"o"``
    for overrides) when case ``k`` is the one that applies.
    """

    cases: tuple[Node, ...]
    on_unknown: str
    payloads: tuple[Any, ...]
    sink: str = "m"
    guard: Node | None = None
    """A precondition: false → no case is taken; unknown → ``guard_policy`` decides (see :func:`_guarded`)."""
    guard_policy: str = "assume_no_match"
    assume_case: int | None = None
    """``on_unknown: {assume_case: ID}``: this case is taken when unknown; the others only when true."""


@dataclass
class Program:
    """The compiled functions of one rule set."""

    facts: tuple[str, ...]
    decide: Callable[[Mapping[str, Any]], tuple[list[Any], list[Any], list[int]]]
    """``decide(q)`` → (factor payloads taken, override payloads taken, rules that hinged on an unknown)."""
    trace: Callable[[Mapping[str, Any]], tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]]
    """``trace(q)`` → (fact values, leaf outcomes, case outcomes, guard outcomes (true where none))."""
    case_offsets: tuple[int, ...]
    """Index of each rule's first case in the flat tuple of case outcomes."""
    possible: Callable[[Mapping[str, Any]], tuple[tuple[Any, ...], tuple[Any, ...]]] | None = None
    """``possible(q)`` → (case outcomes, guard outcomes) with every missing answer unknown (open world):
    what the answers still to be given could make of each case. See :mod:`riskassess.grade_range`."""
    approximate_factory: Callable[[], Program] | None = None
    _approximate: Program | None = None

    def approximate(self) -> Program:
        """The variant that reads approximate answers (intervals); compiled on first use."""
        if self.approximate_factory is None:
            return self
        if self._approximate is None:
            self._approximate = self.approximate_factory()
        return self._approximate


class _Builder:
    def __init__(self, operators: Mapping[str, Operator], derived: Mapping[str, Callable[[Any], Any]],
                 open_world: bool = False, approximable: frozenset[str] = frozenset()) -> None:
        self.operators = operators
        self.derived = derived
        self.approximable = approximable
        """Numeric facts, which may hold an :class:`Interval`: their leaves are always three-valued."""
        self.open_world = open_world
        """Every missing answer is unknown: leaf ``missing`` policies and operators that read a missing
        answer as data (``exists``) are set aside, since an answer could still be given."""
        self.namespace: dict[str, Any] = _base_namespace()
        self.recipe: list[tuple[str, _Origin]] = []
        """How each name bound in the namespace was made (see :func:`_rebuilt_namespace`)."""
        self.fact_vars: dict[str, str] = {}
        self.temps = 0

    # -- helpers --------------------------------------------------------------------
    def name(self, id_: str, ctx: ast.expr_context | None = None) -> ast.Name:
        return _Name(id=id_, ctx=ctx or _LOAD)

    def bind(self, name: str, value: Any, origin: _Origin) -> None:
        """Put ``value`` in the namespace, remembering ``origin``: where it comes from in the rules."""
        self.namespace[name] = value
        self.recipe.append((name, origin))

    def const(self, value: Any, origin: _Origin) -> ast.expr:
        if value is None or isinstance(value, (bool, int, float, str)):
            return _Constant(value)
        var = f"_c{len(self.namespace)}"
        self.bind(var, value, origin)
        return self.name(var)

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"

    def fact(self, path: str) -> ast.Name:
        return self.name(self.fact_vars[path])

    def fetch_statements(self, facts: Sequence[str]) -> list[ast.stmt]:
        """``f0 = ((q.get('a') or _E).get('b'))`` … one fetch per fact."""
        out: list[ast.stmt] = []
        sections: dict[str, str] = {}
        for i, path in enumerate(facts):
            var = f"f{i}"
            self.fact_vars[path] = var
            if path in self.derived:
                fn = f"_d{i}"
                self.bind(fn, self.derived[path], ("derived", path))
                value: ast.expr = _Call(self.name(fn), [self.name("q")], [])
            else:
                parts = path.split(".")
                head = parts[0]
                if head not in sections:
                    sections[head] = f"s{len(sections)}"
                    out.append(_Assign([self.name(sections[head], _STORE)],
                                          self._get_or_empty(self.name("q"), head)))
                base: ast.expr = self.name(sections[head])
                for part in parts[1:-1]:
                    base = self._get_or_empty(base, part)
                value = _Call(_Attribute(base, "get", _LOAD), [_Constant(parts[-1])], [])
            out.append(_Assign([self.name(var, _STORE)], value))
        return out

    def _get_or_empty(self, base: ast.expr, key: str) -> ast.expr:
        call = _Call(_Attribute(base, "get", _LOAD), [_Constant(key)], [])
        return _BoolOp(ast.Or(), [call, self.name("_E")])

    # -- conditions -------------------------------------------------------------------
    def may_be_unknown(self, node: Node) -> bool:
        if node.leaf is not None:
            if self.open_world or node.leaf.fact in self.approximable:
                return True
            return node.leaf.missing == "unknown" and not self.operators[node.leaf.op].reads_missing
        return any(self.may_be_unknown(c) for c in node.children)

    def leaf_expr(self, leaf: Leaf) -> ast.expr:
        op = self.operators[leaf.op]
        actual = self.fact(leaf.fact)
        test: ast.expr
        if op.python_op in ("==", "!=") and isinstance(leaf.operand, bool):
            # `0 == False` holds in Python; a boolean answer must be exactly true or false.
            cmp = ast.Is() if op.python_op == "==" else ast.IsNot()
            test = _Compare(actual, [cmp], [_Constant(leaf.operand)])
        elif op.python_op in _INLINE:
            # A tuple, as the interpreter uses: a frozenset would raise on unhashable input.
            test = _Compare(actual, [_INLINE[op.python_op]()], [self.const(leaf.operand, ("operand", leaf.index))])
        elif op.python_op == "between":
            lo, hi = leaf.operand
            test = _Compare(self.const(lo, ("bound", leaf.index, 0)), [ast.LtE(), ast.LtE()],
                               [actual, self.const(hi, ("bound", leaf.index, 1))])
        else:
            fn = f"_op_{leaf.op}"
            if fn not in self.namespace:
                self.bind(fn, checked_test(op), ("operator", leaf.op))
            test = _Call(self.name(fn), [actual, self.const(leaf.operand, ("operand", leaf.index))], [])
        if leaf.fact in self.approximable and not op.reads_missing:
            # An approximate answer: the comparison over its interval (true, false or unknown).
            fn = f"_iv_{leaf.index}"
            self.bind(fn, _interval_test(op.python_op, leaf.operand), ("interval test", leaf.index))
            is_interval = _Compare(_Call(self.name("type"), [actual], []), [ast.Is()],
                                      [self.name("_Interval")])
            test = _IfExp(is_interval, _Call(self.name(fn), [actual], []), test)
        is_none = _Compare(actual, [ast.Is()], [_Constant(None)])
        if self.open_world:
            return _IfExp(is_none, _Constant(None), test)
        if op.reads_missing:
            return test
        if leaf.missing == "false":
            return _BoolOp(ast.And(), [_Compare(actual, [ast.IsNot()], [_Constant(None)]), test])
        if leaf.missing == "true":
            return _BoolOp(ast.Or(), [is_none, test])
        return _IfExp(is_none, _Constant(None), test)

    def node_expr(self, node: Node, leaf_value: Callable[[Leaf], ast.expr]) -> ast.expr:
        if node.leaf is not None:
            return leaf_value(node.leaf)
        kids = [self.node_expr(c, leaf_value) for c in node.children]
        three = [self.may_be_unknown(c) for c in node.children]
        if node.kind != "not" and len(kids) == 1:
            return kids[0]
        if node.kind == "not":
            if not three[0]:
                return _UnaryOp(ast.Not(), kids[0])
            t = self.temp()
            return _IfExp(_Compare(_NamedExpr(self.name(t, _STORE), kids[0]), [ast.Is()],
                                         [_Constant(None)]),
                             _Constant(None), _UnaryOp(ast.Not(), self.name(t)))
        if not any(three):
            op = ast.And() if node.kind == "all" else ast.Or()
            return _BoolOp(op, kids)
        # Kleene: `all` is False as soon as a child is False, else unknown if any child was.
        decisive = node.kind != "all"  # True decides `any`, False decides `all`
        temps = [self.temp() for _ in kids]
        seen_unknown = _BoolOp(ast.Or(), [_Compare(self.name(t), [ast.Is()], [_Constant(None)])
                                             for t, three_valued in zip(temps, three, strict=True)
                                             if three_valued]) if sum(three) > 1 else \
            _Compare(self.name(temps[three.index(True)]), [ast.Is()], [_Constant(None)])
        expr: ast.expr = _IfExp(seen_unknown, _Constant(None), _Constant(not decisive))
        for t, kid in reversed(list(zip(temps, kids, strict=True))):
            expr = _IfExp(
                _Compare(_NamedExpr(self.name(t, _STORE), kid), [ast.Is()], [_Constant(decisive)]),
                _Constant(decisive), expr)
        # Temps of skipped children are never read: `seen_unknown` only runs once all were evaluated.
        return expr


def compile_program(rules: Sequence[Rule], operators: Mapping[str, Operator],
                    derived: Mapping[str, Callable[[Any], Any]], name: str,
                    approximable: frozenset[str] = frozenset(), cache_key: str | None = None) -> Program:
    """Compile the rules (factors, then overrides) of one rule set.

    ``decide`` and ``trace`` read exact answers; their variants for approximate answers
    (:meth:`Program.approximate`) are compiled on first use, so the common case pays nothing.
    """
    facts = list(dict.fromkeys(leaf.fact for leaf in _all_leaves(rules)))
    offsets = []
    count = 0
    for rule in rules:
        offsets.append(count)
        count += len(rule.cases)
    exact = cache_key and f"{cache_key}-exact"
    program = Program(tuple(facts), _compile_decide(rules, operators, derived, name, facts, frozenset(), exact),
                      _compile_trace(rules, operators, derived, name, facts, frozenset(), exact), tuple(offsets),
                      _compile_possible(rules, operators, derived, name, facts, approximable, exact))
    if approximable:
        approx = cache_key and f"{cache_key}-approximate"
        program.approximate_factory = lambda: Program(
            tuple(facts), _compile_decide(rules, operators, derived, name, facts, approximable, approx),
            _compile_trace(rules, operators, derived, name, facts, approximable, approx), tuple(offsets),
            program.possible)
    return program


def _compile_decide(rules: Sequence[Rule], operators: Mapping[str, Operator],
                    derived: Mapping[str, Callable[[Any], Any]], name: str, facts: Sequence[str],
                    approximable: frozenset[str], cache_key: str | None = None) -> Any:
    """``decide(q)`` → (factor payloads, override payloads, rules whose outcome hinged on an unknown)."""
    cached = _cached_function("decide", cache_key, rules, operators, derived)
    if cached is not None:
        return cached
    b = _Builder(operators, derived, approximable=approximable)
    body: list[ast.stmt] = b.fetch_statements(facts)
    for lst, app in (("m", "ma"), ("o", "oa"), ("unk", "ua")):
        body.append(_Assign([b.name(lst, _STORE)], _List([], _LOAD)))
        body.append(_Assign([b.name(app, _STORE)], _Attribute(b.name(lst), "append", _LOAD)))
    for r, rule in enumerate(rules):
        body.extend(_guarded(b, rule, r))
    body.append(_Return(_Tuple([b.name("m"), b.name("o"), b.name("unk")], _LOAD)))
    return _function(b, "decide", body, name, cache_key)


def _all_leaves(rules: Sequence[Rule]) -> list[Leaf]:
    return [leaf for rule in rules
            for node in (*((rule.guard,) if rule.guard is not None else ()), *rule.cases) for leaf in node.leaves()]


def _compile_trace(rules: Sequence[Rule], operators: Mapping[str, Operator],
                   derived: Mapping[str, Callable[[Any], Any]], name: str, facts: Sequence[str],
                   approximable: frozenset[str], cache_key: str | None = None) -> Any:
    """``trace(q)`` → (fact values, leaf outcomes, case outcomes, guard outcomes)."""
    cached = _cached_function("trace", cache_key, rules, operators, derived)
    if cached is not None:
        return cached
    t = _Builder(operators, derived, approximable=approximable)
    tbody: list[ast.stmt] = t.fetch_statements(facts)
    leaves = _all_leaves(rules)
    for leaf in leaves:
        tbody.append(_Assign([t.name(f"l{leaf.index}", _STORE)], t.leaf_expr(leaf)))
    case_exprs = [t.node_expr(case, lambda leaf: t.name(f"l{leaf.index}")) for rule in rules for case in rule.cases]
    guard_exprs = [t.node_expr(rule.guard, lambda leaf: t.name(f"l{leaf.index}")) if rule.guard is not None
                   else _Constant(True) for rule in rules]
    tbody.append(_Return(_Tuple([
        _Tuple([t.name(f"f{i}") for i in range(len(facts))], _LOAD),
        _Tuple([t.name(f"l{leaf.index}") for leaf in leaves], _LOAD),
        _Tuple(case_exprs, _LOAD),
        _Tuple(guard_exprs, _LOAD),
    ], _LOAD)))
    return _function(t, "trace", tbody, name, cache_key)


def _compile_possible(rules: Sequence[Rule], operators: Mapping[str, Operator],
                      derived: Mapping[str, Callable[[Any], Any]], name: str, facts: Sequence[str],
                      approximable: frozenset[str], cache_key: str | None = None) -> Any:
    """``possible(q)`` → (case outcomes, guard outcomes), every missing answer unknown."""
    cached = _cached_function("possible", cache_key, rules, operators, derived)
    if cached is not None:
        return cached
    w = _Builder(operators, derived, open_world=True, approximable=approximable)
    wbody: list[ast.stmt] = w.fetch_statements(facts)
    for leaf in _all_leaves(rules):
        wbody.append(_Assign([w.name(f"l{leaf.index}", _STORE)], w.leaf_expr(leaf)))
    wcases = [w.node_expr(case, lambda leaf: w.name(f"l{leaf.index}")) for rule in rules for case in rule.cases]
    wguards = [w.node_expr(rule.guard, lambda leaf: w.name(f"l{leaf.index}")) if rule.guard is not None
               else _Constant(True) for rule in rules]
    wbody.append(_Return(_Tuple([_Tuple(wcases, _LOAD), _Tuple(wguards, _LOAD)],
                                      _LOAD)))
    return _function(w, "possible", wbody, name, cache_key)


def _interval_test(python_op: str | None, operand: Any) -> Callable[[Interval], bool | None]:
    def test(value: Interval) -> bool | None:
        return compare(python_op, value, operand)
    return test


def _guarded(b: _Builder, rule: Rule, r: int) -> list[ast.stmt]:
    """The rule's case chain behind its guard: false → nothing; unknown → the guard policy decides."""
    chain = _chain(_case_step, b, rule, r)
    if rule.guard is None:
        return chain
    guard = b.node_expr(rule.guard, b.leaf_expr)
    if not b.may_be_unknown(rule.guard):
        return [_If(guard, chain, [])]
    g = b.temp()
    uncertain = _chain(_uncertain_step, b, rule, r)
    return [_Assign([b.name(g, _STORE)], guard),
            _If(_Compare(b.name(g), [ast.Is()], [_Constant(True)]), chain,
                   [_If(_Compare(b.name(g), [ast.Is()], [_Constant(None)]), uncertain, [])])]


def _chain(step: Callable[[_Builder, Rule, int, int, list[ast.stmt]], list[ast.stmt]], b: _Builder, rule: Rule,
           r: int) -> list[ast.stmt]:
    """The rule's cases as nested statements, built from the last case back: a loop, not a recursion."""
    rest: list[ast.stmt] = []
    for k in reversed(range(len(rule.cases))):
        rest = step(b, rule, r, k, rest)
    return rest


def _uncertain_step(b: _Builder, rule: Rule, r: int, k: int, rest: list[ast.stmt]) -> list[ast.stmt]:
    """Cases behind an unknown guard: any case not known false hinges on the guard's unknown answer."""
    case = rule.cases[k]
    note = _Expr(_Call(b.name("ua"), [_Constant(r)], []))
    expr = b.node_expr(case, b.leaf_expr)
    possible = _Compare(expr, [ast.IsNot()], [_Constant(False)])
    take = _Expr(_Call(b.name(rule.sink + "a"), [b.const(rule.payloads[k], ("payload", r, k))], []))
    if rule.guard_policy == "assume_match":
        return [_If(possible, [take, note], rest)]
    if rule.guard_policy == "if_case_holds":
        # A case whose own answers hold implies the precondition (compensation below the standard is
        # only reported for land that is taken): take it; an unknown case is noted and passed over.
        v = b.temp()
        return [_Assign([b.name(v, _STORE)], expr),
                _If(_Compare(b.name(v), [ast.IsNot()], [_Constant(False)]), [note], []),
                _If(_Compare(b.name(v), [ast.Is()], [_Constant(True)]), [take], rest)]
    # Not taken: note that the answer could make it apply, and look no further (one note is enough).
    return [_If(possible, [note], rest)]


def _case_step(b: _Builder, rule: Rule, r: int, k: int, rest: list[ast.stmt]) -> list[ast.stmt]:
    """Statements that hand the payload of the first applicable case from ``k`` on to the sink."""
    case = rule.cases[k]
    take = _Expr(_Call(b.name(rule.sink + "a"), [b.const(rule.payloads[k], ("payload", r, k))], []))
    expr = b.node_expr(case, b.leaf_expr)
    if not b.may_be_unknown(case):
        return [_If(expr, [take], rest)]  # an If with an empty orelse is valid
    v = b.temp()
    assign = _Assign([b.name(v, _STORE)], expr)
    is_none = _Compare(b.name(v), [ast.Is()], [_Constant(None)])
    note = _If(is_none, [_Expr(_Call(b.name("ua"), [_Constant(r)], []))], [])
    if rule.on_unknown == "assume_no_match" or (rule.assume_case is not None and k != rule.assume_case):
        return [assign, _If(_Compare(b.name(v), [ast.Is()], [_Constant(True)]), [take], [note, *rest])]
    # assume_match and refuse both take the case; the engine refuses afterwards for `refuse`.
    return [assign, _If(_Compare(b.name(v), [ast.IsNot()], [_Constant(False)]), [take, note], rest)]


def _function(b: _Builder, fname: str, body: list[ast.stmt], name: str, cache_key: str | None = None) -> Any:
    """The function ``fname(q)`` in the builder's namespace; cached with how its namespace was made."""
    fcode = _compiled(fname, body, name)
    if cache_key:
        cache.put_code(f"{cache_key}-{fname}", (fcode, tuple(b.recipe)))
    return types.FunctionType(fcode, b.namespace, fname)


def _cached_function(fname: str, cache_key: str | None, rules: Sequence[Rule], operators: Mapping[str, Operator],
                     derived: Mapping[str, Callable[[Any], Any]]) -> Any:
    """The function ``fname`` from the disk cache, without building its syntax tree again; None if not there.

    The cache holds the code and, for each name in its namespace, where the value comes from in the rules
    (a leaf's operand, a case's payload, an operator…): the namespace is rebuilt from this rule set's own
    objects, so the code only ever runs with the values of the very rules it was compiled from.
    """
    if not cache_key:
        return None
    entry = cache.get_code(f"{cache_key}-{fname}")
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], types.CodeType)
            and entry[0].co_name == fname):
        return None
    try:
        namespace = _rebuilt_namespace(entry[1], rules, operators, derived)
    except (KeyError, IndexError, TypeError, ValueError):  # an entry that does not fit: compile afresh
        return None
    return types.FunctionType(entry[0], namespace, fname)


def _rebuilt_namespace(recipe: Any, rules: Sequence[Rule], operators: Mapping[str, Operator],
                       derived: Mapping[str, Callable[[Any], Any]]) -> dict[str, Any]:
    leaves = {leaf.index: leaf for leaf in _all_leaves(rules)}
    namespace = _base_namespace()
    for name, origin in recipe:
        kind = origin[0]
        if kind == "operand":
            value = leaves[origin[1]].operand
        elif kind == "bound":
            value = leaves[origin[1]].operand[origin[2]]
        elif kind == "payload":
            value = rules[origin[1]].payloads[origin[2]]
        elif kind == "operator":
            value = checked_test(operators[origin[1]])
        elif kind == "interval test":
            leaf = leaves[origin[1]]
            value = _interval_test(operators[leaf.op].python_op, leaf.operand)
        elif kind == "derived":
            value = derived[origin[1]]
        else:
            raise KeyError(kind)
        namespace[name] = value
    return namespace


def _compiled(fname: str, body: list[ast.stmt], name: str) -> types.CodeType:
    args = ast.arguments(posonlyargs=[], args=[_arg("q")], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])
    extra: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}  # field added in 3.12
    fdef = _FunctionDef(name=fname, args=args, body=body, decorator_list=[], returns=None, **extra)
    module = ast.Module(body=[fdef], type_ignores=[])
    code = compile(module, filename=f"<riskassess rule set {name}>", mode="exec")
    return next(c for c in code.co_consts if isinstance(c, types.CodeType))
