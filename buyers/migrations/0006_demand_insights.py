"""Demand insights: weekly demand per category and belt, surges, and the aggregation's watermark."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0005_match_profile_track_record"),
        ("marketplace", "0002_belt_onboarding"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemandAggregationState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=20, unique=True, verbose_name="key")),
                ("processed_until", models.DateTimeField(blank=True, null=True, verbose_name="processed until")),
                ("last_run_at", models.DateTimeField(blank=True, null=True, verbose_name="last run")),
                ("last_weeks", models.PositiveIntegerField(default=0, verbose_name="weeks recomputed by the last run")),
                (
                    "last_duration_ms",
                    models.PositiveIntegerField(default=0, verbose_name="duration of the last run (ms)"),
                ),
            ],
            options={
                "verbose_name": "demand aggregation state",
                "verbose_name_plural": "demand aggregation state",
            },
        ),
        migrations.CreateModel(
            name="DemandSurge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("week", models.DateField(verbose_name="week")),
                ("rfq_count", models.PositiveIntegerField(verbose_name="RFQs this week")),
                (
                    "baseline_average",
                    models.DecimalField(decimal_places=2, max_digits=12, verbose_name="weekly average before"),
                ),
                ("baseline_weeks", models.PositiveSmallIntegerField(verbose_name="weeks averaged")),
                (
                    "ratio",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="ratio"),
                ),
                ("detected_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="detected")),
                ("alerted_count", models.PositiveIntegerField(default=0, verbose_name="people alerted")),
                (
                    "belt",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="marketplace.industrialbelt",
                        verbose_name="belt",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="marketplace.category",
                        verbose_name="category",
                    ),
                ),
            ],
            options={
                "verbose_name": "demand surge",
                "verbose_name_plural": "demand surges",
                "ordering": ["-week", "-rfq_count", "id"],
                "indexes": [models.Index(fields=["belt", "-week"], name="demand_surge_belt_week")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("week", "category", "belt"), name="demand_surge_unique", nulls_distinct=False
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DemandWeek",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("week", models.DateField(verbose_name="week")),
                ("rfq_count", models.PositiveIntegerField(default=0, verbose_name="RFQs posted")),
                ("quantity_total", models.PositiveBigIntegerField(default=0, verbose_name="quantity asked")),
                ("buyer_count", models.PositiveIntegerField(default=0, verbose_name="distinct buyers")),
                ("buyer_countries", models.JSONField(blank=True, default=dict, verbose_name="RFQs by buyer country")),
                ("quote_count", models.PositiveIntegerField(default=0, verbose_name="quotes received")),
                ("quoted_rfq_count", models.PositiveIntegerField(default=0, verbose_name="RFQs with a quote")),
                (
                    "first_quote_median_minutes",
                    models.PositiveIntegerField(null=True, verbose_name="median time to first quote (minutes)"),
                ),
                ("match_count", models.PositiveIntegerField(default=0, verbose_name="suppliers notified")),
                (
                    "answered_match_count",
                    models.PositiveIntegerField(default=0, verbose_name="notified suppliers who answered"),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="updated")),
                (
                    "belt",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="marketplace.industrialbelt",
                        verbose_name="belt",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="marketplace.category",
                        verbose_name="category",
                    ),
                ),
            ],
            options={
                "verbose_name": "weekly demand",
                "verbose_name_plural": "weekly demand",
                "ordering": ["week", "id"],
                "indexes": [models.Index(fields=["belt", "category", "week"], name="demand_week_scope")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("week", "category", "belt"), name="demand_week_unique", nulls_distinct=False
                    )
                ],
            },
        ),
    ]
