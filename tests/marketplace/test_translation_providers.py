"""The machine translation providers speak their APIs to a local server (tests/translation_server.py):
LibreTranslate's and DeepL's, one interface; a provider that is down is one clear exception."""

from __future__ import annotations

import pytest

from marketplace.translation.languages import text_language
from marketplace.translation.providers import DeepL, LibreTranslate, TranslationUnavailable, configured_translator
from tests.translation_server import TranslationServer


def test_cross_border_libretranslate_translates_and_detects() -> None:
    with TranslationServer(api_key="secret") as server:
        translator = LibreTranslate(server.url, api_key="secret")
        assert translator.translate("Can you send a sample before the order?", source="en", target="zh-hans") == (
            "您能在下单前寄样品吗？"
        )
        assert translator.detect("可以，样品三天内寄出。") == "zh-hans"
        assert translator.detect("Hello") == "en"
        assert server.asked == [("Can you send a sample before the order?", "zh")]


def test_cross_border_deepl_translates_with_its_key_in_the_header() -> None:
    with TranslationServer(api_key="key:fx") as server:
        translator = DeepL("key:fx", url=server.url)
        assert translator.translate("可以，样品三天内寄出。", source="zh-hans", target="en") == (
            "Yes, the sample ships within three days."
        )
        assert translator.detect("可以，样品三天内寄出。") == "zh-hans"
        assert DeepL("key:fx").url == "https://api-free.deepl.com"
        assert DeepL("key").url == "https://api.deepl.com"


def test_cross_border_a_provider_that_is_down_or_refuses_is_unavailable() -> None:
    with TranslationServer(api_key="secret") as server:
        with pytest.raises(TranslationUnavailable, match="403"):
            LibreTranslate(server.url, api_key="wrong").translate("Hello", source="en", target="zh-hans")
        server.down()
        with pytest.raises(TranslationUnavailable):
            LibreTranslate(server.url).translate("Hello", source="en", target="zh-hans")


def test_cross_border_the_environment_chooses_the_provider(
    settings: object, translation_server: TranslationServer
) -> None:
    translator = configured_translator()
    assert isinstance(translator, LibreTranslate)
    assert translator.url == translation_server.url
    settings.TRANSLATION_PROVIDER = "deepl"  # type: ignore[attr-defined]
    settings.TRANSLATION_API_KEY = "k"  # type: ignore[attr-defined]
    assert isinstance(configured_translator(), DeepL)
    settings.TRANSLATION_PROVIDER = ""  # type: ignore[attr-defined]
    assert configured_translator() is None


def test_cross_border_a_text_is_chinese_when_its_letters_mostly_are() -> None:
    assert text_language("可以，样品三天内寄出。") == "zh-hans"
    assert text_language("请报价 YKK zipper 5号") == "zh-hans"
    assert text_language("Tote bags, 280 gsm") == "en"
    assert text_language("12345") == "en"
    # Ideographs of every block count, rare ones too (Extension A and B, compatibility ideographs),
    # and so do Latin letters with accents and Cyrillic or Greek words (not Chinese).
    assert text_language("㐀㐁 bag") == "zh-hans"
    assert text_language("𠀀𠀁 bag") == "zh-hans"
    assert text_language("豈 bag") == "zh-hans"
    assert text_language("Çanta ve sırt çantası 包") == "en"
    assert text_language("Рюкзак 包") == "zh-hans"
    assert text_language("Рюкзак школьный 包") == "en"
