# SPDX-License-Identifier: Apache-2.0
"""Every code sample of seeds 000-003 (the auth documents of the reference
package; seed 001's page kept none of its samples), run verbatim
(python/tests/seed_samples/) against spotify-emulator.

A sample runs the way the asyncio REPL (`python -m asyncio`) runs what is
typed into it, statement by statement in one namespace: a statement with a
top-level `await` runs on an event loop (in its own thread), any other
statement in the calling thread, where no loop runs. That is how the
documents mix blocking and `await` lines side by side.

Only the environment differs from a user's machine: the base URLs point at
the emulator, the credentials the samples leave to the environment are the
emulator's demo app, the browser is the scripted one of the C local-auth
tests, and the emulator registers the apps the samples name ("..." and
"your-client-id" with their secrets and redirect URI). Samples that pass a
placeholder callback URL ("?code=...&state=...") fail where they fail
against Spotify: the state check refuses the placeholder.
"""

import __future__

import ast
import asyncio
import contextlib
import inspect
import io
import os
import threading
import types

import pytest

import spotify_sdk.auth as sdk_auth
from spotify_sdk import AsyncSpotifyClient, SpotifyClient
from spotify_sdk.auth import TokenInfo
from spotify_sdk.exceptions import AuthenticationError

from conftest import ALBUM

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed_samples")
SAMPLES = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


class Repl:
    """python -m asyncio's way of running statements."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.ns = {"__name__": "__sample__", "__builtins__": __builtins__}
        self.flags = 0
        self.out = io.StringIO()

    def run(self, source, filename):
        tree = compile(source, filename, "exec",
                       ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        for stmt in tree.body:
            module = ast.Module([stmt], type_ignores=[])
            code = compile(module, filename, "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT | self.flags,
                           dont_inherit=True)
            with contextlib.redirect_stdout(self.out):
                if code.co_flags & inspect.CO_COROUTINE:
                    coro = types.FunctionType(code, self.ns)()
                    asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)
                else:
                    exec(code, self.ns)
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                for alias in stmt.names:
                    self.flags |= getattr(__future__, alias.name).compiler_flag

    def await_(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


# Names a sample uses that its page imports elsewhere: seed 000's interface
# listing ("Methods") annotates with TokenInfo, which the page's text
# introduces in its data-model section.
PRELUDE = {
    "seed_000_2": "from spotify_sdk.auth import TokenInfo\n",
}

# What each sample must end with: None (it runs through) or the exception
# a placeholder makes it raise.
EXPECTED = {
    "seed_000_4": AuthenticationError,
    "seed_002_3": AuthenticationError,
    "seed_002_4": AuthenticationError,
}


def check_000_1(ns, repl):
    assert isinstance(ns["auth"], sdk_auth.AsyncAuthorizationCode)
    assert "client_id=..." in ns["auth"].get_authorization_url()


def check_000_2(ns, repl):
    """The documented interface is the one our class has."""
    stub = ns["AsyncAuthorizationCode"]
    ours = sdk_auth.AsyncAuthorizationCode("demo-client", "demo-secret",
                                           "http://127.0.0.1:8080/callback")
    for name in ("get_authorization_url", "parse_response_url", "exchange_code",
                 "get_access_token", "close"):
        assert callable(getattr(ours, name)), name
        if inspect.iscoroutinefunction(getattr(stub, name)):
            assert inspect.iscoroutinefunction(getattr(type(ours), name)), name
    kwargs = {p: None for p in inspect.signature(stub.get_authorization_url).parameters
              if p != "self"}
    kwargs["show_dialog"] = False
    assert ours.get_authorization_url(**kwargs).startswith(os.environ["SPOTIFY_SDK_ACCOUNTS_BASE_URL"])
    assert type(ours).parse_response_url("code=c&state=s", expected_state="s") == "c"


def check_000_3(ns, repl):
    assert isinstance(ns["sync_token"], TokenInfo) and ns["sync_token"].refresh_token
    assert isinstance(ns["async_token"], TokenInfo) and ns["async_token"].refresh_token
    with SpotifyClient(auth_provider=ns["sync_auth"]) as client:
        assert client.users.get_current_profile().id == "demo-user"


def check_000_4(ns, repl):
    assert "show_dialog=true" in ns["authorize_url"]
    assert "code" not in ns  # the state check stopped the sample before the exchange


def check_002_1(ns, repl):
    assert ns["auth"].get_access_token()


def check_002_2(ns, repl):
    assert repl.await_(ns["auth"].get_access_token())


def check_002_3(ns, repl):
    assert ns["url"].startswith(os.environ["SPOTIFY_SDK_ACCOUNTS_BASE_URL"] + "/authorize?")


check_002_4 = check_002_3


def check_002_5(ns, repl):
    assert repl.out.getvalue().strip() == ns["token_info"].refresh_token


def check_002_6(ns, repl):
    assert repl.out.getvalue().strip() == ns["token_info"].refresh_token
    assert repl.await_(ns["auth"].get_access_token()) == ns["token_info"].access_token


def check_002_8(ns, repl):
    assert isinstance(ns["auth"], sdk_auth.AuthorizationCode)
    assert ns["cache"].get() is None


def check_002_9(ns, repl):
    assert ns["token"].expires_at == 1700000000.0 and ns["token"].is_expired(skew_seconds=0)


def check_003_1(ns, repl):
    assert ns["client"].albums.get(ALBUM).id == ALBUM
    assert repl.await_(ns["async_client"].albums.get(ALBUM)).id == ALBUM


def check_003_2(ns, repl):
    assert isinstance(ns["client"], AsyncSpotifyClient)
    assert repl.await_(ns["client"].albums.get(ALBUM)).name == "To Pimp A Butterfly"


@pytest.mark.parametrize("name", SAMPLES)
def test_sample(name, emulator, app_env, fake_browser):
    with open(os.path.join(HERE, name + ".py"), encoding="utf-8") as f:
        source = f.read()
    repl = Repl()
    try:
        if name in PRELUDE:
            repl.run(PRELUDE[name], "<prelude>")
        expected = EXPECTED.get(name)
        if expected is None:
            repl.run(source, name + ".py")
        else:
            with pytest.raises(expected, match="(?i)state"):
                repl.run(source, name + ".py")
        check = globals().get("check_" + name[len("seed_"):])
        if check is not None:
            check(repl.ns, repl)
    finally:
        repl.close()
