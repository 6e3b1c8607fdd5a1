"""The apps depend on each other in one direction only: marketplace <- suppliers <- buyers <- orders,
and the project package (`sourcebelt`: settings, root URLs, Celery, WSGI/ASGI, seed_demo) sits above
them all: it may import every app, and no app imports it.

A lower app that imported a higher one would tie the kernel to features built on top of it; when a
lower app must learn of something, the higher app calls the lower app's service instead
(docs/architecture.md). The check reads the source, so it also catches imports inside
functions and imports that only run under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each app and the apps it must never import.
FORBIDDEN = {
    "marketplace": {"suppliers", "buyers", "orders", "sourcebelt"},
    "suppliers": {"buyers", "orders", "sourcebelt"},
    "buyers": {"orders", "sourcebelt"},
    "orders": {"sourcebelt"},
}

# Nothing inside an app is exempt: the root URL configuration that includes every app's URLs
# lives in the project package (sourcebelt/urls.py).
EXEMPT: tuple[Path, ...] = ()


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every absolute module an `import` or `from ... import` names, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"import_module", "include"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            # importlib.import_module("orders.x") and include("orders.urls") import just as surely.
            found.append((node.lineno, node.args[0].value))
    return found


def dependency_violations() -> list[str]:
    violations: list[str] = []
    for app, forbidden in FORBIDDEN.items():
        app_dir = ROOT / app
        if not app_dir.is_dir():
            continue
        for path in sorted(app_dir.rglob("*.py")):
            if any(path.is_relative_to(exempt) for exempt in EXEMPT):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, module in imported_modules(tree):
                top = module.split(".")[0]
                if top in forbidden:
                    violations.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {module}")
    return violations


def test_apps_import_each_other_only_downwards() -> None:
    violations = dependency_violations()
    assert not violations, (
        "Imports against the dependency direction marketplace <- suppliers <- buyers <- orders "
        "(call a service of the lower app from the higher one instead):\n" + "\n".join(violations)
    )


def test_the_scan_sees_an_upward_import() -> None:
    """The scan itself works: an import of a higher app, even inside a function, is found."""
    source = "from marketplace.models import User\n\ndef late():\n    import orders.services\n"
    found = [module for _, module in imported_modules(ast.parse(source))]
    assert "orders.services" in found
    assert "marketplace.models" in found
