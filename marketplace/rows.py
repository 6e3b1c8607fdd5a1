"""Model instances from plain SQL rows, for the few hot statements whose ORM query took longer to
compose than to run (an RFQ's read in matching, a search's page of products).

`select_columns` lists a model's concrete columns (all, or all but some deferred ones) for a SELECT;
`instance_of` makes the model instance of those columns' values as `Model.from_db` does for a
queryset: each field's database converters applied, the fields left out deferred (read when used).
`RowReader` does the same for many rows of one statement, with the fields' names and converters
found once (a statement built once per process keeps its readers: a search page's 42 instances
then cost half as much).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


def fields_of(model: type[models.Model], *, deferred: Collection[str] = ()) -> list[models.Field]:
    """The model's concrete fields but the `deferred` ones (by name), in the model's order."""
    return [field for field in model._meta.concrete_fields if field.name not in deferred]


def select_columns(fields: Sequence[models.Field], alias: str) -> str:
    """The fields' columns of the table `alias`, quoted, for a SELECT (the models' own names)."""
    return ", ".join(f'{alias}."{field.column}"' for field in fields)


class RowReader:
    """Instances of `model` from the values of `fields` (a row's slice), as `instance_of` makes them,
    with the fields' attribute names and database converters found once (for connections of one
    database: each call names the connection the values came from, its thread's own)."""

    def __init__(self, model: type[models.Model], fields: Sequence[models.Field], connection: BaseDatabaseWrapper):
        self.model = model
        self.width = len(fields)
        self.attnames = [field.attname for field in fields]
        # (position, field, converters) of the fields that have converters; the others are as returned.
        self.converting = [
            (index, field, converters)
            for index, field in enumerate(fields)
            if (converters := tuple(field.get_db_converters(connection)))
        ]

    def instance(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> Any:
        if self.converting:
            values = list(values)
            for index, field, converters in self.converting:
                value = values[index]
                for converter in converters:
                    value = converter(value, field, connection)
                values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)


def instance_of(
    model: type[models.Model], fields: Sequence[models.Field], values: Sequence[Any], connection: BaseDatabaseWrapper
) -> Any:
    """The instance of `model` whose `fields` hold `values` as the database returned them."""
    converted = []
    for field, value in zip(fields, values, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, field, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)
