"""Headless Chromium probes: websocket frames/bytes, first and last visible token, busy time.

Frames and bytes are counted by a listener on the page's own WebSocket by
default; ``count_with_cdp=True`` counts ``Network.webSocketFrameReceived``
events instead.  Both agree (naive page, 1500 tokens at 100/s: within 1-2 %
of frames and bytes, busy time within run-to-run noise), but CDP ships every
frame base64-encoded to the driver process (tens of MB for the naive page),
work the two cores could do without.  Times are wall-clock milliseconds
(``performance.timeOrigin + performance.now()``), comparable with the mock's
``time.time()`` on the same machine.  Visibility is checked once per animation
frame, i.e. when the frame that shows the text is painted.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import END_MARK

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync",
               "--disable-quic"]

INIT_JS = """
(() => {
  const ik = window.__ik = {armed: false, frames: 0, bytes: 0, firstAt: null, lastAt: null};
  const now = () => performance.timeOrigin + performance.now();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (!ik.armed) return;
        ik.frames += 1;
        ik.bytes += e.data.byteLength ?? e.data.size ?? e.data.length;
      });
    }
  };
  let dirty = false;
  new MutationObserver(() => { dirty = true; })
    .observe(document, {subtree: true, childList: true, characterData: true});
  const tick = () => {
    if (dirty && ik.armed) {
      dirty = false;
      const main = document.querySelector('[data-testid="stMain"]') || document.body;
      if (ik.firstAt === null) {
        for (const h of main.querySelectorAll('h3')) {
          if (h.textContent.trim().startsWith('1.')) { ik.firstAt = now(); break; }
        }
      }
      if (ik.lastAt === null && main.textContent.includes('END_MARK')) ik.lastAt = now();
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
""".replace("END_MARK", END_MARK)


@dataclass
class Probe:
    """One page with its CDP session; ``arm`` before the click, ``read`` after."""

    page: Any
    cdp: Any
    count_with_cdp: bool = False
    cdp_frames: int = 0
    cdp_bytes: int = 0
    _armed: bool = False
    _metrics: dict[str, float] = field(default_factory=dict)

    def _on_frame(self, params: dict[str, Any]) -> None:
        if not self._armed:
            return
        response = params["response"]
        data = response["payloadData"]
        self.cdp_frames += 1
        self.cdp_bytes += len(base64.b64decode(data)) if response["opcode"] == 2 else len(data)

    def metrics(self) -> dict[str, float]:
        raw = self.cdp.send("Performance.getMetrics")["metrics"]
        return {m["name"]: float(m["value"]) for m in raw}

    def arm(self) -> None:
        self._metrics = self.metrics()
        self._armed = True
        self.page.evaluate("window.__ik.armed = true")

    def read(self) -> dict[str, float]:
        """Counters since ``arm``: frames, bytes, busy seconds, first/last visible (ms)."""
        after = self.metrics()
        ik = self.page.evaluate("({...window.__ik})")
        self._armed = False
        busy = {k: after[k] - self._metrics.get(k, 0.0)
                for k in ("TaskDuration", "ScriptDuration", "LayoutDuration",
                          "RecalcStyleDuration")}
        frames, size = ((self.cdp_frames, self.cdp_bytes) if self.count_with_cdp
                        else (ik["frames"], ik["bytes"]))
        return {"frames": frames, "bytes": size, "first_ms": ik["firstAt"] or 0.0,
                "last_ms": ik["lastAt"] or 0.0, **busy}


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium under Playwright (browsers cannot be downloaded here)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def probed_page(browser: Any, count_with_cdp: bool = False) -> Iterator[Probe]:
    """A fresh page (own context, own Streamlit session) with the probes installed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.add_init_script(INIT_JS)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        probe = Probe(page, cdp, count_with_cdp)
        if count_with_cdp:
            cdp.send("Network.enable")
            cdp.on("Network.webSocketFrameReceived", probe._on_frame)
        yield probe
    finally:
        context.close()
