"""Serializers of the buyers API, one module per area."""
