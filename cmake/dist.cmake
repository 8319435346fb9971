# What `cmake --install` and CPack carry besides the two programs: man pages
# made from the programs' own --help by help2man, shell completion made by
# `yaksok completion`, and yaksokd's systemd unit, user and example
# configuration.  Two Debian packages: yaksok (the client) and yaksokd.
include(GNUInstallDirs)

find_program(HELP2MAN help2man REQUIRED)
set(DIST_DIR ${CMAKE_BINARY_DIR}/dist)
file(MAKE_DIRECTORY ${DIST_DIR})
# The programs run at build time: a sanitizer build must not fail the build
# on what it would report at exit.
set(RUN_BUILT ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0)

add_custom_command(OUTPUT ${DIST_DIR}/yaksok.1
  COMMAND ${RUN_BUILT} ${HELP2MAN} --no-info --section=1 --name "the command-line client of yaksokd"
          --output=${DIST_DIR}/yaksok.1 $<TARGET_FILE:yaksok>
  DEPENDS yaksok COMMENT "yaksok.1 from yaksok --help" VERBATIM)
add_custom_command(OUTPUT ${DIST_DIR}/yaksokd.8
  COMMAND ${RUN_BUILT} ${HELP2MAN} --no-info --section=8 --name "the yaksok daemon: pledges over TCP, kept in PostgreSQL"
          --output=${DIST_DIR}/yaksokd.8 $<TARGET_FILE:yaksokd>
  DEPENDS yaksokd COMMENT "yaksokd.8 from yaksokd --help" VERBATIM)
add_custom_command(OUTPUT ${DIST_DIR}/yaksok.bash ${DIST_DIR}/_yaksok
  COMMAND ${RUN_BUILT} $<TARGET_FILE:yaksok> completion bash > ${DIST_DIR}/yaksok.bash
  COMMAND ${RUN_BUILT} $<TARGET_FILE:yaksok> completion zsh > ${DIST_DIR}/_yaksok
  DEPENDS yaksok COMMENT "shell completion from yaksok's command table")
add_custom_target(dist ALL DEPENDS ${DIST_DIR}/yaksok.1 ${DIST_DIR}/yaksokd.8 ${DIST_DIR}/yaksok.bash ${DIST_DIR}/_yaksok)


install(TARGETS yaksok RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT yaksok)
install(FILES ${DIST_DIR}/yaksok.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT yaksok)
install(FILES ${DIST_DIR}/yaksok.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME yaksok COMPONENT yaksok)
install(FILES ${DIST_DIR}/_yaksok DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT yaksok)

install(TARGETS yaksokd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR} COMPONENT yaksokd)
install(FILES ${DIST_DIR}/yaksokd.8 DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT yaksokd)
# The unit names the daemon by its installed path: made at install time, when
# the prefix is known (a package's /usr, or --prefix).
install(CODE "
  set(SBINDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SBINDIR}\")
  set(DOCDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/doc/yaksokd\")
  configure_file(\"${CMAKE_SOURCE_DIR}/server/dist/yaksokd.service.in\" \"${DIST_DIR}/unit/yaksokd.service\" @ONLY)
" COMPONENT yaksokd)
install(FILES ${DIST_DIR}/unit/yaksokd.service DESTINATION lib/systemd/system COMPONENT yaksokd)
install(FILES ${CMAKE_SOURCE_DIR}/server/dist/yaksokd.sysusers DESTINATION lib/sysusers.d RENAME yaksokd.conf
        COMPONENT yaksokd)
install(FILES ${CMAKE_SOURCE_DIR}/server/dist/yaksokd.conf.example DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/yaksokd
        COMPONENT yaksokd)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME yaksok)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "yaksok maintainers <maintainers@yaksok.invalid>")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL yaksok yaksokd)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_YAKSOK_PACKAGE_NAME yaksok)
set(CPACK_COMPONENT_YAKSOK_DESCRIPTION "command-line client of yaksokd\n Department staff, coordinators, evaluators, approvers and operators track the mayor's pledges with it.")
set(CPACK_DEBIAN_YAKSOKD_PACKAGE_NAME yaksokd)
set(CPACK_DEBIAN_YAKSOKD_PACKAGE_SECTION net)
# its user made and systemd told of the unit on install (not started)
set(CPACK_DEBIAN_YAKSOKD_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/server/dist/postinst)
set(CPACK_DEBIAN_YAKSOKD_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_COMPONENT_YAKSOKD_DESCRIPTION "daemon tracking a city's pledges (약속)\n One libuv event loop serving the yaksok protocol over TCP, with PostgreSQL as its store.")
include(CPack)
