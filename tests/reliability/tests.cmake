# SPDX-License-Identifier: AGPL-3.0-or-later
# Crash safety: tests/reliability/crash.mjs kills the server or the command
# line with SIGKILL in the middle of an import, a burst of workflow steps, an
# index run and a framework publish, and checks the database after each kill.
# 20 runs here; `make reliability` runs 100. Too slow for the ASan pass (nosan).
# It needs the sqlite3 shell (scripts/install-deps.sh test) and says so when absent.
find_program(NODE node)
if(NODE)
  add_test(NAME reliability COMMAND ${NODE} ${CMAKE_SOURCE_DIR}/tests/reliability/crash.mjs)
  set_tests_properties(reliability PROPERTIES
    ENVIRONMENT "LC_BIN=$<TARGET_FILE:learncity>;RELIABILITY_RUNS=20"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "reliability;nosan" TIMEOUT 600)
endif()
