"""gunicorn's settings for the web tier: `gunicorn sourcebelt.wsgi -c python:sourcebelt.gunicorn_conf`
(the Dockerfile and docker-compose.yml start it so; the address and the number of workers stay on
the command line).

The application is loaded once, in the master, before the workers fork (`preload_app`), and the
search's dictionaries with it (jieba's, ~1.2 s and ~100 MB, and OpenCC's), the URL modules and
views, and the translation catalogues: every worker's first search is then as fast as the
others, and the workers share those pages instead of each holding a copy (docs/search.md).
Database connections are opened only in the workers, per request.

The limits on what gunicorn reads before the application sees a request (docs/security.md,
"Hostile input"). The request line may be as long as gunicorn allows at all, so
that the application's own limit just below it (MAX_URL_LENGTH, 8,000 characters by default)
refuses an address that is too long, with a 414 in the API's JSON shape or on a page; only a line
over 8,190 bytes still gets gunicorn's own HTML 414 (gunicorn's default, 4,094, answered every
address between the two with it). Bodies are the application's business: it refuses one
over MAX_REQUEST_BODY_BYTES by its Content-Length, before reading it.
"""

import os

preload_app = True

# The web tier's bound on any one SQL statement (settings.DATABASE_STATEMENT_TIMEOUT_MS), unless the
# environment chose one; workers and commands have none by default (imports and rebuilds run long).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "15000")


def when_ready(server: object) -> None:
    """In the master, with the application loaded: load before forking what every worker's first
    request would otherwise load alone (bench/http_bench.py measured 2.6 s and 70 MB a worker for
    the URLs alone): the search's dictionaries; every URL module with the views it imports, and the
    map that `reverse` reads; each language's translation catalogues. No connection stays open."""
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils import translation

    from suppliers.search.segment import segmenter_load

    segmenter_load()
    resolver = get_resolver()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            resolver.reverse_dict  # noqa: B018 - filled per language on first use
    connections.close_all()


# gunicorn's maximum (0 would mean no limit at all).
limit_request_line = 8190
# Header fields: how many, and how long each (gunicorn's defaults, stated here).
limit_request_fields = 100
limit_request_field_size = 8190
