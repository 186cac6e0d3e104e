# SPDX-License-Identifier: Apache-2.0
# make install: libraries, headers, pkg-config file and CMake package config.
include(CMakePackageConfigHelpers)

install(TARGETS spotify-sdk spotify-sdk-static EXPORT spotify-sdk-targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/spotify DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/spotify/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/spotify)

set(SPOTIFY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/spotify-sdk)
install(EXPORT spotify-sdk-targets NAMESPACE spotify::
        DESTINATION ${SPOTIFY_CMAKE_DIR})
configure_package_config_file(cmake/spotify-sdkConfig.cmake.in
  ${PROJECT_BINARY_DIR}/spotify-sdkConfig.cmake INSTALL_DESTINATION ${SPOTIFY_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/spotify-sdkConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/spotify-sdkConfig.cmake
              ${PROJECT_BINARY_DIR}/spotify-sdkConfigVersion.cmake
        DESTINATION ${SPOTIFY_CMAKE_DIR})

# The .pc file finds the prefix relative to itself, so an installed tree can
# be moved (and `cmake --install --prefix` elsewhere works).
file(RELATIVE_PATH SPOTIFY_PC_TO_PREFIX
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/spotify-sdk.pc.in ${PROJECT_BINARY_DIR}/spotify-sdk.pc @ONLY)
# The build tree's own (pkg-config's -uninstalled convention; not installed).
configure_file(cmake/spotify-sdk-uninstalled.pc.in ${PROJECT_BINARY_DIR}/spotify-sdk-uninstalled.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/spotify-sdk.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# spotify-sdk-redis: its own export set (found as COMPONENTS redis), .pc file
# and libraries. The core's package works without it.
if(SPOTIFY_BUILD_REDIS)
  install(TARGETS spotify-sdk-redis spotify-sdk-redis-static EXPORT spotify-sdk-redis-targets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(EXPORT spotify-sdk-redis-targets NAMESPACE spotify::
          DESTINATION ${SPOTIFY_CMAKE_DIR})
  configure_file(cmake/spotify-sdk-redis.pc.in ${PROJECT_BINARY_DIR}/spotify-sdk-redis.pc @ONLY)
  configure_file(cmake/spotify-sdk-redis-uninstalled.pc.in
                 ${PROJECT_BINARY_DIR}/spotify-sdk-redis-uninstalled.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/spotify-sdk-redis.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
