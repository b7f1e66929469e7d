# SPDX-License-Identifier: AGPL-3.0-or-later
# A thin layer over CMake + Ninja + CTest. See README.md.
.PHONY: all build configure-tests run test unit asan fuzz fuzz-replay fuzz-long reliability soak fresh-check bench format format-check lint deps clean

BUILD ?= build
DB ?= learncity.db
PORT ?= 8080
JOBS ?= $(shell nproc)
# Seconds per fuzz target: 20 for the replay in make test, 600 for fuzz-long.
FUZZ_SECONDS ?=
# fuzz-long: the targets to run (e.g. FUZZ_TARGETS="fuzz_csv fuzz_xlsx"); empty: all.
FUZZ_TARGETS ?=
RELIABILITY_RUNS ?= 100

all: build

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

deps:
	scripts/install-deps.sh build

run: deps
	$(MAKE) build
	@test -f $(DB) || $(BUILD)/learncity demo --db $(DB)
	$(BUILD)/learncity serve --db $(DB) --bind 127.0.0.1 --port $(PORT)

# The build directory may have been configured by `make run` without the
# test dependencies: configure again, now requiring them.
configure-tests:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLC_TESTS=ON -DLC_REQUIRE_TESTS=ON

# Every suite: format, banned-function and include-layering checks (the
# latter's own tests run in ctest), unit, golden, HTTP, browser tests, 20 runs
# of the crash-safety campaign and a 60-second soak, then all of them but the
# campaign, the soak and the script tests again under ASan+UBSan, then a
# bounded fuzz replay, then `make run` on a fresh Debian 12.
test:
	scripts/install-deps.sh test
	scripts/check-format.sh
	scripts/check-banned.sh
	scripts/check-includes.py
	$(MAKE) configure-tests
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) asan
	$(MAKE) fuzz-replay
	$(MAKE) fresh-check
	@echo "make test: all suites passed"

# `make run` as a newcomer meets it: a minimal Debian 12 root (debootstrap,
# cached under build-fresh/), the working tree copied in, `make run` there,
# the health check and the directory fetched from outside.
fresh-check:
	scripts/install-deps.sh test
	scripts/fresh-machine.sh

unit: configure-tests build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

asan:
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-14 -DLC_SANITIZE=ON -DLC_REQUIRE_TESTS=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		ctest --output-on-failure -j $(JOBS) -LE nosan

fuzz:
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DLC_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS)

# Replays every committed corpus, then fuzzes each target for FUZZ_SECONDS.
fuzz-replay: fuzz
	scripts/fuzz.sh build-fuzz $(or $(FUZZ_SECONDS),20)

# A long campaign: each target for FUZZ_SECONDS on JOBS cores, new inputs
# merged minimised into tests/fuzz/corpus/<target>/, then a table of
# executions, new corpus files and crashes (build-fuzz/fuzz-long.txt).
fuzz-long: fuzz
	scripts/fuzz-long.sh build-fuzz $(or $(FUZZ_SECONDS),600) $(JOBS) $(FUZZ_TARGETS)

# Crash safety: SIGKILL at random moments of an import, a burst of workflow
# steps, an index run and a framework publish, RELIABILITY_RUNS times in all
# (make test runs 20 of them through ctest), then checks every database.
reliability: build
	LC_BIN=$(BUILD)/learncity RELIABILITY_RUNS=$(RELIABILITY_RUNS) node tests/reliability/crash.mjs

bench:
	scripts/install-deps.sh bench
	$(MAKE) build
	bench/http/run.sh $(BUILD)
	bench/engine/run.sh $(BUILD)
	bench/award/run.sh $(BUILD)
	bench/library/run.sh $(BUILD)
	bench/monitoring/run.sh $(BUILD)

# Ten minutes of mixed load (SOAK_SECONDS to change it); `make test` runs a
# 60-second one. Prints the samples and the verdicts, fails when one fails.
soak: build
	bench/soak/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c')

format-check:
	scripts/check-format.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz
	scripts/fresh-machine.sh --clean
