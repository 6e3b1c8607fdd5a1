"""The staff screens for suppliers: verification, belts and categories of each profile."""

from __future__ import annotations

from django.contrib import admin

from suppliers.models import SupplierProfile


@admin.register(SupplierProfile)
class SupplierProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "belt", "province", "city", "business_type", "verification_status", "is_active"]
    list_filter = ["verification_status", "belt", "province", "business_type", "is_active"]
    search_fields = ["name", "company__name", "city"]
    list_select_related = ["company", "belt"]
    autocomplete_fields = ["company", "belt", "main_categories"]
    readonly_fields = ["created_at"]
