#pragma once

// The name of each visibility as scenario files, bots, JSON output and
// reports spell it: one spelling for every front end.
#include "engine/state.h"

namespace leadtime {

constexpr const char* visibility_name(Visibility v) {
  switch (v) {
    case Visibility::Public:
      return "public";
    case Visibility::Private:
      return "private";
    case Visibility::Facilitator:
      return "facilitator";
  }
  return "public";
}

}  // namespace leadtime
