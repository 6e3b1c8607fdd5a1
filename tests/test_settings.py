"""Configuration comes from the environment, and production refuses to run half-configured.

Each check starts a fresh Python process, because settings are read once, at import.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

# Variables that change what the settings module decides; every check starts without them.
CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "EMAIL_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

PRINT_SETTINGS = """
import json
import re
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "database_engine": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
}))
"""


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run the project's Python in a fresh process with only `env` as its configuration."""
    base = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    base["DJANGO_SETTINGS_MODULE"] = "sourcebelt.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "sourcebelt.example",
        "CSRF_TRUSTED_ORIGINS": "https://sourcebelt.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sourcebelt"),
    }


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_python(["manage.py", "check"], DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "System check identified" not in result.stdout


def test_deploy_check_is_clean_with_production_settings() -> None:
    result = run_python(["manage.py", "check", "--deploy"], **production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output, output


def test_without_redis_tasks_run_in_process_and_the_cache_is_local_memory() -> None:
    result = run_python(["-c", PRINT_SETTINGS], DEBUG="true", DATABASE_URL=production_env()["DATABASE_URL"])
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["eager"] is True
    assert printed["broker"] == "memory://"
    assert printed["cache_backend"] == "django.core.cache.backends.locmem.LocMemCache"


def test_with_redis_tasks_go_to_the_broker_and_the_cache_is_redis() -> None:
    redis_url = "redis://127.0.0.1:6379/5"
    result = run_python(["-c", PRINT_SETTINGS], DEBUG="true", REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["eager"] is False
    assert printed["broker"] == redis_url
    assert printed["cache_backend"] == "sourcebelt.cache.FallbackRedisCache"  # answers without Redis when it is down


def test_without_a_database_url_the_demo_uses_sqlite_under_var() -> None:
    result = run_python(["-c", PRINT_SETTINGS], DEBUG="true")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["database_engine"] == "django.db.backends.sqlite3"
    assert Path(printed["database_name"]) == ROOT / "var" / "db.sqlite3"


def test_with_a_database_url_the_site_uses_postgresql() -> None:
    result = run_python(["-c", PRINT_SETTINGS], DEBUG="true", DATABASE_URL="postgres://someone@db.example:5432/sb")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["database_engine"] == "django.db.backends.postgresql"
    assert printed["database_name"] == "sb"


def compose_command() -> list[str] | None:
    """Docker Compose v2 as a docker CLI plugin, else a `docker-compose` binary, else None."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    for candidate in (shutil.which("docker-compose"), Path(sys.executable).parent / "docker-compose"):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return None


def test_compose_file_is_valid() -> None:
    """The full stack: a worker service per kind of work beside the others, each with a health
    check; Compose itself accepts the file."""
    compose_file = ROOT / "docker-compose.yml"
    spec = yaml.safe_load(compose_file.read_text())
    services = spec["services"]
    workers = {f"worker-{kind}" for kind in settings.WORK_KINDS}
    assert set(services) == {"postgres", "redis", "web", "beat", *workers}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"service {name} has no health check"
    assert "/healthz" in str(services["web"]["healthcheck"]["test"])
    assert "gunicorn sourcebelt.wsgi" in " ".join(services["web"]["command"])
    assert "migrate" in " ".join(services["web"]["command"])
    for kind in settings.WORK_KINDS:  # each reads its own queue, and its health check pings it
        worker = services[f"worker-{kind}"]
        assert worker["command"][:4] == ["celery", "-A", "sourcebelt", "worker"]
        queues = worker["command"][worker["command"].index("-Q") + 1]
        assert queues == "${CELERY_QUEUE:-sourcebelt}." + kind
        assert worker["command"][worker["command"].index("-n") + 1] == f"{kind}@%h"
        assert worker["environment"]["WORKER_KIND"] == kind
        assert "ping -d ${WORKER_KIND}@$HOSTNAME" in str(worker["healthcheck"]["test"]).replace("$$", "$")
        assert "--prefetch-multiplier=1" in worker["command"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "sourcebelt", "beat"]
    for name in ("web", "beat", *workers):
        environment = services[name]["environment"]
        for variable in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
            assert variable in environment, f"service {name} does not pass {variable}"
        assert environment["DEBUG"] == "false"

    command = compose_command()
    # CI installs Compose (.ci/run): there the file is always checked by Compose itself.
    assert command is not None or os.environ.get("CI") != "true", "Compose is missing: .ci/run installs it"
    if command is not None:
        # A bare environment: the file must be valid before anyone has set a variable.
        env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
        result = subprocess.run(
            [*command, "-f", str(compose_file), "config", "-q"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_documents_every_setting_read_from_the_environment() -> None:
    source = (ROOT / "sourcebelt" / "settings.py").read_text()
    names = set(re.findall(r'(?:env_(?:str|bool|int|list)|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    readme = (ROOT / "README.md").read_text()
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert names, "found no settings read from the environment: has sourcebelt/settings.py changed its helpers?"
    assert not undocumented, f"README.md's configuration table does not mention: {undocumented}"


IMPORT_THE_RUNNING_SITE = """
import importlib.abc, json, os, sys

class Uninstalled(importlib.abc.MetaPathFinder):
    \"\"\"Makes the packages outside requirements.txt look absent, as they are in the image.\"\"\"

    blocked = set(json.loads(os.environ["SOURCEBELT_NOT_IN_RUNTIME"]))

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not in requirements.txt)", name=name)
        return None

sys.meta_path.insert(0, Uninstalled())

import django
django.setup()
import sourcebelt.wsgi
from django.urls import get_resolver
get_resolver().url_patterns  # every view module
from sourcebelt.celery import app
app.loader.import_default_modules()  # every tasks module
import kombu.transport.redis  # the broker transport a worker loads
import celery.bin.celery, gunicorn.app.wsgiapp  # the two servers
print("imported")
"""


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirement_closure() -> set[str]:
    """requirements.txt and everything its packages declare they need, as installed here."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement

    pending: list[tuple[str, frozenset[str]]] = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            pending.append((requirement.name, frozenset(requirement.extras)))
    closure: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, extras = pending.pop()
        if (_normalise(name), extras) in seen:
            continue
        seen.add((_normalise(name), extras))
        closure.add(_normalise(name))
        try:
            declared = requires(name) or []
        except PackageNotFoundError:
            continue
        for text in declared:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in {"", *extras}):
                pending.append((requirement.name, frozenset(requirement.extras)))
    return closure


def test_the_running_site_needs_nothing_beyond_the_runtime_requirements() -> None:
    """The Docker image installs requirements.txt only. A package that the development tools happen
    to bring in, and that the site imports unconditionally, would be missing in production: here
    such packages are made to look uninstalled while the site, its tasks and its servers load."""
    from importlib.metadata import packages_distributions

    closure = runtime_requirement_closure()
    not_in_runtime = sorted(
        module
        for module, distributions in packages_distributions().items()
        if not any(_normalise(distribution) in closure for distribution in distributions)
    )
    result = run_python(
        ["-c", IMPORT_THE_RUNNING_SITE],
        DEBUG="true",
        DATABASE_URL=production_env()["DATABASE_URL"],
        REDIS_URL="redis://127.0.0.1:6379/5",
        SOURCEBELT_NOT_IN_RUNTIME=json.dumps(not_in_runtime),
    )
    assert result.returncode == 0, (
        "The site imports a package that requirements.txt does not install (add its pin):\n" + result.stderr[-3000:]
    )
    assert "imported" in result.stdout
