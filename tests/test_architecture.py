"""The apps depend on each other in one direction only: marketplace <- suppliers <- buyers <- orders,
and the project package (`sourcebelt`: settings, root URLs, Celery, WSGI/ASGI, seed_demo) sits above
them all: it may import every app, and no app imports it.

A lower app that imported a higher one would tie the kernel to features built on top of it; when a
lower app must learn of something, the higher app calls the lower app's service instead
(docs/architecture.md). The check reads the source, so it also catches imports inside
functions and imports that only run under `TYPE_CHECKING`.

An import is not the only way up, so a lower app must not either:

- name a higher app's model: `apps.get_model("orders", ...)`, `get_model("orders.Order")`, a
  string reference such as `ForeignKey("buyers.Quote")`, or a migration dependency on it;
- walk a higher app's relation: `company__supplier_profile`, `select_related("supplier_profile")`,
  `company.supplier_profile`. The names are computed from the app registry: every reverse
  relation that a higher app's model hangs on a model of the lower app.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps

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


def test_no_app_imports_the_project_package() -> None:
    """The project package wires the apps (settings, root URLs, Celery, seed_demo); none of them imports it."""
    assert all("sourcebelt" in forbidden for forbidden in FORBIDDEN.values())
    upward = [v for v in dependency_violations() if v.rsplit(" imports ", 1)[1].split(".")[0] == "sourcebelt"]
    assert not upward, "\n".join(upward)


# --- Models named by string -----------------------------------------------------------------------

APPS = ("marketplace", "suppliers", "buyers", "orders")
QUERYSET_NAMING_METHODS = {
    "select_related",
    "prefetch_related",
    "values",
    "values_list",
    "only",
    "defer",
    "order_by",
    "distinct",
    "hasattr",
    "getattr",
    "Prefetch",
    "F",
    "Count",
    "Sum",
    "Exists",
    "OuterRef",
}
LOOKUP_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "Q", "annotate", "aggregate"}
MODEL_REFERENCE = re.compile(r"^([a-z_]+)\.([A-Za-z_][A-Za-z0-9_]*)$")


def _app_sources(app: str) -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def model_references(tree: ast.AST, *, in_migration: bool = False) -> list[tuple[int, str, str]]:
    """(line, app label, what) for every model or migration of another app this source names:
    `get_model("app", ...)` / `get_model("app.Model")`, a "app.Model" string (a lazy relation,
    `swappable` and the like) and, in a migration, a dependency ("app", "0001_...")."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value.split(".")[0], f"get_model({first.value!r}, ...)"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = MODEL_REFERENCE.match(node.value)
            if match:
                found.append((node.lineno, match.group(1), f"the model reference {node.value!r}"))
        elif in_migration and isinstance(node, ast.Tuple) and len(node.elts) == 2:
            label, name = node.elts
            if (
                isinstance(label, ast.Constant)
                and isinstance(label.value, str)
                and isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and re.match(r"^(\d{4}_|__first__|__latest__)", name.value)
            ):
                found.append((node.lineno, label.value, f"a dependency on the migration {label.value}.{name.value}"))
    return found


def _known_model(label: str, what: str) -> bool:
    """A "word.word" string is a model reference only when it names one (not "orders.urls")."""
    if not what.startswith("the model reference"):
        return True
    name = what.split("'")[1]
    try:
        apps.get_model(name)
    except (LookupError, ValueError):
        return False
    return True


def model_reference_violations() -> list[str]:
    violations: list[str] = []
    for app, forbidden in FORBIDDEN.items():
        for path, tree in _app_sources(app):
            in_migration = "migrations" in path.relative_to(ROOT).parts
            for line, label, what in model_references(tree, in_migration=in_migration):
                if label in forbidden and _known_model(label, what):
                    violations.append(f"{path.relative_to(ROOT)}:{line}: {app} names {what}")
    return violations


def test_apps_name_no_model_of_a_higher_app() -> None:
    violations = model_reference_violations()
    assert not violations, (
        "Models of a higher app named by string (the app registry reaches up as surely as an import; "
        "give the lower app the fact it needs, or move the code up):\n" + "\n".join(violations)
    )


