"""Hand-written SQL for the few reads and writes on a live meeting's hot path.

The ORM compiles every query it runs; for the live meeting's acts that compiling was a third
of the CPU of each question asked (bench/live_meeting.py), more than the database's own
work. The reads every act makes (the locked meeting row, its agenda, the person a question
is addressed to) are therefore written once here as SQL, and their rows turned into model
instances the way the ORM would: each value through the database's and the field's own
converters, then Model.from_db. The writes every act makes (the meeting row, its events, a
question) go through insert(), insert_all() and update(), which prepare each value as the
ORM's save() does (Field.pre_save, then get_db_prep_save) with a statement built once per
model and connection. They send no model signals: use them only for models without
receivers or save() overrides (the live app's). Everything else stays with the ORM.

On PostgreSQL these statements are also prepared on the server (prepared_cursor), an act's
last two writes are one statement (update_then_insert_all), and an act is three round trips
to the server: BEGIN goes with its first reads (fetch_first), COMMIT with its last write. (A
plain question is one: revans.live.actions.question_in_one_trip.)
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from psycopg import pq

M = TypeVar("M", bound=Model)
A = TypeVar("A", bound=Model)
B = TypeVar("B", bound=Model)
C = TypeVar("C", bound=Model)
D = TypeVar("D", bound=Model)

# Per connection (each thread has its own): how to read each Columns' values.
_readings: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Columns(Generic[M]):
    """A model's concrete columns under a table alias, for a SELECT list."""

    model: type[M]
    alias: str

    @functools.cached_property
    def fields(self) -> list:
        # cached_property writes the instance's __dict__ directly, so a frozen dataclass
        # can hold it; equality and hashing still use model and alias only.
        return list(self.model._meta.concrete_fields)

    def sql(self, connection) -> str:
        qn = connection.ops.quote_name
        return ", ".join(f"{qn(self.alias)}.{qn(f.column)}" for f in self.fields)

    def col(self, connection, name: str) -> str:
        """One column, by its field's name, under this alias (for joins and conditions)."""
        qn = connection.ops.quote_name
        return f"{qn(self.alias)}.{qn(_concrete(self.model._meta.get_field(name)).column)}"

    def table(self, connection) -> str:
        qn = connection.ops.quote_name
        return f"{qn(self.model._meta.db_table)} {qn(self.alias)}"

    def instance(self, connection, values: Sequence[Any]) -> M:
        """One instance from this model's slice of a row, converted as the ORM converts."""
        names, converters = self._reading(connection)
        converted = list(values)
        for index, expression, convert in converters:
            converted[index] = convert(converted[index], expression, connection)
        return self.model.from_db(connection.alias, names, converted)

    def _reading(self, connection) -> tuple[list[str], list[tuple]]:
        """Field names and the converters of the columns that have any, worked out once for
        each connection (converters are the connection's own methods)."""
        known = _readings.setdefault(connection, {})
        if self not in known:
            converters = []
            for index, field in enumerate(self.fields):
                expression = field.get_col(self.alias)
                for convert in (
                    *connection.ops.get_db_converters(expression),
                    *field.get_db_converters(connection),
                ):
                    converters.append((index, expression, convert))
            known[self] = ([f.attname for f in self.fields], converters)
        return known[self]

    def __len__(self) -> int:
        return len(self.model._meta.concrete_fields)


@overload
def split(
    row: Sequence[Any], a: Columns[A], b: Columns[B], c: Columns[C], /, *, connection
) -> tuple[A, B, C]: ...
@overload
def split(
    row: Sequence[Any],
    a: Columns[A],
    b: Columns[B],
    c: Columns[C],
    d: Columns[D],
    /,
    *,
    connection,
) -> tuple[A, B, C, D]: ...
def split(row: Sequence[Any], *parts: Columns, connection) -> tuple[Model, ...]:
    """A joined row cut into one instance per model, in the order the columns were listed."""
    out, start = [], 0
    for part in parts:
        out.append(part.instance(connection, row[start : start + len(part)]))
        start += len(part)
    return tuple(out)


