"""Reads compiled once per database connection: the hot SELECTs of every request.

Building and compiling a queryset costs more Python than the statement costs PostgreSQL: about
1–2 ms for a one-row read with a join (the bearer token with its user and official, the dossier
with its applicant), against 0.1 ms to send it and read the row (BENCHMARKS.md, "Application
CPU"). A `PreparedRead` builds its queryset once per shape of its arguments — with stand-in
values — keeps the compiled SQL, where each argument goes in its parameters, and how the ORM
turns a row into model instances (converters, `select_related` populators); each later call sends
the same SQL with the real values and builds the instances as the ORM would.

Only the exact values of plain arguments are substituted: ints, strings, None, and tuples of
ints (an `__in` list; its length is part of the shape). Any argument the ORM does not pass through
unchanged as one parameter (a lookup that rewrites its value, a value inlined in the SQL) makes
the read fall back to the ORM for that shape, so a prepared read answers what its queryset
answers, always. The plans live on the connection object (one per thread and alias), so a
reconnect keeps them and no thread shares a cursor's compiler.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)
Arg = int | str | None | tuple[int, ...]

_PLANS = "_motcua_prepared_reads"
# Stand-in values, far from any real id or code, each used once per planned shape.
_FIRST_INT = 7_300_000_000_000_000
_NOT_PREPARED = object()
_EMPTY = object()


@dataclass(frozen=True)
class _Plan:
    sql: str
    # Per parameter: (argument index, element index or -1) or (-1, constant).
    sources: tuple[tuple[int, Any], ...]
    for_update: bool
    compiler: SQLCompiler
    converters: dict[int, Any]
    model: type[Model]
    start: int
    end: int
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]


class PreparedRead(Generic[M]):
    """`read(*args)` is `list(build(*args))`, compiled once per shape of `args`."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build

    def __call__(self, *args: Arg, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        connection = connections[using]
        plans: dict[Hashable, Any] = connection.__dict__.setdefault(_PLANS, {})
        shape = (id(self), *(_shape(a) for a in args))
        plan = plans.get(shape)
        if plan is None:
            plan = plans[shape] = self._plan(args, using)
        if plan is _NOT_PREPARED:
            return list(self._build(*args).using(using))
        if plan is _EMPTY:
            return []
        return _run(plan, args, using)

    def _plan(self, args: tuple[Arg, ...], using: str) -> Any:
        standing = _stand_ins(args)
        if standing is None:
            return _NOT_PREPARED
        planned, stand_ins = standing
        queryset = self._build(*planned).using(using)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _EMPTY
        sources = _sources(sql, params, stand_ins)
        if sources is None or queryset._known_related_objects:
            return _NOT_PREPARED
        select, klass_info = compiler.select, compiler.klass_info
        if compiler.annotation_col_map or klass_info is None:
            return _NOT_PREPARED
        fields = [s[0] for s in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            return _NOT_PREPARED
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Plan(
            sql=sql,
            sources=sources,
            for_update=bool(queryset.query.select_for_update),
            compiler=compiler,
            converters=compiler.get_converters(fields),
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            populators=tuple(get_related_populators(klass_info, select, using)),
        )


def _stand_ins(
    args: tuple[Arg, ...],
) -> tuple[list[Any], dict[tuple[type, Any], tuple[int, int]]] | None:
    """The arguments to plan with (a unique stand-in for each value to substitute) and where
    each stand-in comes from: (argument index, element index or -1)."""
    counter = itertools.count(_FIRST_INT)
    stand_ins: dict[tuple[type, Any], tuple[int, int]] = {}
    planned: list[Any] = []
    for index, arg in enumerate(args):
        if isinstance(arg, tuple):
            values = tuple(next(counter) for _ in arg)
            stand_ins.update({(int, v): (index, j) for j, v in enumerate(values)})
            planned.append(values)
        elif isinstance(arg, bool) or arg is None:
            planned.append(arg)  # part of the shape, never a parameter to substitute
        elif isinstance(arg, int):
            stand_ins[(int, value := next(counter))] = (index, -1)
            planned.append(value)
        elif isinstance(arg, str):
            stand_ins[(str, text := f"~prepared-{next(counter)}~")] = (index, -1)
            planned.append(text)
        else:
            return None
    return planned, stand_ins


def _sources(
    sql: str, params: Any, stand_ins: dict[tuple[type, Any], tuple[int, int]]
) -> tuple[tuple[int, Any], ...] | None:
    """Where each parameter comes from; None when a stand-in did not reach the parameters as
    it was: the SQL shows it, or a parameter holds it rewritten ("%value%"). A stand-in found
    nowhere is an argument this shape does not use."""
    sources: list[tuple[int, Any]] = []
    found: set[tuple[type, Any]] = set()
    for param in params:
        key = (type(param), param) if isinstance(param, int | str) else None
        if key in stand_ins:
            sources.append(stand_ins[key])
            found.add(key)  # type: ignore[arg-type]
        else:
            sources.append((-1, param))
    constants = " ".join(str(value) for index, value in sources if index < 0)
    if any(str(value) in sql for _kind, value in stand_ins) or any(
        str(value) in constants for _kind, value in set(stand_ins) - found
    ):
        return None
    return tuple(sources)


def _shape(arg: Arg) -> Hashable:
    if isinstance(arg, tuple):
        return ("in", len(arg))
    if isinstance(arg, bool) or arg is None:
        return arg
    return type(arg)


def _run(plan: _Plan, args: tuple[Arg, ...], using: str) -> list[Any]:
    connection = connections[using]
    if (
        plan.for_update
        and connection.features.has_select_for_update
        and connection.get_autocommit()
    ):
        # As the ORM says it for select_for_update() outside a transaction.
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    params = [
        value if index < 0 else args[index] if value < 0 else args[index][value]  # type: ignore[index]
        for index, value in plan.sources
    ]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows: Any = cursor.fetchall()
    if plan.converters:
        rows = plan.compiler.apply_converters(rows, plan.converters)
    found = []
    for row in rows:
        obj = plan.model.from_db(using, list(plan.init_list), row[plan.start : plan.end])
        for populator in plan.populators:
            populator.populate(row, obj)
        found.append(obj)
    return found