def test_the_scan_sees_a_model_named_by_string() -> None:
    source = (
        "from django.apps import apps\n"
        "def late():\n"
        '    apps.get_model("suppliers", "SupplierProfile")\n'
        '    get_model("orders.Order")\n'
        'quote = models.ForeignKey("buyers.Quote", on_delete=models.CASCADE)\n'
    )
    found = {(label, what) for _, label, what in model_references(ast.parse(source))}
    assert ("suppliers", "get_model('suppliers', ...)") in found
    assert ("orders", "get_model('orders.Order', ...)") in found
    assert ("buyers", "the model reference 'buyers.Quote'") in found
    assert _known_model("buyers", "the model reference 'buyers.Quote'")
    assert not _known_model("orders", "the model reference 'orders.urls'")
    migration = 'dependencies = [("suppliers", "0009_private_storage")]\n'
    found = {label for _, label, _ in model_references(ast.parse(migration), in_migration=True)}
    assert found == {"suppliers"}


# --- Lookups through a higher app's relation ----------------------------------------------------------


def upward_relation_names(app: str) -> dict[str, str]:
    """The names a higher app's relation gives a model of `app` (accessor and query name), each
    with the relation it belongs to: `Company.supplier_profile` from `SupplierProfile.company`.

    A name that a model of `app` or of an app below it also has (a field of its own, a relation
    from an allowed app) cannot be judged by name alone and is left out."""
    higher = set(FORBIDDEN[app]) - {"sourcebelt"}
    allowed = set(APPS) - higher
    upward: dict[str, str] = {}
    own: set[str] = set()
    for model in apps.get_app_config(app).get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created and not field.concrete and field.is_relation and field.related_model is not None:
                source = field.related_model._meta
                if source.app_label in higher:
                    relation = f"{model.__name__}.{field.get_accessor_name()} (from {source.label}.{field.field.name})"
                    upward[field.get_accessor_name()] = relation
                    upward[field.field.related_query_name()] = relation
                    continue
            own.add(field.name)
    for label in allowed:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            for field in model._meta.get_fields(include_hidden=False):
                related = getattr(field, "related_model", None)
                if field.auto_created and related is not None and related._meta.app_label in higher:
                    continue
                own.add(field.get_accessor_name() if field.auto_created and not field.concrete else field.name)
    return {name: relation for name, relation in upward.items() if name not in own}