def attach(relation, instance: Model, related: Model) -> None:
    """`instance.<relation> = related` for instances read here, e.g.
    attach(LiveMeeting.meeting, live, meeting). Assigning through a one-to-one descriptor
    also caches the way back (meeting.live = live): the pair then holds each other, a
    reference cycle that only the garbage collector frees, and every act made one. The
    collector's pauses were then the slowest updates of a busy server
    (bench/live_meeting.py), so only the way asked for is cached."""
    relation.field.set_cached_value(instance, related)


_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def statement(connection, build) -> str:
    """`build(connection)`'s SQL, built once for each connection (quoting is the vendor's)."""
    return _cached(connection, build, lambda: build(connection))


def _cached(connection, key, build) -> str:
    """The SQL `build()` makes, kept for this connection under `key` (unique per statement)."""
    known = _statements.setdefault(connection, {})
    if key not in known:
        known[key] = build()
    return known[key]


def _concrete(field) -> Field:
    """A field with a column (get_field also finds reverse relations, which have none)."""
    assert isinstance(field, Field) and field.column is not None, field
    return field


def _pk_column(model: type[Model]) -> str:
    assert model._meta.pk is not None
    column = _concrete(model._meta.pk).column
    assert column is not None
    return column


def _values(instance: Model, fields: Sequence, connection, add: bool) -> list[Any]:
    return [
        field.get_db_prep_save(field.pre_save(instance, add), connection=connection)
        for field in fields
    ]


def _insert_into(connection, model: type[Model]) -> str:
    """INSERT INTO the model's table (its columns but the auto primary key)."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in _insert_fields(model))
    return f"INSERT INTO {qn(model._meta.db_table)} ({columns})"


def _insert_sql(connection, model: type[Model], rows_count: int) -> str:
    row = "(" + ", ".join(["%s"] * len(_insert_fields(model))) + ")"
    return f"{_insert_into(connection, model)} VALUES " + ", ".join([row] * rows_count)


@functools.cache
def _insert_fields(model: type[Model]) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if f is not model._meta.auto_field)


def _saved(instance: Model, connection) -> None:
    instance._state.adding = False
    instance._state.db = connection.alias


def insert(instance: Model) -> None:
    """INSERT one new instance (with an auto primary key, left unset) and set its pk."""
    model, connection = type(instance), connections[DEFAULT_DB_ALIAS]
    qn = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    sql = _cached(
        connection,
        # Not ("insert", model, True): True == 1 would share insert_all's one-row statement.
        ("insert one", model, returning),
        lambda: (
            _insert_sql(connection, model, 1)
            + (f" RETURNING {qn(_pk_column(model))}" if returning else "")
        ),
    )
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, _values(instance, _insert_fields(model), connection, add=True))
        instance.pk = (
            cursor.fetchone()[0]
            if returning
            else connection.ops.last_insert_id(cursor, model._meta.db_table, _pk_column(model))
        )
    _saved(instance, connection)


def insert_all(instances: Sequence[Model]) -> None:
    """INSERT new instances of one model in one statement; their pks are not read back."""
    if not instances:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    sql, params = _insert_all(instances, connection)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
    for row in instances:
        _saved(row, connection)


def _insert_all(instances: Sequence[Model], connection) -> tuple[str, list[Any]]:
    model = type(instances[0])
    fields = _insert_fields(model)
    sql = _cached(
        connection,
        ("insert rows", model, len(instances)),
        lambda: _insert_sql(connection, model, len(instances)),
    )
    return sql, [value for row in instances for value in _values(row, fields, connection, add=True)]


def update(instance: Model, names: Sequence[str]) -> None:
    """UPDATE the named fields of a saved instance (as save(update_fields=names))."""
    if not names:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    sql, params = _update(instance, names, connection)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)


def _update(instance: Model, names: Sequence[str], connection) -> tuple[str, list[Any]]:
    model = type(instance)
    meta, qn = model._meta, connection.ops.quote_name
    fields = [_concrete(meta.get_field(name)) for name in names]
    sql = _cached(
        connection,
        ("update", model, tuple(names)),
        lambda: (
            f"UPDATE {qn(meta.db_table)} SET "
            + ", ".join(f"{qn(f.column)} = %s" for f in fields)
            + f" WHERE {qn(_pk_column(model))} = %s"
        ),
    )
    return sql, [*_values(instance, fields, connection, add=False), instance.pk]


def update_then_insert_all(
    instance: Model, names: Sequence[str], new: Sequence[Model], *, last: bool = False
) -> None:
    """update(instance, names), then insert_all(new). On PostgreSQL in one statement (the
    update as a data-modifying WITH, which runs to completion whether or not it is read):
    every statement there is a round trip to the server, and this pair ends every act that
    changes a live meeting, while it holds the meeting's lock.

    `last`: nothing more is written before the caller's atomic block ends. On PostgreSQL,
    in a transaction begun by fetch_first() the COMMIT then goes with this statement, in the
    same round trip (a pipeline); Django's commit at the block's end finds nothing left to
    commit and runs the on-commit callbacks as usual."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not (names or new):
        return
    if connection.vendor != "postgresql":
        update(instance, names)
        insert_all(new)
        return
    statements = []
    if names:
        statements.append(_update(instance, names, connection))
    if new:
        statements.append(_insert_all(new, connection))
    if len(statements) == 2:
        (changed, changed_params), (inserted, inserted_params) = statements
        statements = [(f"WITH changed AS ({changed}) {inserted}", changed_params + inserted_params)]
    ((sql, params),) = statements
    if last and _began_here(connection):
        # The pipeline ends (and waits for both results) before the cursor closes.
        with (
            prepared_cursor(connection) as cursor,
            connection.wrap_database_errors,
            connection.connection.pipeline(),
        ):
            cursor.execute(sql, params)
            connection.connection.execute(b"COMMIT", prepare=False)
    else:
        with prepared_cursor(connection) as cursor:
            cursor.execute(sql, params)
    for row in new:
        _saved(row, connection)


