"""Model instances from plain SQL rows, for the few hot statements whose ORM query took longer to
compose than to run (an RFQ's read in matching, a search's page of products).

`select_columns` lists a model's concrete columns (all, or all but some deferred ones) for a SELECT;
`instance_of` makes the model instance of those columns' values as `Model.from_db` does for a
queryset: each field's database converters applied, the fields left out deferred (read when used).
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
