# SPDX-License-Identifier: AGPL-3.0-or-later
# The engine benchmark (bench/engine/run.sh runs it), included by CMakeLists.txt.
add_executable(bench_engine ${CMAKE_SOURCE_DIR}/bench/engine/bench.c)
target_compile_options(bench_engine PRIVATE ${LC_WARNINGS})
target_link_libraries(bench_engine PRIVATE lc)
