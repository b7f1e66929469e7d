# SPDX-License-Identifier: AGPL-3.0-or-later
# Tests of the static checks in scripts/: check-includes.py passes on the
# real tree and fails on copies of it with a planted upward include or cycle.
# Nothing here is compiled, so the ASan pass skips it (nosan).
find_program(PYTHON3 python3)
if(PYTHON3)
  add_test(NAME scripts.check_includes
    COMMAND ${PYTHON3} ${CMAKE_SOURCE_DIR}/tests/scripts/test_check_includes.py)
  set_tests_properties(scripts.check_includes PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "scripts;nosan" TIMEOUT 120)
endif()
