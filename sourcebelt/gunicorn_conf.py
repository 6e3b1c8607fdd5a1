"""gunicorn's settings for the web tier: `gunicorn sourcebelt.wsgi -c python:sourcebelt.gunicorn_conf`
(the Dockerfile and docker-compose.yml start it so; the address and the number of workers stay on
the command line).

The application is loaded once, in the master, before the workers fork (`preload_app`), and the
search's dictionaries with it (jieba's, ~1.2 s and ~100 MB, and OpenCC's), the URL modules and
views, and the translation catalogues: every worker's first search is then as fast as the
others, and the workers share those pages instead of each holding a copy (docs/search.md); what
was loaded is then frozen out of the garbage collector's walks (sourcebelt/preload.py).
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
    request would otherwise load alone, and freeze it out of the garbage collector's sight
    (sourcebelt/preload.py). No connection stays open."""
    from django.db import connections

    from sourcebelt.preload import preload

    preload()
    connections.close_all()


def post_worker_init(worker: object) -> None:
    """In each worker, before it takes a request: a search through the API and the home page, made
    through the whole application (middleware, authentication, throttles, serialisation, templates)
    as a visitor's would be, so that the worker's database session has loaded the catalog entries
    the statements plan with and its code paths are warm. Without it a worker's first search took
    110 ms against 20 ms for the same search later (bench/http_bench.py at 1,000,000 products). A
    failure here only costs that: the first request then does the same work."""
    import logging
    import time

    from django.conf import settings
    from django.test import Client

    started = time.monotonic()
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in {"*", "."}]
    client = Client(HTTP_HOST=hosts[0] if hosts else "localhost")
    try:
        for path in ("/api/v1/products/?q=%E5%8C%85", "/"):
            client.get(path, secure=True)
    except Exception:  # a database not reachable yet: the first request connects as usual
        logging.getLogger(__name__).warning("The worker's warm-up requests failed.", exc_info=True)
    # In gunicorn's log, after "Booting worker": from here the worker takes requests.
    log = getattr(worker, "log", None)
    if log is not None:
        log.info("Worker warmed up in %.0f ms", (time.monotonic() - started) * 1000)


# gunicorn's maximum (0 would mean no limit at all).
limit_request_line = 8190
# Header fields: how many, and how long each (gunicorn's defaults, stated here).
limit_request_fields = 100
limit_request_field_size = 8190
