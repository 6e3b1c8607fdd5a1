"""The staff screens for suppliers: verification, belts and categories of each profile."""

from __future__ import annotations

from django.contrib import admin

from suppliers.models import PriceTier, Product, SupplierProfile


@admin.register(SupplierProfile)
class SupplierProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "belt", "province", "city", "business_type", "verification_status", "is_active"]
    list_filter = ["verification_status", "belt", "province", "business_type", "is_active"]
    search_fields = ["name", "company__name", "city"]
    list_select_related = ["company", "belt"]
    autocomplete_fields = ["company", "belt", "main_categories"]
    readonly_fields = ["created_at"]


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "title", "supplier", "category", "status", "moq", "min_unit_price", "currency", "created_at"]
    list_filter = ["status", "belt", "sample_available", "unit"]
    search_fields = ["sku", "title", "supplier__name"]
    list_select_related = ["supplier", "category", "currency"]
    autocomplete_fields = ["supplier", "category"]
    readonly_fields = ["belt", "province", "min_unit_price", "created_at", "updated_at", "published_at"]
    show_full_result_count = False  # no exact COUNT over the whole product table
    inlines = [PriceTierInline]
