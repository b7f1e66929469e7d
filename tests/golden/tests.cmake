# SPDX-License-Identifier: AGPL-3.0-or-later
# Golden cases: each folder with a case.txt is one CTest test (label golden),
# run by run_case.cmake with the comparer built here. Reference data live in
# the shared folder next to the project (../shared).
add_executable(golden_compare ${CMAKE_SOURCE_DIR}/tests/golden/compare.c)
target_compile_options(golden_compare PRIVATE ${LC_WARNINGS})
target_link_libraries(golden_compare PRIVATE lc)
file(GLOB LC_GOLDEN_CASES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/golden/*/case.txt)
foreach(c ${LC_GOLDEN_CASES})
  get_filename_component(dir ${c} DIRECTORY)
  get_filename_component(name ${dir} NAME)
  add_test(NAME golden.${name}
    COMMAND ${CMAKE_COMMAND} -DCASE=${dir} -DSHARED=${CMAKE_SOURCE_DIR}/../shared
      -DOUT=${CMAKE_BINARY_DIR}/golden-out/${name}
      -DLEARNCITY=$<TARGET_FILE:learncity> -DCOMPARE=$<TARGET_FILE:golden_compare>
      -P ${CMAKE_SOURCE_DIR}/tests/golden/run_case.cmake)
  set_tests_properties(golden.${name} PROPERTIES LABELS golden TIMEOUT 120)
endforeach()