def insert_if_found(instance: Model, build, params: Sequence[Any]) -> tuple[Any, tuple | None]:
    """INSERT one new instance (as insert()) only if `build`'s read finds a row; return the
    connection and that row (None: nothing found, nothing inserted). On PostgreSQL one
    statement, a round trip fewer: the read, then an INSERT ... SELECT from it in a WITH,
    each value cast to its column's type (parameters bound on the server arrive untyped)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        connection, found = fetch(build, params)
        if found:
            insert(instance)
        return connection, (found[0] if found else None)
    model = type(instance)
    fields = _insert_fields(model)

    def sql() -> str:
        pk = connection.ops.quote_name(_pk_column(model))
        values = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
        return (
            f"WITH found AS ({build(connection)}),"
            f" added AS ({_insert_into(connection, model)}"
            f" SELECT {values} FROM found RETURNING {pk})"
            f" SELECT found.*, added.{pk} FROM found CROSS JOIN added"
        )

    values = _values(instance, fields, connection, add=True)
    with prepared_cursor(connection) as cursor:
        cursor.execute(
            _cached(connection, ("insert if found", model, build), sql), [*params, *values]
        )
        found = cursor.fetchone()
    if found is None:
        return connection, None
    instance.pk = found[-1]
    _saved(instance, connection)
    return connection, found[:-1]


def fetch_first(*reads: tuple[Any, Sequence[Any]]) -> tuple[Any, list[list[tuple]]]:
    """Each `(build, params)` read's rows, in order: the first statements of the caller's
    atomic block. On PostgreSQL, when that block is the outermost, BEGIN and the reads go in
    one round trip (a pipeline) instead of one each. psycopg would send its own BEGIN and
    wait for it, alone, even in a pipeline; it sends none in autocommit mode, so the
    connection is put in that mode and this BEGIN opens the transaction. Django still holds
    its atomic block, and psycopg commits or rolls back the transaction it finds open when
    the block ends, as it would have done its own."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not _may_begin_here(connection):
        return connection, [fetch(build, params)[1] for build, params in reads]
    raw = connection.connection
    raw.autocommit = True
    # A pipeline raises the statements' errors when it ends, outside the cursors' wrapping:
    # Django's own wrapping turns them into its exceptions (IntegrityError...) there too.
    with contextlib.ExitStack() as stack:
        with connection.wrap_database_errors, raw.pipeline():
            raw.execute(b"BEGIN", prepare=False)
            cursors = []
            for build, params in reads:
                cursor = stack.enter_context(prepared_cursor(connection))
                cursor.execute(statement(connection, build), params)
                cursors.append(cursor)
        return connection, [cursor.fetchall() for cursor in cursors]


