# SPDX-License-Identifier: AGPL-3.0-or-later
# The 60-second soak (bench/soak/run.sh; `make soak` runs the 10-minute one).
# Alone (RUN_SERIAL), since its latency criterion means nothing beside other
# suites; not under ASan (nosan), whose slowdown is not the product's.
find_program(SOAK_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(SOAK_PYTHON AND NOT LC_SANITIZE)
  add_test(NAME soak COMMAND ${CMAKE_SOURCE_DIR}/bench/soak/run.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(soak PROPERTIES
    ENVIRONMENT "SOAK_SECONDS=60;PYTHON=${SOAK_PYTHON}"
    LABELS "soak;nosan" RUN_SERIAL TRUE TIMEOUT 300)
endif()
