# SPDX-License-Identifier: Apache-2.0
# Symbol versions (docs/abi.md): writes the version script of libspotify-sdk
# into the build tree, its private node listing the functions that src/
# headers mark SPOTIFY__EXPORT, and applies the scripts to both libraries.
file(GLOB_RECURSE _spotify_internal_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/*.h)
set(_spotify_private "")
foreach(header ${_spotify_internal_headers})
  file(STRINGS ${header} lines REGEX "^SPOTIFY__EXPORT .*spotify__[a-z0-9_]+\\(")
  foreach(line ${lines})
    string(REGEX MATCH "spotify__[a-z0-9_]+\\(" name "${line}")
    string(REPLACE "(" "" name "${name}")
    list(APPEND _spotify_private ${name})
  endforeach()
endforeach()
list(REMOVE_DUPLICATES _spotify_private)
list(SORT _spotify_private)
set(SPOTIFY_PRIVATE_SYMBOLS "")
foreach(name ${_spotify_private})
  string(APPEND SPOTIFY_PRIVATE_SYMBOLS "    ${name};\n")
endforeach()
set(SPOTIFY_VERSION_SCRIPT ${PROJECT_BINARY_DIR}/libspotify-sdk.map)
configure_file(${PROJECT_SOURCE_DIR}/cmake/libspotify-sdk.map.in ${SPOTIFY_VERSION_SCRIPT} @ONLY)
set(SPOTIFY_REDIS_VERSION_SCRIPT ${PROJECT_SOURCE_DIR}/cmake/libspotify-sdk-redis.map)

# spotify_apply_version_script(TARGET SCRIPT)
function(spotify_apply_version_script target script)
  target_link_options(${target} PRIVATE "LINKER:--version-script=${script}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${script})
endfunction()
