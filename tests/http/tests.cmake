# SPDX-License-Identifier: AGPL-3.0-or-later
# HTTP tests: node's test runner against a live server started by each file.
find_program(NODE node)
if(NODE)
  add_test(NAME http COMMAND ${NODE} --test ${CMAKE_SOURCE_DIR}/tests/http/)
  set_tests_properties(http PROPERTIES
    ENVIRONMENT "LC_BIN=$<TARGET_FILE:learncity>"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS http TIMEOUT 600)
endif()
