# Every compile flag of the project lives in one INTERFACE target: cyrange_options.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

if(DEFINED ENV{CI})
  set(_werror_default ON)
else()
  set(_werror_default OFF)
endif()
option(CYRANGE_WERROR "Treat compiler warnings as errors (on under CI)" ${_werror_default})
set(CYRANGE_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined")
# Unity build: each target's sources compile in batches of eight, one translation unit per
# batch, so that the code every source instantiates (the standard library, protobuf, gRPC,
# JSON) is generated once per batch instead of once per source: half the CPU time of a
# clean build (measured in docs/testing.md). File-local names must therefore be unique
# within a target. OFF compiles every source on its own (e.g. to check includes).
option(CYRANGE_UNITY_BUILD "Compile each target's sources in batches (unity build)" ON)
set(CMAKE_UNITY_BUILD ${CYRANGE_UNITY_BUILD})
set(CMAKE_UNITY_BUILD_BATCH_SIZE 8)
option(CYRANGE_FUZZ "Build the libFuzzer targets (clang only, see docs/testing.md)" OFF)
if(CYRANGE_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CYRANGE_FUZZ needs clang for libFuzzer, but the compiler is "
    "${CMAKE_CXX_COMPILER_ID}; configure a separate build directory with "
    "-DCMAKE_CXX_COMPILER=clang++ (Debian packages clang and libclang-rt-14-dev), "
    "or leave CYRANGE_FUZZ off.")
endif()

add_library(cyrange_options INTERFACE)
add_library(cyrange::options ALIAS cyrange_options)
target_compile_features(cyrange_options INTERFACE cxx_std_20)
target_compile_options(cyrange_options INTERFACE -Wall -Wextra -Wpedantic)
# Debug information as line tables only: backtraces, sanitizers and debuggers still name
# functions, files and lines, while a heavy translation unit compiles about a quarter
# faster and its object is a third of the size (full -g made the clean build the larger
# part of the test command's time; measured in docs/testing.md).
target_compile_options(cyrange_options INTERFACE $<$<CONFIG:RelWithDebInfo>:-g1>)
if(CYRANGE_WERROR)
  target_compile_options(cyrange_options INTERFACE -Werror)
  # GCC 12 reports out-of-bounds memcpy inside libstdc++'s own std::string
  # operator+ when a string built from a macro path is appended to (GCC bugs
  # 105329 and 105651): whether it fires depends on the length of the checkout
  # path, so a clean clone elsewhere failed where this tree built. These three
  # stay warnings there; every other warning is still an error.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(cyrange_options INTERFACE
      -Wno-error=array-bounds -Wno-error=stringop-overflow -Wno-error=restrict)
  endif()
endif()
if(CYRANGE_SANITIZE)
  target_compile_options(cyrange_options INTERFACE -fsanitize=${CYRANGE_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(cyrange_options INTERFACE -fsanitize=${CYRANGE_SANITIZE})
endif()
# Coverage instrumentation for libFuzzer in every library a fuzz target links.
if(CYRANGE_FUZZ)
  target_compile_options(cyrange_options INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(cyrange_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
# Includes are rooted at the repository (<orchestrator/store/migrator.h>) and at the
# generated proto tree (<cyrange/v1/system.pb.h>).
target_include_directories(cyrange_options INTERFACE ${PROJECT_SOURCE_DIR})
