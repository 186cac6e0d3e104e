#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/bench_python.py - spotify_sdk (the Python package on libspotify-sdk)
against the plain Python floor, and its asyncio client's throughput.

    bench_python.py cpu API_BASE_URL [GETS] [ROUNDS]
        A typed `client.albums.get(id)` (album-tpab.json from a local server,
        one keep-alive connection, model objects built) against
        `requests.Session().get(url).json()` in a loop (Debian's
        python3-requests): client CPU of the loop (time.process_time) and
        peak RSS of the whole process (ru_maxrss), each side in its own
        child process, ROUNDS interleaved rounds; the median round's ratio
        is the result. Goals: CPU at most 0.5x, peak RSS at most 1x.

    bench_python.py rate EMULATOR_BASE_URL [GETS] [ROUNDS] [LATENCY_MS] [CONCURRENCY]
        GETS album gets, CONCURRENCY (100) awaited at a time through one
        AsyncSpotifyClient, against spotify-emulator adding LATENCY_MS (20)
        to every call: the rate against the ideal CONCURRENCY / latency.
        Goal: at least 0.9 of the ideal.

Run with PYTHONPATH pointing at an installed spotify_sdk (scripts/bench.sh).
"""

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time

ALBUM = "7ycBtnsMtyVbbwTfJwRjSP"  # album-tpab.json (the local server answers it for any id;
                                  # spotify-emulator has it in its catalog)


def child_typed(base, gets):
    os.environ["SPOTIFY_SDK_API_BASE_URL"] = base
    from spotify_sdk import SpotifyClient

    client = SpotifyClient("bench-token")
    album = client.albums.get(ALBUM)  # warm: connection, first allocations
    assert album.name == "To Pimp A Butterfly" and len(album.tracks.items) == 16
    t0 = time.process_time()
    for _ in range(gets):
        album = client.albums.get(ALBUM)
        assert album.tracks.items[-1].name  # the models are there
    cpu = time.process_time() - t0
    client.close()
    return cpu


def child_floor(base, gets):
    import requests

    session = requests.Session()
    url = base + "/albums/" + ALBUM
    headers = {"Authorization": "Bearer bench-token"}
    data = session.get(url, headers=headers).json()
    assert data["name"] == "To Pimp A Butterfly"
    t0 = time.process_time()
    for _ in range(gets):
        data = session.get(url, headers=headers).json()
        assert data["tracks"]["items"][-1]["name"]
    cpu = time.process_time() - t0
    session.close()
    return cpu


def child(kind, base, gets):
    cpu = (child_typed if kind == "typed" else child_floor)(base, gets)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"cpu": cpu, "rss_kib": rss_kib}))


def run_child(kind, base, gets):
    out = subprocess.run([sys.executable, __file__, "child", kind, base, str(gets)],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def cpu_bench(base, gets, rounds):
    typed, floor = [], []
    for _ in range(rounds):
        typed.append(run_child("typed", base, gets))
        floor.append(run_child("floor", base, gets))
    ratios = [t["cpu"] / f["cpu"] for t, f in zip(typed, floor)]
    rss_ratios = [t["rss_kib"] / f["rss_kib"] for t, f in zip(typed, floor)]
    med = statistics.median(ratios)
    print("| per album get | client CPU (median of %d rounds) | peak RSS (median) |" % rounds)
    print("| --- | --- | --- |")
    print("| `SpotifyClient.albums.get` (typed models) | %.0f us | %.1f MiB |" % (
        statistics.median(t["cpu"] for t in typed) / gets * 1e6,
        statistics.median(t["rss_kib"] for t in typed) / 1024))
    print("| `requests.Session().get(url).json()` (floor) | %.0f us | %.1f MiB |" % (
        statistics.median(f["cpu"] for f in floor) / gets * 1e6,
        statistics.median(f["rss_kib"] for f in floor) / 1024))
    print()
    print("CPU ratio (goal <= 0.5): %.2f (rounds: %s)" % (
        med, ", ".join("%.2f" % r for r in ratios)))
    print("Peak RSS ratio (goal <= 1.0): %.2f (rounds: %s)" % (
        statistics.median(rss_ratios), ", ".join("%.2f" % r for r in rss_ratios)))
    return med <= 0.5 and statistics.median(rss_ratios) <= 1.0


async def rate_round(client, gets, concurrency):
    sem = asyncio.Semaphore(concurrency)

    async def one():
        async with sem:
            album = await client.albums.get(ALBUM)
            assert album.id
    t0 = time.perf_counter()
    await asyncio.gather(*[one() for _ in range(gets)])
    return time.perf_counter() - t0


def rate_bench(base, gets, rounds, latency_ms, concurrency):
    os.environ["SPOTIFY_SDK_API_BASE_URL"] = base + "/v1"
    os.environ["SPOTIFY_SDK_ACCOUNTS_BASE_URL"] = base
    from spotify_sdk import AsyncSpotifyClient

    async def main():
        client = AsyncSpotifyClient(client_id="demo-client", client_secret="demo-secret")
        await rate_round(client, concurrency, concurrency)  # token, connections
        times = [await rate_round(client, gets, concurrency) for _ in range(rounds)]
        await client.close()
        return times

    times = asyncio.run(main())
    ideal = concurrency / (latency_ms / 1000.0)
    rates = [gets / t for t in times]
    best = max(rates)
    print("%d album gets (71 KB each, typed models), %d awaited at a time, %d ms added by "
          "the emulator: %.0f/s best of %d rounds (%s); ideal %d / %d ms = %.0f/s" % (
              gets, concurrency, latency_ms, best, rounds,
              ", ".join("%.0f" % r for r in rates), concurrency, latency_ms, ideal))
    print()
    print("Rate ratio (goal >= 0.9): %.2f" % (best / ideal))
    return best / ideal >= 0.9


def main(argv):
    if len(argv) >= 5 and argv[1] == "child":
        child(argv[2], argv[3], int(argv[4]))
        return 0
    if len(argv) >= 3 and argv[1] == "cpu":
        gets = int(argv[3]) if len(argv) > 3 else 500
        rounds = int(argv[4]) if len(argv) > 4 else 5
        return 0 if cpu_bench(argv[2], gets, rounds) else 1
    if len(argv) >= 3 and argv[1] == "rate":
        gets = int(argv[3]) if len(argv) > 3 else 2000
        rounds = int(argv[4]) if len(argv) > 4 else 3
        latency = int(argv[5]) if len(argv) > 5 else 20
        concurrency = int(argv[6]) if len(argv) > 6 else 100
        return 0 if rate_bench(argv[2], gets, rounds, latency, concurrency) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
