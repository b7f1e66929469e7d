# SPDX-License-Identifier: AGPL-3.0-or-later
# The soak's load driver (bench/soak/run.sh runs it), included by CMakeLists.txt.
add_executable(bench_soak ${CMAKE_SOURCE_DIR}/bench/soak/soak.c)
target_compile_options(bench_soak PRIVATE ${LC_WARNINGS})
target_link_libraries(bench_soak PRIVATE lc)
