"""Serializers of the orders API, one module per area."""
