# SPDX-License-Identifier: AGPL-3.0-or-later
# The monitoring import benchmark (bench/monitoring/import_bench.c):
# include(${CMAKE_SOURCE_DIR}/bench/monitoring/bench.cmake) from CMakeLists.txt.
add_executable(bench_monitoring_import ${CMAKE_SOURCE_DIR}/bench/monitoring/import_bench.c)
target_compile_options(bench_monitoring_import PRIVATE ${LC_WARNINGS})
target_link_libraries(bench_monitoring_import PRIVATE lc)
