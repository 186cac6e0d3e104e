# SPDX-License-Identifier: Apache-2.0
"""Fixtures of spotify_sdk's test suite: spotify-emulator processes (the
local stand-in for Spotify's accounts service and Web API), their control
API, user tokens and the scripted browser. python/tests/run.sh (the CTest
python_sdk) sets SPOTIFY_EMULATOR, SPOTIFY_FAKE_BROWSER and the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import inspect
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

EMULATOR = os.environ.get("SPOTIFY_EMULATOR", "")
FAKE_BROWSER = os.environ.get("SPOTIFY_FAKE_BROWSER", "")

# Clients the seeds' samples name (the emulator registers them; their
# redirect URI is the samples').
SAMPLE_CLIENTS = [
    "your-client-id:your-client-secret=http://127.0.0.1:8080/callback",
    "...:...=http://127.0.0.1:8080/callback",
]

ALBUM = "7ycBtnsMtyVbbwTfJwRjSP"  # To Pimp A Butterfly (tests/fixtures/album-tpab.json)
TRACK = "7Ks4VCY1wFebnOdJrM13t6"
ARTIST = "2YZyLoL8N0Wb9xBt1NhZWg"
SHOW = "5CfCWKI5pZ28U0uOzXkDHe"
EPISODE = "512ojhOuo1ktJprKbVcKyQ"
AUDIOBOOK = "7iHfbu1YPACw6oZPAFJtqe"
CHAPTER = "0D5wENdkdwbqlrHoaJ9g29"
PLAYLIST = "oS1AuMgJoYKqR76LNoKax7"  # demo-user's "Demo Mix"
DEVICE = "c9e6d58e1e96618c277d7782000dd0831a967a2d"
ALL_SCOPES = (
    "user-read-private user-read-email user-library-read user-library-modify "
    "playlist-read-private playlist-read-collaborative playlist-modify-public "
    "playlist-modify-private user-read-playback-state user-modify-playback-state "
    "user-read-currently-playing user-read-recently-played user-top-read "
    "user-follow-read user-follow-modify ugc-image-upload user-read-playback-position"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def answering_server(answer):
    """A throwaway HTTP server on 127.0.0.1 for answers the emulator does
    not give: every GET gets answer(path) -> (status, JSON body bytes).
    Yields its API base URL (".../v1")."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/v1" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class Emulator:
    """One spotify-emulator process on a free port."""

    def __init__(self, *args: str) -> None:
        if not EMULATOR or not os.access(EMULATOR, os.X_OK):
            pytest.skip("SPOTIFY_EMULATOR is not set (run python/tests/run.sh)")
        self.dir = tempfile.mkdtemp(prefix="emulator-")
        ready = os.path.join(self.dir, "ready")
        self.log = open(os.path.join(self.dir, "log"), "wb")
        argv = [EMULATOR, "--port", "0", "--ready-file", ready]
        for c in SAMPLE_CLIENTS:
            argv += ["--client", c]
        self.proc = subprocess.Popen(argv + list(args), stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 10
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("spotify-emulator did not start")
            time.sleep(0.01)
        with open(ready) as f:
            self.base = f.read().strip()
        self.api = self.base + "/v1"

    def control(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + "/__emulator/" + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        """Back to the start state, once no request of an earlier test is
        still waiting out its latency: the emulator applies faults after the
        latency, so such a request (its client long gone, e.g. after a
        timeout) took the fault the next test queued, and counted in its
        counters."""
        deadline = time.monotonic() + 10
        held = False
        while self.control("GET", "counters")["held"] > 0 and time.monotonic() < deadline:
            held = True
            time.sleep(0.02)
        if held:
            time.sleep(0.1)  # resumed: let it be answered before the reset
        self.control("POST", "reset")

    def user_token(self, scope: str = ALL_SCOPES, client_id: str = "demo-client") -> str:
        t = self.control("POST", "tokens", {"client_id": client_id, "user": True, "scope": scope})
        return t["access_token"]

    def token_requests(self) -> dict:
        return self.control("GET", "counters")["token_requests"]

    def route_count(self, route: str, status: int | None = None) -> int:
        n = 0
        for r in self.control("GET", "counters")["routes"]:
            if r["route"] == route and (status is None or r["status"] == status):
                n += r["count"]
        return n

    def fault(self, **fault: object) -> None:
        self.control("POST", "faults", fault)

    def configure(self, **switches: object) -> None:
        self.control("POST", "config", switches)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def emulator():
    emu = Emulator()
    os.environ["SPOTIFY_SDK_API_BASE_URL"] = emu.api
    os.environ["SPOTIFY_SDK_ACCOUNTS_BASE_URL"] = emu.base
    yield emu
    emu.stop()


@pytest.fixture(autouse=True)
def _fresh(request, monkeypatch, tmp_path):
    """Every test: the emulator back to its start state, no client
    credentials in the environment, a temporary working directory."""
    if "emulator" in request.fixturenames:
        emu = request.getfixturevalue("emulator")
        emu.reset()
        monkeypatch.setenv("SPOTIFY_SDK_API_BASE_URL", emu.api)
        monkeypatch.setenv("SPOTIFY_SDK_ACCOUNTS_BASE_URL", emu.base)
    for name in ("SPOTIFY_SDK_CLIENT_ID", "SPOTIFY_SDK_CLIENT_SECRET", "SPOTIFY_SDK_REDIRECT_URI",
                 "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def app_env(monkeypatch, emulator):
    """demo-client's credentials and a free loopback redirect URI in the
    environment, as a user of the seeds' samples would set them."""
    port = free_port()
    monkeypatch.setenv("SPOTIFY_SDK_CLIENT_ID", "demo-client")
    monkeypatch.setenv("SPOTIFY_SDK_CLIENT_SECRET", "demo-secret")
    monkeypatch.setenv("SPOTIFY_SDK_REDIRECT_URI", "http://127.0.0.1:%d/callback" % port)
    return port


@pytest.fixture
def fake_browser(monkeypatch):
    """$BROWSER: the scripted browser of the C local-auth tests (approves)."""
    if not FAKE_BROWSER or not os.access(FAKE_BROWSER, os.X_OK):
        pytest.skip("SPOTIFY_FAKE_BROWSER is not set (run python/tests/run.sh)")
    monkeypatch.setenv("BROWSER", FAKE_BROWSER)
    monkeypatch.setenv("FAKE_BROWSER_MODE", "approve")
    return FAKE_BROWSER


@pytest.fixture
def user_client(emulator):
    from spotify_sdk import SpotifyClient

    with SpotifyClient(access_token=emulator.user_token()) as client:
        yield client


try:  # Debian's python3-pytest-asyncio runs the async tests (asyncio_mode = auto)
    import pytest_asyncio  # noqa: F401
except ImportError:  # without it, a small runner does

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(pyfuncitem):
        if inspect.iscoroutinefunction(pyfuncitem.obj):
            args = {n: pyfuncitem.funcargs[n] for n in pyfuncitem._fixtureinfo.argnames}
            asyncio.run(pyfuncitem.obj(**args))
            return True
        return None
