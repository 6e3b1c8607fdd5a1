"""A local machine translation server for tests and the demo: it speaks LibreTranslate's API
(POST /translate, POST /detect) and DeepL's (POST /v2/translate), in a thread, on a free port.

It knows a few sentences both ways (`SENTENCES`); any other text comes back marked with the
target language ("[zh] Hello"), so a test sees that a text went through it. Every text it is
asked to translate is kept in `asked`, so a test can count the calls. `down()` closes the port
(connections are refused, as when the server is not running) and `up()` opens it again.

    with TranslationServer() as server:
        settings.TRANSLATION_URL = server.url
"""

from __future__ import annotations

import json
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

SENTENCES = {
    "Cotton tote bags with a printed logo": "印有标志的棉质手提袋",
    "We need 5,000 cotton tote bags, 280 gsm canvas, printed in two colours.": (
        "我们需要5000个棉质手提袋，280克帆布，双色印刷。"
    ),
    "Can you send a sample before the order?": "您能在下单前寄样品吗？",
    "可以，样品三天内寄出。": "Yes, the sample ships within three days.",
    "Transparent school backpacks, 20,000 pcs for Istanbul": "透明学生书包，20000个，发往伊斯坦布尔",
    "Clear PVC backpacks, 16 inch, padded straps, logo on the front pocket.": (
        "透明PVC双肩包，16英寸，加厚肩带，前袋印标志。"
    ),
    # Catalogs written in one language, found and matched in the other (issue 13).
    "Children's backpack": "儿童书包",
    "Light and waterproof, for primary school pupils.": "轻便防水，适合小学生。",
    "Stainless steel water bottle": "不锈钢水瓶",
    "Keeps drinks cold for 24 hours.": "保冷24小时。",
    "Backpacks for a primary school in Izmir": "伊兹密尔一所小学的书包",
    "3,000 backpacks with reflective strips.": "3000个带反光条的书包。",
}
REVERSE = {chinese: english for english, chinese in SENTENCES.items()}


def _language(text: str) -> str:
    han = sum(1 for character in text if unicodedata.name(character, "").startswith("CJK UNIFIED"))
    return "zh" if han else "en"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _translated(self, text: str, target: str) -> str:
        self.server.owner.asked.append((text, target))
        return SENTENCES.get(text) or REVERSE.get(text) or f"[{target}] {text}"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._answer(400, {"error": "Invalid request"})
        owner = self.server.owner
        if (
            owner.api_key
            and data.get("api_key") != owner.api_key
            and (self.headers.get("Authorization") != f"DeepL-Auth-Key {owner.api_key}")
        ):
            return self._answer(403, {"error": "Invalid API key"})
        if self.path == "/translate":
            if not data.get("q") or not data.get("target"):
                return self._answer(400, {"error": "Invalid request: missing q or target"})
            return self._answer(200, {"translatedText": self._translated(data["q"], data["target"].lower())})
        if self.path == "/detect":
            return self._answer(200, [{"language": _language(str(data.get("q", ""))), "confidence": 90.0}])
        if self.path == "/v2/translate":
            target = str(data.get("target_lang", "")).lower()
            translations = [
                {"detected_source_language": _language(text).upper(), "text": self._translated(text, target)}
                for text in data.get("text", [])
            ]
            return self._answer(200, {"translations": translations})
        return self._answer(404, {"error": "Not found"})


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
    owner: TranslationServer


class TranslationServer:
    def __init__(self, api_key: str = "") -> None:
        self.api_key = api_key
        self.asked: list[tuple[str, str]] = []
        self.port = 0
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.owner = self
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> TranslationServer:
        self.up()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.down()


if __name__ == "__main__":  # the demo's translator: python -m tests.translation_server [port]
    import sys
    import time

    demo = TranslationServer()
    demo.port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    demo.up()
    print(f"Translating on {demo.url}: TRANSLATION_PROVIDER=libretranslate TRANSLATION_URL={demo.url}")
    while True:
        time.sleep(3600)
