// `mpirun -np 2 leadtime-batch sweep` (batch/sweep_mpi.h): the test starts
// mpirun itself and compares the file rank 0 wrote with a one-process run.
#include <doctest/doctest.h>

#include <cstdlib>

#include "files/files.h"
#include "tests/batch/sweep_helpers.h"

namespace lt = leadtime;

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

TEST_CASE("mpirun -np 2 writes the same rows as one process") {
  lt::testing::TempDir dir;
  const std::string spec = lt::testing::write_file(dir.file("small.lua"), lt::testing::kSmallSpec);
  const auto one = lt::testing::run_sweep_quietly(lt::testing::sweep_options(spec, dir.file("one.db"), 1));
  REQUIRE_MESSAGE(one.code == 0, one.err);
  const std::string log = dir.file("mpirun.log");
  // CI runs as root in a container; Open MPI's own allocations are not ours
  // to leak-check.
  const std::string command = quoted(LEADTIME_MPIEXEC) +
                              " --allow-run-as-root --oversubscribe -np 2 -x ASAN_OPTIONS=detect_leaks=0 " +
                              quoted(LEADTIME_BATCH_EXE) + " sweep " + quoted(spec) + " --out " +
                              quoted(dir.file("mpi.db")) + " --no-progress --no-summary > " + quoted(log) + " 2>&1";
  const int status = std::system(command.c_str());
  const std::string output = lt::files::read_file(log).value_or("");
  REQUIRE_MESSAGE(status == 0, command << "\n" << output);
  CHECK(output.find("12 runs played (0 already in") != std::string::npos);
  CHECK(output.find("on 2 ranks") != std::string::npos);
  CHECK(lt::testing::result_rows(dir.file("mpi.db")) == lt::testing::result_rows(dir.file("one.db")));
}
