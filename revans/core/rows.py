"""Model instances from hand-written SQL, for the few reads on a hot path.

The ORM compiles every query it runs; for the live meeting's acts that compiling was a third
of the CPU of each question asked (bench/live_meeting.py), more than the database's own
work. The reads every act makes (the locked meeting row, its agenda, the person a question
is addressed to) are therefore written once here as SQL, and their rows turned into model
instances the way the ORM would: each value through the database's and the field's own
converters, then Model.from_db. Everything else, and every write, stays with the ORM.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# Per connection (each thread has its own): how to read each Columns' values.
_readings: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Columns:
    """A model's concrete columns under a table alias, for a SELECT list."""

    model: type[Model]
    alias: str

    @property
    def fields(self) -> list:
        return list(self.model._meta.concrete_fields)

    def sql(self, connection) -> str:
        qn = connection.ops.quote_name
        return ", ".join(f"{qn(self.alias)}.{qn(f.column)}" for f in self.fields)

    def col(self, connection, name: str) -> str:
        """One column, by its field's name, under this alias (for joins and conditions)."""
        qn = connection.ops.quote_name
        return f"{qn(self.alias)}.{qn(self.model._meta.get_field(name).column)}"

    def table(self, connection) -> str:
        qn = connection.ops.quote_name
        return f"{qn(self.model._meta.db_table)} {qn(self.alias)}"

    def instance(self, connection, values: Sequence[Any]) -> Model:
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


def split(row: Sequence[Any], *parts: Columns, connection) -> list[Model]:
    """A joined row cut into one instance per model, in the order the columns were listed."""
    out, start = [], 0
    for part in parts:
        out.append(part.instance(connection, row[start : start + len(part)]))
        start += len(part)
    return out


_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def statement(connection, build) -> str:
    """`build(connection)`'s SQL, built once for each connection (quoting is the vendor's)."""
    known = _statements.setdefault(connection, {})
    if build not in known:
        known[build] = build(connection)
    return known[build]


def fetch(build, params: Sequence[Any]) -> tuple[Any, list[tuple]]:
    """Run `build`'s statement on the default database: its connection (for
    Columns.instance) and the rows."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(statement(connection, build), params)
        return connection, cursor.fetchall()
