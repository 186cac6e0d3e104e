# SPDX-License-Identifier: Apache-2.0
# The API reference (docs/README.md): `cmake --build BUILD --target docs`
# (make docs) writes HTML of every public header into BUILD/docs/html, and
# section 3 man pages of the hand-written public API (one per function,
# like curl's) into BUILD/docs/man/man3. Any Doxygen warning fails it.
find_program(SPOTIFY_DOXYGEN doxygen)
find_package(Python3 COMPONENTS Interpreter)
if(NOT SPOTIFY_DOXYGEN OR NOT Python3_FOUND)
  message(STATUS "doxygen or python3 not found: no docs target")
  return()
endif()

set(SPOTIFY_DOCS_INPUT "${PROJECT_SOURCE_DIR}/include/spotify ${PROJECT_BINARY_DIR}/include/spotify")

# HTML: every public header, generated ones included.
set(SPOTIFY_DOCS_OUTPUT ${PROJECT_BINARY_DIR}/docs)
set(SPOTIFY_DOCS_EXCLUDE "")
set(SPOTIFY_DOCS_HTML YES)
set(SPOTIFY_DOCS_MAN NO)
set(SPOTIFY_DOCS_WARN_UNDOCUMENTED YES)
set(SPOTIFY_DOCS_LOG warnings-html.log)
configure_file(${PROJECT_SOURCE_DIR}/tools/doxygen/Doxyfile.in
               ${PROJECT_BINARY_DIR}/Doxyfile.html @ONLY)

# Man pages: the hand-written headers only (the generated ones hold one
# function per Web API operation, documented in docs/api.md).
set(SPOTIFY_DOCS_OUTPUT ${PROJECT_BINARY_DIR}/docs)
set(SPOTIFY_DOCS_EXCLUDE "*/gen/*")
set(SPOTIFY_DOCS_HTML NO)
set(SPOTIFY_DOCS_MAN YES)
set(SPOTIFY_DOCS_LOG warnings-man.log)
configure_file(${PROJECT_SOURCE_DIR}/tools/doxygen/Doxyfile.in
               ${PROJECT_BINARY_DIR}/Doxyfile.man @ONLY)

add_custom_target(docs
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${PROJECT_BINARY_DIR}/docs
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/docs
  COMMAND ${SPOTIFY_DOXYGEN} ${PROJECT_BINARY_DIR}/Doxyfile.html
  COMMAND ${SPOTIFY_DOXYGEN} ${PROJECT_BINARY_DIR}/Doxyfile.man
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/doxygen/manpages.py
          ${PROJECT_BINARY_DIR}/docs/man/man3
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
  COMMENT "API reference: ${PROJECT_BINARY_DIR}/docs/html/index.html, man pages in docs/man/man3"
  VERBATIM)

# Installed when they were built (the Debian -dev package builds them).
install(DIRECTORY ${PROJECT_BINARY_DIR}/docs/man/man3 DESTINATION ${CMAKE_INSTALL_MANDIR}
        OPTIONAL)
