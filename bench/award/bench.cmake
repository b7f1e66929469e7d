# SPDX-License-Identifier: AGPL-3.0-or-later
# The award ranking benchmark (bench/award/run.sh runs it), included by CMakeLists.txt.
add_executable(bench_award ${CMAKE_SOURCE_DIR}/bench/award/bench.c)
target_compile_options(bench_award PRIVATE ${LC_WARNINGS})
target_link_libraries(bench_award PRIVATE lc)
