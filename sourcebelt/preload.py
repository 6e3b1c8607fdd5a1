"""What a long-lived process of the web tier loads once, before it serves: gunicorn's master calls
`preload` before it forks the workers (sourcebelt/gunicorn_conf.py), and the search bench before it
times (bench/search_bench.py), so that both measure and serve the same process.

- The search's dictionaries (jieba's, ~1.2 s and ~100 MB, OpenCC's, and pypinyin's, 0.4 s, which
  spelling corrections import with the search's modules), every URL module with the
  views it imports and the map that `reverse` reads, each language's translation catalogues: each
  worker's first request would otherwise load them alone (bench/http_bench.py measured 2.6 s and
  70 MB a worker for the URLs alone).
- Then everything loaded so far is moved out of the garbage collector's sight (`gc.freeze`, as
  Python's documentation advises for a server that forks): some 240,000 containers, among them
  jieba's dictionary of ~500,000 words, whose entries every full collection visited again — a
  pause of ~110 ms in a search that otherwise took 25 ms (the search bench's `gc` column). Frozen objects are never
  collected, and a worker's collections no longer write to the pages it shares with the master.
"""

import gc


def preload() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    from suppliers.search.segment import segmenter_load

    segmenter_load()
    resolver = get_resolver()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            resolver.reverse_dict  # noqa: B018 - filled per language on first use
    gc.collect()
    gc.freeze()
