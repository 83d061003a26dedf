# Asio as Leadtime uses it: Boost.Asio (with Boost.Beast beside it), header
# only, from Debian's libboost1.81-dev. protocol/asio.h names it `asio::`.
find_package(Boost 1.81 REQUIRED)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Asio REQUIRED_VARS Boost_INCLUDE_DIRS)
if(Asio_FOUND AND NOT TARGET Asio::Asio)
  add_library(Asio::Asio INTERFACE IMPORTED)
  # BOOST_ASIO_DISABLE_STD_ALIGNED_ALLOC: Asio decides whether to allocate
  # with aligned_alloc/free or operator new/delete from whether a libstdc++
  # header came before its own, so translation units that include it in
  # another order disagree, and memory allocated in one was freed by the
  # other (AddressSanitizer: alloc-dealloc-mismatch, found by the server
  # fuzz target). One choice for every unit.
  set_target_properties(
    Asio::Asio PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${Boost_INCLUDE_DIRS}"
                          INTERFACE_COMPILE_DEFINITIONS "BOOST_ASIO_NO_DEPRECATED;BOOST_ASIO_DISABLE_STD_ALIGNED_ALLOC")
  target_link_libraries(Asio::Asio INTERFACE Threads::Threads)
endif()
