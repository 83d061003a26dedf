#pragma once

// The soak run's figures: plain text for people, or one JSON document.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "bench/soak/run.h"

namespace leadtime::bench::soak {

void print_report(const SoakResult& result, const std::string& command, std::ostream& out);
nlohmann::json report_json(const SoakResult& result, const std::string& command);

}  // namespace leadtime::bench::soak
