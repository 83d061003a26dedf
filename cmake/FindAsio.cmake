# Standalone Asio is header-only and Debian ships no CMake config for it.
find_path(ASIO_INCLUDE_DIR asio.hpp)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Asio REQUIRED_VARS ASIO_INCLUDE_DIR)
if(Asio_FOUND AND NOT TARGET Asio::Asio)
  add_library(Asio::Asio INTERFACE IMPORTED)
  # ASIO_DISABLE_STD_ALIGNED_ALLOC: Asio decides whether to allocate with
  # aligned_alloc/free or operator new/delete from whether a libstdc++ header
  # came before <asio.hpp>, so translation units that include it in another
  # order disagree, and memory allocated in one was freed by the other
  # (AddressSanitizer: alloc-dealloc-mismatch, found by the server fuzz
  # target). One choice for every unit.
  set_target_properties(
    Asio::Asio PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${ASIO_INCLUDE_DIR}"
                          INTERFACE_COMPILE_DEFINITIONS "ASIO_STANDALONE;ASIO_NO_DEPRECATED;ASIO_DISABLE_STD_ALIGNED_ALLOC")
  target_link_libraries(Asio::Asio INTERFACE Threads::Threads)
endif()
