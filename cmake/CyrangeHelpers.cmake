include(GoogleTest)

# cyrange_library(NAME SOURCES ... DEPS ...): one component = one static library.
function(cyrange_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC cyrange::options ${ARG_DEPS})
endfunction()

# cyrange_test(NAME LABEL <unit|integration|e2e|gui|bench> SOURCES ... DEPS ...
#              [FIXTURES fixture...] [LOCKS lock...] [TIMEOUT seconds] [SERIAL])
# SERIAL: the test disturbs what others share (e.g. restarts PostgreSQL), so ctest
# runs it with nothing else in parallel.
# Integration tests name the services they need as ctest fixtures (see tests/),
# so that the test setup starts PostgreSQL and libvirtd instead of skipping.
# Tests that boot guests take LOCKS libvirt_guests so that ctest -j never runs two
# of them at once on a 2-core machine.
function(cyrange_test name)
  cmake_parse_arguments(ARG "SERIAL" "LABEL;TIMEOUT" "SOURCES;DEPS;FIXTURES;LOCKS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE cyrange::options ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  set(props LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT})
  if(ARG_SERIAL)
    list(APPEND props RUN_SERIAL TRUE)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ${props}
  )
  # gtest_discover_tests flattens list values ("FIXTURES postgresql libvirt" kept only
  # postgresql and lost the locks), so list properties are set by a script that ctest
  # runs after discovery, on every test it found (${name}_TESTS).
  if(ARG_FIXTURES OR ARG_LOCKS)
    set(list_props "")
    if(ARG_FIXTURES)
      string(APPEND list_props " FIXTURES_REQUIRED \"${ARG_FIXTURES}\"")
    endif()
    if(ARG_LOCKS)
      string(APPEND list_props " RESOURCE_LOCK \"${ARG_LOCKS}\"")
    endif()
    set(script "${CMAKE_CURRENT_BINARY_DIR}/${name}_list_properties.cmake")
    file(GENERATE OUTPUT "${script}" CONTENT
      "foreach(test IN LISTS ${name}_TESTS)\n  set_tests_properties(\"\${test}\" PROPERTIES${list_props})\nendforeach()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${script}")
  endif()
  # Tests find checked-in inputs and built tools through these variables.
  target_compile_definitions(${name} PRIVATE
    CYRANGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" CYRANGE_BINARY_DIR="${PROJECT_BINARY_DIR}")
endfunction()