def relation_lookups(tree: ast.AST, names: set[str]) -> list[tuple[int, str]]:
    """(line, text) for every use of one of `names` as a relation: a part of a `__` lookup (in a
    string or a keyword), a field named to a queryset method or hasattr/getattr, `.name`."""
    found: list[tuple[int, str]] = []

    def parts(text: str) -> set[str]:
        return set(text.split("__"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value:
            if re.fullmatch(r"[a-z_0-9]+", node.value) and parts(node.value) & names:
                found.append((node.lineno, repr(node.value)))
        elif isinstance(node, ast.Call):
            call = _call_name(node)
            for keyword in node.keywords:
                if keyword.arg and ("__" in keyword.arg or call in LOOKUP_METHODS) and parts(keyword.arg) & names:
                    found.append((node.lineno, f"{keyword.arg}="))
            if call in QUERYSET_NAMING_METHODS:
                for argument in node.args:
                    if (
                        isinstance(argument, ast.Constant)
                        and isinstance(argument.value, str)
                        and parts(argument.value) & names
                    ):
                        found.append((node.lineno, f"{call}(... {argument.value!r} ...)"))
        elif isinstance(node, ast.Attribute) and node.attr in names:
            found.append((node.lineno, f".{node.attr}"))
    return found


def relation_violations() -> list[str]:
    violations: list[str] = []
    for app in APPS:
        names = upward_relation_names(app)
        if not names:
            continue
        for path, tree in _app_sources(app):
            if "migrations" in path.relative_to(ROOT).parts:
                continue  # a migration's historical models are its own; names there are checked above
            for line, text in sorted(set(relation_lookups(tree, set(names)))):
                name = next(part for part in re.split(r"__|[^a-z_0-9]", text) if part in names)
                violations.append(f"{path.relative_to(ROOT)}:{line}: {app} walks {names[name]} with {text}")
    return violations


def test_apps_walk_no_relation_of_a_higher_app() -> None:
    violations = relation_violations()
    assert not violations, (
        "Lookups through a relation a higher app's model hangs on a lower app's model (the lower app "
        "then depends on the higher one's schema; keep the fact in the lower app, or move the query "
        "up):\n" + "\n".join(violations)
    )


def test_the_relation_names_come_from_the_higher_apps_models() -> None:
    names = upward_relation_names("marketplace")
    assert "supplier_profile" in names  # SupplierProfile.company's related_name
    assert "sourcing_requests" in names  # SourcingRequest.buyer's
    assert upward_relation_names("orders") == {}


def test_the_scan_sees_a_lookup_through_a_higher_relation() -> None:
    source = (
        'Membership.objects.select_related("company", "company__supplier_profile")\n'
        "Company.objects.filter(supplier_profile__isnull=False)\n"
        'hasattr(company, "supplier_profile")\n'
        "company.supplier_profile.belt_id\n"
        'Company.objects.filter(name="supplier_profile")\n'
    )
    found = [line for line, _ in relation_lookups(ast.parse(source), {"supplier_profile"})]
    assert {1, 2, 3, 4} <= set(found)
    assert 5 not in found


# --- Import circles between modules ---------------------------------------------------------------

CIRCLE_PACKAGES = (*APPS, "sourcebelt")


def project_modules(root: Path = ROOT, packages: tuple[str, ...] = CIRCLE_PACKAGES) -> dict[str, Path]:
    """Every module of the apps and the project package by dotted name (a package by its own
    name, for its `__init__.py`); migrations are left out."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def module_imports(name: str, path: Path, tree: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The project modules that importing `name` runs: every module it imports (at module level,
    inside functions, under TYPE_CHECKING; relative imports resolved; `from package import name`
    counts the submodule when there is one) and, as Python runs a package's `__init__.py`
    before any module in it, the packages those modules are in. A module's own packages are
    not counted: they are already being imported when it runs."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    found: set[str] = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        while target:
            if target in modules and target != name and not name.startswith(f"{target}."):
                found.add(target)
            target = target.rpartition(".")[0]
    return found


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative):
    each is a set of modules that import each other, directly or around a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        circles.append(sorted(group))
    return circles


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = CIRCLE_PACKAGES) -> dict[str, set[str]]:
    modules = project_modules(root, packages)
    return {
        name: module_imports(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), modules)
        for name, path in modules.items()
    }


def test_no_import_circle_between_modules() -> None:
    """Modules import each other in one direction, so each can be read (and imported) on its
    own: a service that queues a task imports the task, the task imports the service whose work
    it runs, and that work never lives in, nor imports, a module that queues it
    (docs/architecture.md)."""
    circles = import_circles(import_graph())
    assert not circles, "Modules that import each other, directly or around a circle:\n" + "\n".join(
        " <-> ".join(circle) for circle in circles
    )


def test_the_scan_sees_an_import_circle(tmp_path: Path) -> None:
    """The scan itself works: a circle through an import inside a function, a relative import
    and a package's `__init__.py` is found; a module importing its own package is not one."""
    files = {
        "shop/__init__.py": "",
        "shop/services.py": "def queue():\n    from shop.tasks.runs import run_task\n",
        "shop/work.py": "def run():\n    return 1\n",
        "shop/prices.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.rules import Rule\n",
        "shop/rules.py": "from .prices import Price\n",
        "shop/tasks/__init__.py": "from shop.tasks.runs import *\nfrom shop.tasks.sweeps import *\n",
        "shop/tasks/runs.py": "from shop import tasks\nfrom shop.work import run\n",
        "shop/tasks/sweeps.py": "from ..services import queue\n",
        "shop/migrations/0001_initial.py": "from shop.services import queue\n",
        "shop/alone.py": "from shop.tasks import runs\n",
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    graph = import_graph(tmp_path, ("shop",))
    assert "shop.migrations.0001_initial" not in graph
    assert graph["shop.tasks.runs"] == {"shop.work"}
    assert graph["shop.alone"] == {"shop.tasks", "shop.tasks.runs"}
    assert sorted(import_circles(graph)) == [
        ["shop.prices", "shop.rules"],
        ["shop.services", "shop.tasks", "shop.tasks.sweeps"],
    ]
    # The second circle runs through the package only because its `__init__.py` imports its modules.
    (tmp_path / "shop/tasks/__init__.py").write_text("")
    assert import_circles(import_graph(tmp_path, ("shop",))) == [["shop.prices", "shop.rules"]]
