# SPDX-License-Identifier: Apache-2.0
"""Blocking calls release the GIL while they wait on the network: threads
sharing one SpotifyClient run their requests in parallel. 8 threads x 50
gets against the emulator with 20 ms of latency take about 1/8 of the
time of the same 400 gets one after the other (measured as 8 x the time of
50 sequential gets, the same per-request cost without spending 8 s)."""

import os
import threading
import time

from spotify_sdk import SpotifyClient

from conftest import ALBUM

THREADS = 8
GETS = 50
SANITIZED = os.environ.get("SPOTIFY_SDK_TEST_SANITIZED") == "1"


def test_threads_run_in_parallel(emulator):
    emulator.configure(latency_ms=20)
    with SpotifyClient(client_id="demo-client", client_secret="demo-secret") as client:
        client.albums.get(ALBUM)  # token and connection ready

        t0 = time.perf_counter()
        for _ in range(GETS):
            client.albums.get(ALBUM)
        sequential_50 = time.perf_counter() - t0
        sequential = THREADS * sequential_50  # 400 gets one after the other

        errors = []
        start = threading.Barrier(THREADS + 1)

        def work():
            start.wait()
            try:
                for _ in range(GETS):
                    assert client.albums.get(ALBUM).id == ALBUM
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        parallel = time.perf_counter() - t0
    assert errors == []
    ratio = parallel / sequential
    print("sequential(400, from 50)=%.2fs parallel(8x50)=%.2fs ratio=%.3f (ideal 0.125)" %
          (sequential, parallel, ratio))
    assert sequential_50 >= GETS * 0.020  # the latency is there
    if not SANITIZED:
        assert ratio < 0.2, ratio
