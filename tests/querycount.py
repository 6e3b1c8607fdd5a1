"""Query counts pinned in tests: a list page must not make more queries when it shows more rows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def assert_same_queries_for_page_sizes(
    fetch: Callable[[int], object], *, small: int = 2, large: int = 10, expected: int | None = None
) -> int:
    """Call `fetch(page_size)` for two page sizes and assert both make the same number of queries.

    Both are counted after a first call, as in a process that has served before. With `expected`,
    also pin that number. `fetch` must return a response with status 200 and
    there must be at least `large` rows to show, or the comparison proves nothing.
    """
    responses: list[object] = [fetch(small)]  # a warm process: what it keeps (the facets' names) read

    def run(size: int) -> int:
        def call() -> None:
            responses.append(fetch(size))

        return count_queries(call)

    small_count, large_count = run(small), run(large)
    for response in responses:
        status = getattr(response, "status_code", 200)
        assert status == 200, f"the list answered {status}"
    assert small_count == large_count, (
        f"{small_count} queries for {small} rows but {large_count} for {large}: a query runs per row"
    )
    if expected is not None:
        assert large_count == expected, f"expected {expected} queries, got {large_count}"
    return large_count