def _may_begin_here(connection) -> bool:
    """PostgreSQL, in the outermost atomic block, before its transaction has begun on the
    server (Django's test cases wrap each test in a transaction: then the statements go one
    by one, as inside any other)."""
    if connection.vendor != "postgresql" or len(connection.atomic_blocks) != 1:
        return False
    connection.ensure_connection()
    raw = connection.connection
    return (
        not raw.autocommit
        and raw.isolation_level is None  # so a plain BEGIN opens what psycopg's would
        and raw.info.transaction_status == pq.TransactionStatus.IDLE
    )


def _began_here(connection) -> bool:
    """The transaction fetch_first() began is still open, with no savepoint inside it: in
    autocommit mode psycopg would not have begun one, and Django thinks it is in one."""
    raw = connection.connection
    return (
        connection.vendor == "postgresql"
        and len(connection.atomic_blocks) == 1
        and not connection.savepoint_ids
        and not connection.needs_rollback
        and raw is not None
        and raw.autocommit
        and not connection.get_autocommit()
        and raw.info.transaction_status == pq.TransactionStatus.INTRANS
    )


def fetch(build, params: Sequence[Any]) -> tuple[Any, list[tuple]]:
    """Run `build`'s statement on the default database: its connection (for
    Columns.instance) and the rows."""
    connection = connections[DEFAULT_DB_ALIAS]
    with prepared_cursor(connection) as cursor:
        cursor.execute(statement(connection, build), params)
        return connection, cursor.fetchall()


@contextlib.contextmanager
def prepared_cursor(connection):
    """A cursor for these statements. On PostgreSQL, one that binds parameters on the server
    and has each statement prepared the first time a connection runs it (psycopg keeps the
    prepared statements per connection, and the pool keeps the connections): planning was
    the larger part of the server's time for these small statements, about 1.2 of the 4.5 ms
    a question took in process (bench/README.md). Django's own queries keep client-side
    binding: some of them cannot be sent with parameters bound on the server."""
    if not _prepares(connection):
        with connection.cursor() as cursor:
            yield cursor
        return
    raw = connection.connection
    default = raw.cursor_factory
    # Through connection.cursor() so Django still wraps the cursor (errors, query logging,
    # time zone) as it does its own.
    raw.cursor_factory = _preparing_cursor()
    try:
        cursor = connection.cursor()
    finally:
        raw.cursor_factory = default
    with cursor:
        yield cursor


def _prepares(connection) -> bool:
    """PostgreSQL with a prepare threshold (settings: REVANS_DB_PREPARED_STATEMENTS)."""
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return connection.connection.prepare_threshold is not None


@functools.cache
def _preparing_cursor():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(
                query, params, prepare=True if prepare is None else prepare, binary=binary
            )
            # psycopg keeps no query for a prepared statement's run, and Django's query log
            # (DEBUG, tests counting queries) reads the statement from there.
            if self._query is None:
                self._query = self._converted
            return self

        def _convert_query(self, query, params=None):
            self._converted = super()._convert_query(query, params)
            return self._converted

    return PreparingCursor
