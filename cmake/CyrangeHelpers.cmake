include(GoogleTest)

# cyrange_library(NAME SOURCES ... DEPS ...): one component = one static library.
function(cyrange_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC cyrange::options ${ARG_DEPS})
endfunction()

# cyrange_test(NAME LABEL <unit|integration|e2e|gui|bench> SOURCES ... DEPS ...
#              [FIXTURES fixture...] [LOCKS lock...] [TIMEOUT seconds])
# Integration tests name the services they need as ctest fixtures (see tests/),
# so that the test setup starts PostgreSQL and libvirtd instead of skipping.
# Tests that boot guests take LOCKS libvirt_guests so that ctest -j never runs two
# of them at once on a 2-core machine.
function(cyrange_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS;FIXTURES;LOCKS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE cyrange::options ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  set(props LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT})
  if(ARG_FIXTURES)
    list(APPEND props FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
  if(ARG_LOCKS)
    list(APPEND props RESOURCE_LOCK "${ARG_LOCKS}")
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ${props}
  )
  # Tests find checked-in inputs and built tools through these variables.
  target_compile_definitions(${name} PRIVATE
    CYRANGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" CYRANGE_BINARY_DIR="${PROJECT_BINARY_DIR}")
endfunction()
