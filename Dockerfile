# SourceBelt's one image: the web tier (gunicorn), the Celery worker and Celery beat all run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=sourcebelt.settings

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (served by WhiteNoise). The settings refuse to start
# without SECRET_KEY when DEBUG is off, so the build uses a throwaway one; the real key comes
# from the environment at run time.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret DATABASE_URL= REDIS_URL= \
        python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app sourcebelt \
    && mkdir -p var/media var/private \
    && chown -R sourcebelt var

USER sourcebelt
EXPOSE 8000

CMD ["sh", "-c", "exec gunicorn sourcebelt.wsgi -c python:sourcebelt.gunicorn_conf --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips='*'"]
