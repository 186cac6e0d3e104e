# SPDX-License-Identifier: Apache-2.0
# Warning flags for the project's own code (not applied to dependencies).
set(SPOTIFY_C_WARNINGS
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef
    -Wvla -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)
set(SPOTIFY_CXX_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wformat=2)
if(SPOTIFY_WERROR)
  list(APPEND SPOTIFY_C_WARNINGS -Werror)
  list(APPEND SPOTIFY_CXX_WARNINGS -Werror)
endif()

# spotify_target_warnings(target): applies the warning set by language.
function(spotify_target_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:C>:${SPOTIFY_C_WARNINGS}>
    $<$<COMPILE_LANGUAGE:CXX>:${SPOTIFY_CXX_WARNINGS}>)
endfunction()
