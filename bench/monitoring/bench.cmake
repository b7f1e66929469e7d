# SPDX-License-Identifier: AGPL-3.0-or-later
# The monitoring benchmarks (bench/monitoring/): the observation import and an
# index run with 1,000 uncertainty runs, on the same synthetic data
# (bench_data.c). include(${CMAKE_SOURCE_DIR}/bench/monitoring/bench.cmake)
# from CMakeLists.txt.
foreach(b import index)
  add_executable(bench_monitoring_${b} ${CMAKE_SOURCE_DIR}/bench/monitoring/${b}_bench.c
    ${CMAKE_SOURCE_DIR}/bench/monitoring/bench_data.c)
  target_compile_options(bench_monitoring_${b} PRIVATE ${LC_WARNINGS})
  target_link_libraries(bench_monitoring_${b} PRIVATE lc)
endforeach()
