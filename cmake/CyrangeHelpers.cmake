include(GoogleTest)

# cyrange_library(NAME SOURCES ... DEPS ...): one component = one static library.
function(cyrange_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC cyrange::options ${ARG_DEPS})
endfunction()

# cyrange_test(NAME LABEL <unit|integration|e2e|gui|bench> SOURCES ... DEPS ...
#              [FIXTURES fixture...] [LOCKS lock...] [TIMEOUT seconds] [SERIAL] [ONE_PROCESS])
# SERIAL: the test disturbs what others share (e.g. restarts PostgreSQL), so ctest
# runs it with nothing else in parallel.
# ONE_PROCESS: one ctest test runs the whole binary, so a suite's SetUpTestSuite (e.g. a
# range of real guests) is shared by its tests instead of repeated for each of them.
# Integration tests name the services they need as ctest fixtures (see tests/),
# so that the test setup starts PostgreSQL and libvirtd instead of skipping.
# Tests that boot guests take LOCKS libvirt_guests so that ctest -j never runs two
# of them at once on a 2-core machine.
function(cyrange_test name)
  cmake_parse_arguments(ARG "SERIAL;ONE_PROCESS" "LABEL;TIMEOUT" "SOURCES;DEPS;FIXTURES;LOCKS"
    ${ARGN})
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
  # Tests find checked-in inputs and built tools through these variables.
  target_compile_definitions(${name} PRIVATE
    CYRANGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" CYRANGE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(ARG_ONE_PROCESS)
    add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${name} PROPERTIES ${props})
    if(ARG_FIXTURES)
      set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
    endif()
    if(ARG_LOCKS)
      set_tests_properties(${name} PROPERTIES RESOURCE_LOCK "${ARG_LOCKS}")
    endif()
    return()
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
endfunction()

# cyrange_gui_test(NAME SOURCES ... DEPS ... [FIXTURES ...] [LOCKS ...] [TIMEOUT s]):
# a GoogleTest suite of Qt widgets. It runs with a QApplication (testing/qt_test_main.cpp)
# on the offscreen platform, labelled gui; screenshots go to ${CMAKE_CURRENT_BINARY_DIR}.
function(cyrange_gui_test name)
  cmake_parse_arguments(ARG "SERIAL" "TIMEOUT" "SOURCES;DEPS;FIXTURES;LOCKS" ${ARGN})
  set(extra "")
  if(ARG_SERIAL)
    list(APPEND extra SERIAL)
  endif()
  if(ARG_TIMEOUT)
    list(APPEND extra TIMEOUT ${ARG_TIMEOUT})
  endif()
  if(ARG_FIXTURES)
    list(APPEND extra FIXTURES ${ARG_FIXTURES})
  endif()
  if(ARG_LOCKS)
    list(APPEND extra LOCKS ${ARG_LOCKS})
  endif()
  cyrange_test(${name} LABEL gui SOURCES ${ARG_SOURCES} DEPS ${ARG_DEPS} cyrange_qt_test_main ${extra})
  target_compile_definitions(${name} PRIVATE
    CYRANGE_SCREENSHOT_DIR="${CMAKE_CURRENT_BINARY_DIR}/screenshots")
endfunction()

# cyrange_translations(TARGET NAME TS_FILES...): builds NAME_<lang>.qm from the committed
# .ts files into ${CMAKE_BINARY_DIR}/translations when TARGET builds, and adds the test
# `NAME_translations_complete`: lupdate over the sources into a copy of each .ts, then
# any entry without a translation (new strings included) fails it.
function(cyrange_translations target name)
  set(ts_files ${ARGN})
  set_source_files_properties(${ts_files} PROPERTIES
    OUTPUT_LOCATION ${CMAKE_BINARY_DIR}/translations)
  qt6_add_lrelease(${target} TS_FILES ${ts_files} QM_FILES_OUTPUT_VARIABLE qm_files)
  add_test(NAME ${name}_translations_complete
    COMMAND ${PROJECT_SOURCE_DIR}/testing/check_translations.sh
      $<TARGET_FILE:Qt6::lupdate> ${CMAKE_CURRENT_SOURCE_DIR} ${ts_files})
  set_tests_properties(${name}_translations_complete PROPERTIES LABELS unit)
endfunction()
