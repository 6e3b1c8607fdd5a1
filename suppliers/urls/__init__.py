"""The suppliers app's pages (namespace "suppliers"), one module of routes per area."""

from suppliers.urls import catalog, imports, profiles, search

app_name = "suppliers"
urlpatterns = [*profiles.urlpatterns, *catalog.urlpatterns, *imports.urlpatterns, *search.urlpatterns]
