#include "engine/state.h"

namespace leadtime {

int market_index(Bloc b) {
  for (int i = 0; i < kMarketCount; ++i) {
    if (kMarketBlocs[static_cast<std::size_t>(i)] == b) return i;
  }
  return -1;
}

int stack_index(Bloc b) {
  for (int i = 0; i < kStackCount; ++i) {
    if (kStackBlocs[static_cast<std::size_t>(i)] == b) return i;
  }
  return -1;
}

int State::find_actor(std::string_view id) const {
  for (std::size_t i = 0; i < actors.size(); ++i) {
    if (actors[i].id == id) return static_cast<int>(i);
  }
  return kNoActor;
}

}  // namespace leadtime
