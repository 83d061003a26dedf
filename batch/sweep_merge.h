#pragma once

// `leadtime-batch merge --out all.db shard*.db`: combines the result files of
// one sweep's shards into one file with the same tables and rows a single
// process would have written. Files of different sweeps (their fingerprints
// differ) are refused; a run found in two files is kept once (rows depend only
// on the run index, so both copies are the same).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadtime::sweep {

struct MergeReport {
  std::uint64_t runs = 0;   // in the merged file
  std::uint64_t total = 0;  // in the sweep
};

std::optional<std::string> merge_results(const std::string& out, const std::vector<std::string>& inputs,
                                         MergeReport& report);

}  // namespace leadtime::sweep
