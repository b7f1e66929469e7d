# SPDX-License-Identifier: AGPL-3.0-or-later
# Checks of the repository's own files, run as tests: check-includes.py
# passes on the real tree and fails on copies of it with a planted upward
# include or cycle; check-catalogues.py fails on a key missing from a
# catalogue, a lost placeholder or an unused key; rewrite-includes.py
# rewrites includes (and, asked, mentions) of moved headers, idempotently. Nothing here is compiled,
# so the ASan pass skips them (nosan).
find_program(PYTHON3 python3)
if(PYTHON3)
  add_test(NAME scripts.check_includes
    COMMAND ${PYTHON3} ${CMAKE_SOURCE_DIR}/tests/scripts/test_check_includes.py)
  set_tests_properties(scripts.check_includes PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "scripts;nosan" TIMEOUT 120)
  add_test(NAME scripts.rewrite_includes
    COMMAND ${PYTHON3} ${CMAKE_SOURCE_DIR}/tests/scripts/test_rewrite_includes.py)
  set_tests_properties(scripts.rewrite_includes PROPERTIES
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "scripts;nosan" TIMEOUT 60)
  add_test(NAME catalogues COMMAND sh ${CMAKE_SOURCE_DIR}/tests/scripts/test_check_catalogues.sh
           ${CMAKE_SOURCE_DIR})
  set_tests_properties(catalogues PROPERTIES LABELS "unit;nosan" TIMEOUT 120)
endif()
