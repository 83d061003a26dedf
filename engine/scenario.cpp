#include "engine/scenario.h"

#include "engine/events.h"
#include "engine/metrics.h"

namespace leadtime {

void bind_lookups(Scenario& scenario) {
  ScenarioLookups& out = scenario.lookups;
  out.objective_metrics.assign(scenario.objectives.size(), {});
  for (std::size_t i = 0; i < scenario.objectives.size(); ++i) {
    for (const Objective& o : scenario.objectives[i]) out.objective_metrics[i].push_back(find_metric(o.metric));
  }
  out.events.assign(scenario.events.size(), {});
  for (std::size_t i = 0; i < scenario.events.size(); ++i) {
    const ScenarioEvent& event = scenario.events[i];
    for (const Effect& e : event.effects)
      out.events[i].effects.push_back(bind_field(scenario.initial, e.target, e.field));
    for (const Condition& c : event.conditions) {
      out.events[i].conditions.push_back(bind_field(scenario.initial, c.target, c.field));
    }
  }
}

}  // namespace leadtime
