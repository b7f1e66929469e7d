# SPDX-License-Identifier: AGPL-3.0-or-later
# A thin layer over CMake + Ninja + CTest. See README.md.
.PHONY: all build run test unit asan fuzz fuzz-replay fuzz-long bench format format-check lint deps clean

BUILD ?= build
DB ?= learncity.db
PORT ?= 8080
JOBS ?= $(shell nproc)
# Seconds per fuzz target: 20 for the replay in make test, 600 for fuzz-long.
FUZZ_SECONDS ?=
# fuzz-long: the targets to run (e.g. FUZZ_TARGETS="fuzz_csv fuzz_xlsx"); empty: all.
FUZZ_TARGETS ?=

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

# Every suite: format and banned-function checks, unit, golden, HTTP and
# browser tests, then all of them again under ASan+UBSan, then a bounded
# fuzz replay.
test:
	scripts/install-deps.sh test
	scripts/check-format.sh
	scripts/check-banned.sh
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) asan
	$(MAKE) fuzz-replay
	@echo "make test: all suites passed"

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

asan:
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-14 -DLC_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
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

bench:
	scripts/install-deps.sh bench
	$(MAKE) build
	bench/http/run.sh $(BUILD)
	bench/engine/run.sh $(BUILD)
	bench/monitoring/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c')

format-check:
	scripts/check-format.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz
