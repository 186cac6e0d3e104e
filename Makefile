# SPDX-License-Identifier: Apache-2.0
# Convenience entry points. Each one installs missing Debian packages
# (scripts/bootstrap.sh), configures and builds before doing its job.
#
#   make demo    run the demo
#   make test    the whole test suite: warnings-as-errors build + tests,
#                the same under ASan+UBSan (leaks fail), ThreadSanitizer on the
#                tests that mix threads, lint (clang-format,
#                scripts/checksrc.sh),
#                install check (pkg-config and CMake consumers), the
#                Debian packages built, linted, installed and used
#                (make deb-check)
#   make bench   the benchmarks; figures go to docs/performance.md
#   make soak    the fleet soak (about 80 s, by hand, not part of bench):
#                8 worker processes on one Redis while it is killed,
#                restarted and stopped; SOAK_ARGS="--seconds 15" for a
#                smoke run; figures go to docs/fleets.md
#   make release checks that CHANGELOG.md, the version, the ABI baseline and
#                debian/changelog agree (part of make test too)
#   make docs    the API reference (Doxygen): build/docs/html/index.html and
#                section 3 man pages in build/docs/man/man3

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
BENCH_ARGS ?= --write
SOAK_ARGS  ?=

.PHONY: all deps build test lint test-release test-asan test-tsan format format-check install-check deb-check demo bench soak release docs clean

all: build

deps:
	@scripts/bootstrap.sh

build: deps
	cmake -S . -B $(BUILD) -DSPOTIFY_WERROR=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

test: lint test-release test-asan test-tsan install-check deb-check
	@echo "make test: all checks passed"

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DSPOTIFY_WERROR=ON -DSPOTIFY_SANITIZE=ON \
	      -DSPOTIFY_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug $(CMAKE_ARGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

# ThreadSanitizer on the tests that mix threads (CTest label "threads").
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DSPOTIFY_WERROR=ON -DSPOTIFY_TSAN=ON -DSPOTIFY_BUILD_BENCH=OFF \
	      -DSPOTIFY_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Debug $(CMAKE_ARGS) >/dev/null
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target spotify-emulator test_async test_auth_provider \
	      test_auth_emulator test_token_cache
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	    ctest --output-on-failure -L threads -j$(JOBS)

format:
	scripts/format.sh fix

format-check: deps
	scripts/format.sh check

# clang-format and the checksrc lint (banned functions, raw allocation).
lint: format-check
	scripts/checksrc.sh

install-check: build
	scripts/install-check.sh $(BUILD)

# Debian packages (debian/): dpkg-buildpackage, lintian, a throwaway install.
deb-check: deps
	scripts/deb-check.sh

demo: build
	scripts/demo.sh $(BUILD)

release: build
	scripts/release-check.sh $(BUILD)

# The API reference: HTML in $(BUILD)/docs/html, man pages in $(BUILD)/docs/man/man3.
docs: build
	cmake --build $(BUILD) --target docs

bench: deps
	@scripts/bootstrap.sh bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSPOTIFY_BUILD_TESTS=OFF >/dev/null
	cmake --build build-bench -j$(JOBS)
	scripts/bench.sh build-bench $(BENCH_ARGS)

# The fleet soak (bench/bench_fleet_soak.c, issue #20 item 3): a Release
# build's controller starts its own redis-server and spotify-emulator.
soak: deps
	@scripts/bootstrap.sh bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSPOTIFY_BUILD_TESTS=OFF >/dev/null
	cmake --build build-bench -j$(JOBS) --target bench_fleet_soak
	build-bench/bench/bench_fleet_soak $(SOAK_ARGS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) build-bench
