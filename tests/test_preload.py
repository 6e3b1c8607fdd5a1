"""What gunicorn's master loads before it forks the workers (sourcebelt/preload.py)."""

from __future__ import annotations

import gc
import time

from django.urls import get_resolver

from sourcebelt.preload import preload
from suppliers.search.segment import _jieba


def test_preload_loads_the_dictionaries_and_freezes_them_out_of_the_collectors_walks() -> None:
    """A worker's full garbage collection no longer walks jieba's dictionary (several hundred
    thousand objects): the search bench saw a 110 ms pause inside a 25 ms search before."""
    try:
        preload()
        words = len(_jieba().FREQ)
        assert words > 100_000  # the dictionary is loaded, not left to the first search
        assert get_resolver()._reverse_dict  # the URL map too
        assert gc.get_freeze_count() > 100_000  # what was loaded is out of the collector's walks
        started = time.perf_counter()
        gc.collect()
        assert time.perf_counter() - started < 0.05
    finally:
        gc.unfreeze()
