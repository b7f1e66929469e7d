# SPDX-License-Identifier: AGPL-3.0-or-later
# Browser tests: playwright-core driving Debian's Chromium under node --test.
# scripts/install-deps.sh test installs Chromium and tests/browser/node_modules.
# every_page.test.mjs (a look at every page: axe-core, phones, chart text) is its
# own test, browser_pages, so a failure names it and its longer run has its own limit.
find_program(NODE node)
if(NODE)
  file(GLOB LC_BROWSER_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/browser/*.test.mjs)
  list(FILTER LC_BROWSER_TESTS EXCLUDE REGEX "every_page\\.test\\.mjs$")
  add_test(NAME browser COMMAND ${NODE} --test ${LC_BROWSER_TESTS})
  set_tests_properties(browser PROPERTIES
    ENVIRONMENT "LC_BIN=$<TARGET_FILE:learncity>"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS browser TIMEOUT 600 RUN_SERIAL TRUE)
  add_test(NAME browser_pages COMMAND ${NODE} --test ${CMAKE_SOURCE_DIR}/tests/browser/every_page.test.mjs)
  # Not again under ASan (label nosan): it looks at pages, which the sanitized build
  # draws the same; the browser suite above exercises the sanitized server.
  set_tests_properties(browser_pages PROPERTIES
    ENVIRONMENT "LC_BIN=$<TARGET_FILE:learncity>"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "browser;nosan" TIMEOUT 900 RUN_SERIAL TRUE)
endif()
