"""A browser-less Streamlit client: the frontend's websocket protocol, nothing drawn.

It speaks what the React frontend speaks on ``/_stcore/stream`` - binary
``BackMsg``/``ForwardMsg`` protobufs from streamlit's own ``proto`` package,
the ``streamlit`` subprotocol with the XSRF token as second entry - and
uploads files the way ``st.file_uploader`` does (``file_urls_request``, then a
multipart PUT with the XSRF header).  Forty of these cost a fraction of one
Chromium tab, which is what makes the concurrency benchmark possible on two
cores.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState, FileURLsRequest, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGET_TYPES = ("button", "radio", "text_area", "text_input", "file_uploader", "selectbox",
                "number_input", "checkbox")


@dataclass
class RunResult:
    """One script run as the client saw it (seconds since the rerun was sent)."""

    elapsed_s: float
    status: int
    frames: int
    bytes: int
    text_first_s: float | None = None  # first delta containing the watched text
    texts: list[str] = field(default_factory=list)


def xsrf_cookie(url: str) -> str:
    """The ``_streamlit_xsrf`` cookie the health route hands every browser."""
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "_streamlit_xsrf":
                return str(rest.split(";", 1)[0])
    return ""


class Session:
    """One Streamlit session; widgets are found by label after each run."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.widgets: dict[str, tuple[str, str]] = {}  # label -> (kind, widget id)
        self.states: dict[str, WidgetState] = {}
        self._ws: websockets.ClientConnection | None = None
        self._inbox: asyncio.Queue[ForwardMsg] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None
        self._xsrf = ""
        self.frames = 0
        self.bytes = 0

    async def connect(self) -> None:
        self._xsrf = await asyncio.to_thread(xsrf_cookie, self.url)
        self._ws = await websockets.connect(
            self.url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit", self._xsrf],  # type: ignore[list-item]
            additional_headers={"Origin": self.url, "Cookie": f"_streamlit_xsrf={self._xsrf}"},
            max_size=None, ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._ws is not None
        async for data in self._ws:
            raw = data if isinstance(data, bytes) else data.encode()
            self.frames += 1
            self.bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self._inbox.put_nowait(msg)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    def _note_widget(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind in WIDGET_TYPES:
            proto = getattr(element, kind)
            self.widgets[proto.label] = (kind, proto.id)

    async def run(self, *, trigger: str | None = None, watch: str | None = None,
                  timeout: float = 300) -> RunResult:
        """Send a rerun (optionally clicking button ``trigger``) and wait for its end."""
        states = list(self.states.values())
        if trigger is not None:
            states.append(WidgetState(id=self.widgets[trigger][1], trigger_value=True))
        msg = BackMsg()
        msg.rerun_script.widget_states.widgets.extend(states)
        frames0, bytes0 = self.frames, self.bytes
        return await self._until_finished(msg, watch, frames0, bytes0, timeout)

    async def _until_finished(self, msg: BackMsg, watch: str | None, frames0: int,
                              bytes0: int, timeout: float) -> RunResult:
        assert self._ws is not None
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        first: float | None = None
        texts: list[str] = []
        deadline = start + timeout
        while True:
            fwd = await asyncio.wait_for(self._inbox.get(), deadline - time.perf_counter())
            self._note_widget(fwd)
            kind = fwd.WhichOneof("type")
            element = fwd.delta.new_element.WhichOneof("type") if kind == "delta" else None
            if element == "exception":
                raise RuntimeError(f"the page raised: {fwd.delta.new_element.exception.message}")
            if element in ("markdown", "alert"):
                texts.append(getattr(fwd.delta.new_element, element).body)
            if element == "markdown":
                body = fwd.delta.new_element.markdown.body
                if watch and first is None and watch in body:
                    first = time.perf_counter() - start
            if kind == "script_finished" and fwd.script_finished != 2:  # not "early for rerun"
                return RunResult(time.perf_counter() - start, fwd.script_finished,
                                 self.frames - frames0, self.bytes - bytes0, first, texts)

    def set_value(self, label: str, **value: object) -> None:
        """Remember a widget value (e.g. ``string_value="Paste text"``) for every rerun."""
        widget_id = self.widgets[label][1]
        self.states[label] = WidgetState(id=widget_id, **value)  # type: ignore[arg-type]

    async def upload(self, label: str, path: Path) -> None:
        """Upload a file into ``st.file_uploader(label)`` like the frontend does."""
        request = BackMsg(file_urls_request=FileURLsRequest(request_id=uuid.uuid4().hex,
                                                            file_names=[path.name]))
        assert self._ws is not None
        await self._ws.send(request.SerializeToString())
        while True:
            fwd = await asyncio.wait_for(self._inbox.get(), 30)
            if fwd.WhichOneof("type") == "file_urls_response":
                urls = fwd.file_urls_response.file_urls[0]
                break
        data = path.read_bytes()
        await asyncio.to_thread(self._put, urls.upload_url, path.name, data)
        info = UploadedFileInfo(name=path.name, size=len(data), file_id=urls.file_id,
                                file_urls=urls)
        self.states[label] = WidgetState(
            id=self.widgets[label][1],
            file_uploader_state_value=FileUploaderState(uploaded_file_info=[info]))

    def _put(self, upload_url: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
        body += data + f"\r\n--{boundary}--\r\n".encode()
        url = upload_url if upload_url.startswith("http") else self.url + upload_url
        request = urllib.request.Request(url, data=body, method="PUT", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": self._xsrf, "Cookie": f"_streamlit_xsrf={self._xsrf}"})
        with urllib.request.urlopen(request, timeout=30) as resp:
            if resp.status >= 300:
                raise RuntimeError(f"upload failed: HTTP {resp.status}")


WHOLE_KIT = "Whole kit: one request"


async def app_session_with_cv(url: str, cv: Path, *, mode: str | None = WHOLE_KIT) -> Session:
    """A session on the Generate page with ``cv`` uploaded and its first run done.

    ``mode`` picks how the kit is written (the benchmarks stream one whole-kit reply, so
    their figures compare with earlier runs; None keeps the page's default, planned).
    """
    session = Session(url)
    await session.connect()
    first = await session.run()
    if mode is not None and "How to write the kit" in session.widgets:
        session.set_value("How to write the kit", string_value=mode)
    labels = [k for k, (kind, _) in session.widgets.items() if kind == "file_uploader"]
    if not labels:
        raise RuntimeError(f"no file uploader on the page; it said: {first.texts}")
    label = labels[0]
    await session.upload(label, cv)
    await session.run()
    if "Generate interview kit" not in session.widgets:
        raise RuntimeError("the CV was not accepted: no Generate button after the upload")
    return session
