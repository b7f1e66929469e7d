# SPDX-License-Identifier: AGPL-3.0-or-later
# Browser tests: playwright-core driving Debian's Chromium under node --test.
# scripts/install-deps.sh test installs Chromium and tests/browser/node_modules.
find_program(NODE node)
if(NODE)
  add_test(NAME browser COMMAND ${NODE} --test ${CMAKE_SOURCE_DIR}/tests/browser/)
  set_tests_properties(browser PROPERTIES
    ENVIRONMENT "LC_BIN=$<TARGET_FILE:learncity>"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS browser TIMEOUT 600 RUN_SERIAL TRUE)
endif()
