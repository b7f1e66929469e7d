# SPDX-License-Identifier: AGPL-3.0-or-later
# Checks of the repository's own files, run as tests.
find_program(PYTHON3 python3)
if(PYTHON3)
  add_test(NAME catalogues COMMAND sh ${CMAKE_SOURCE_DIR}/tests/scripts/test_check_catalogues.sh
           ${CMAKE_SOURCE_DIR})
  set_tests_properties(catalogues PROPERTIES LABELS unit TIMEOUT 120)
endif()
