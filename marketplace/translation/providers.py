"""Machine translation providers behind one interface, `Translator`, chosen by the environment
(`TRANSLATION_PROVIDER`, `TRANSLATION_URL`, `TRANSLATION_API_KEY`, `TRANSLATION_TIMEOUT_SECONDS`):

- `LibreTranslate`: the open-source, self-hostable server's API (POST /translate with q, source,
  target, format, api_key -> {"translatedText"}; POST /detect -> [{"language", "confidence"}]).
- `DeepL`: DeepL's API v2 (POST /v2/translate, `Authorization: DeepL-Auth-Key <key>`, text,
  source_lang, target_lang -> {"translations": [{"detected_source_language", "text"}]}).

Only workers call a provider (never a request): every call has the configured timeout, and any
failure (refused, timed out, an error status, an answer not in the protocol) is one exception,
`TranslationUnavailable`, which leaves the text for a later attempt.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from django.conf import settings

from marketplace.translation.languages import CHINESE, ENGLISH, site_language


class TranslationUnavailable(Exception):
    """The provider could not translate now (down, slow, refusing, or answering nonsense)."""


class Translator(Protocol):
    name: str

    def translate(self, text: str, *, source: str, target: str) -> str:
        """`text`, written in site language `source`, in site language `target`."""
        ...

    def detect(self, text: str) -> str | None:
        """The site language the provider thinks `text` is written in, or None when it cannot tell."""
        ...


def _post(url: str, *, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    """POST `data` as JSON and read the JSON answer, within the configured timeout."""
    if not url.startswith(("http://", "https://")):
        raise TranslationUnavailable(f"{url} is not an http(s) address.")
    request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
        url,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.TRANSLATION_TIMEOUT_SECONDS) as response:  # noqa: S310 (checked above)
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as error:
        raise TranslationUnavailable(f"{url} answered {error.code}.") from error
    except (OSError, ValueError) as error:  # refused, timed out, not JSON
        raise TranslationUnavailable(f"{url}: {error}") from error


class LibreTranslate:
    name = "libretranslate"
    # LibreTranslate's codes for the site's languages.
    CODES = {ENGLISH: "en", CHINESE: "zh"}

    def __init__(self, url: str, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key

    def _data(self, **values: str) -> dict[str, str]:
        return {**values, "api_key": self.api_key} if self.api_key else values

    def translate(self, text: str, *, source: str, target: str) -> str:
        answer = _post(
            f"{self.url}/translate",
            data=self._data(q=text, source=self.CODES[source], target=self.CODES[target], format="text"),
        )
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise TranslationUnavailable(f"{self.url}/translate answered without translatedText.")
        return translated

    def detect(self, text: str) -> str | None:
        answer = _post(f"{self.url}/detect", data=self._data(q=text))
        if isinstance(answer, list) and answer and isinstance(answer[0], dict) and answer[0].get("language"):
            return site_language(str(answer[0]["language"]))
        return None


class DeepL:
    name = "deepl"
    SOURCE_CODES = {ENGLISH: "EN", CHINESE: "ZH"}
    TARGET_CODES = {ENGLISH: "EN-US", CHINESE: "ZH-HANS"}

    def __init__(self, api_key: str, url: str = "") -> None:
        # A free account's key ends in ":fx" and has its own address.
        default = "https://api-free.deepl.com" if api_key.endswith(":fx") else "https://api.deepl.com"
        self.url = (url or default).rstrip("/")
        self.api_key = api_key

    def _translate(self, text: str, *, target: str, source: str | None) -> tuple[str, str | None]:
        data: dict[str, Any] = {"text": [text], "target_lang": self.TARGET_CODES[target]}
        if source is not None:
            data["source_lang"] = self.SOURCE_CODES[source]
        answer = _post(
            f"{self.url}/v2/translate", data=data, headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        )
        try:
            first = answer["translations"][0]
            return str(first["text"]), first.get("detected_source_language")
        except (KeyError, IndexError, TypeError) as error:
            raise TranslationUnavailable(f"{self.url}/v2/translate answered without translations.") from error

    def translate(self, text: str, *, source: str, target: str) -> str:
        return self._translate(text, target=target, source=source)[0]

    def detect(self, text: str) -> str | None:
        # DeepL has no detection of its own: it names the language of what it translated.
        detected = self._translate(text, target=ENGLISH, source=None)[1]
        return site_language(detected) if detected else None


def configured_translator() -> Translator | None:
    """The provider the environment configures, or None when none is (originals are shown)."""
    provider = settings.TRANSLATION_PROVIDER
    if provider == "libretranslate":
        return LibreTranslate(settings.TRANSLATION_URL, settings.TRANSLATION_API_KEY)
    if provider == "deepl":
        return DeepL(settings.TRANSLATION_API_KEY, settings.TRANSLATION_URL)
    return None


def translation_configured() -> bool:
    return bool(settings.TRANSLATION_PROVIDER)
