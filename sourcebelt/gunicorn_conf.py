"""gunicorn's settings for the web tier: `gunicorn sourcebelt.wsgi -c python:sourcebelt.gunicorn_conf`
(the Dockerfile and docker-compose.yml start it so; the address and the number of workers stay on
the command line).

Only the limits on what gunicorn reads before the application sees a request live here
(docs/security.md, "Hostile input"). The request line may be as long as gunicorn allows at all, so
that the application's own limit just below it (MAX_URL_LENGTH, 8,000 characters by default)
refuses an address that is too long, with a 414 in the API's JSON shape or on a page; only a line
over 8,190 bytes still gets gunicorn's own HTML 414 (gunicorn's default, 4,094, answered every
address between the two with it). Bodies are the application's business: it refuses one
over MAX_REQUEST_BODY_BYTES by its Content-Length, before reading it.
"""

# gunicorn's maximum (0 would mean no limit at all).
limit_request_line = 8190
# Header fields: how many, and how long each (gunicorn's defaults, stated here).
limit_request_fields = 100
limit_request_field_size = 8190
