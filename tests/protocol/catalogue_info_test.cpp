// The action catalogue on the wire (issue #17, item 1): every action of the
// engine's catalogue, who may use it in a scenario, and its parameters with
// type, range, unit, default and help, read back as a client reads them.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/lua/scenario_loader.h"
#include "protocol/catalogue_info.h"
#include "protocol/convert.h"
#include "tests/protocol/helpers.h"

using namespace leadtime;
using namespace leadtime::protocol;
using namespace leadtime::protocoltest;

namespace {

const Scenario& default_scenario() {
  static const Scenario s = [] {
    auto loaded = load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::move(*loaded.scenario);
  }();
  return s;
}

const ActionDetails& action(const std::vector<ActionDetails>& all, std::string_view name) {
  const auto it = std::find_if(all.begin(), all.end(), [&](const ActionDetails& a) { return a.name == name; });
  REQUIRE_MESSAGE(it != all.end(), name);
  return *it;
}

}  // namespace

TEST_CASE("catalogue on the wire: every action, its seats and parameters survive the trip as sent") {
  const State& state = default_scenario().initial;
  flatbuffers::FlatBufferBuilder fbb;
  const auto frame = frame_message(fbb, 9, build_catalogue(fbb, &state, "2028"));
  const auto payload = payload_of(frame);
  const auto verified = verify_envelope(payload);
  REQUIRE(verified);
  CHECK(verified.envelope->request_id() == 9);
  const auto* msg = verified.envelope->message_as_Catalogue();
  REQUIRE(msg != nullptr);
  CHECK(msg->scenario()->str() == "2028");
  const std::vector<ActionDetails> read = catalogue_from_wire(*msg);
  CHECK(read == describe_catalogue(&state));
  REQUIRE(read.size() == catalogue().size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    CHECK(read[i].name == catalogue()[i].name);
    CHECK(read[i].params.size() == catalogue()[i].params.size());
  }
}

TEST_CASE("catalogue on the wire: who may use an action is said by seat, kind and bloc") {
  const std::vector<ActionDetails> all = describe_catalogue(&default_scenario().initial);
  const ActionDetails& tier = action(all, "set_export_tier");
  CHECK(tier.seats == std::vector<std::string>{"us"});
  CHECK(tier.bloc == "US");
  CHECK(tier.kinds == std::vector<ActorKind>{ActorKind::Government});
  CHECK(action(all, "set_chip_budget").seats == std::vector<std::string>{"us_lab", "cn_lab", "eu_lab"});
  CHECK(action(all, "set_intelligence").seats.size() == default_scenario().initial.actors.size());
  CHECK(action(all, "set_intelligence").kinds.size() == 3);
  // Without a scenario nobody is named, but the rules still are.
  const std::vector<ActionDetails> bare = describe_catalogue(nullptr);
  CHECK(action(bare, "set_export_tier").seats.empty());
  CHECK(action(bare, "set_export_tier").bloc == "US");
  CHECK(action(bare, "set_distillation").params[0].allowed == "the id of a lab");
}

TEST_CASE("catalogue on the wire: parameters carry type, range, unit, help, default and choices") {
  const std::vector<ActionDetails> all = describe_catalogue(&default_scenario().initial);
  const ParamDetails& tier = action(all, "set_export_tier").params[1];
  CHECK(tier.name == "tier");
  CHECK(tier.type == "integer");
  CHECK(tier.min == 0);
  CHECK(tier.max == 3);
  CHECK(tier.unit == "tier");
  CHECK(tier.help.find("0 ban") != std::string::npos);
  CHECK(tier.allowed == "an integer from 0 to 3");
  // The engine's default policy leaves every destination open.
  REQUIRE(tier.default_value);
  CHECK(*tier.default_value == 3);

  const ParamDetails& target = action(all, "set_export_tier").params[0];
  CHECK(target.type == "bloc");
  CHECK_FALSE(target.default_value);  // it picks a destination, it has no default
  CHECK(target.choices == std::vector<std::string>{"US", "CN", "EU", "SEA", "ROW"});

  const ParamDetails& share = action(all, "set_training_share").params[0];
  CHECK(share.type == "number");
  REQUIRE(share.default_value);
  CHECK(*share.default_value == doctest::Approx(Policy{}.training_share));
  CHECK(*action(all, "set_chip_budget").params[0].default_value == doctest::Approx(Policy{}.chip_spend_share));
  CHECK(*action(all, "set_model_price").params[0].default_value == doctest::Approx(Policy{}.model_price_usd_per_mtok));
  CHECK(*action(all, "set_enforcement").params[0].default_value == 0);
  CHECK(action(all, "set_enforcement").params[0].unit == "$B per quarter");

  const ParamDetails& open = action(all, "set_open_weights").params[0];
  CHECK(open.type == "boolean");
  REQUIRE(open.default_value);
  CHECK(*open.default_value == 0);

  // A vendor's price is unset (0) until ordered, below the allowed 1000: no
  // default is better than a wrong one.
  CHECK_FALSE(action(all, "set_chip_price").params[0].default_value);

  const ParamDetails& lab = action(all, "set_distillation").params[0];
  CHECK(lab.type == "actor");
  CHECK(lab.choices == std::vector<std::string>{"us_lab", "cn_lab", "eu_lab"});
  CHECK(lab.allowed == "one of us_lab, cn_lab, eu_lab");
  CHECK(action(all, "set_distillation").params[1].default_value == 0.0);
  // Every parameter has help, and every number a range.
  for (const ActionDetails& a : all) {
    CHECK_MESSAGE(!a.help.empty(), a.name);
    for (const ParamDetails& p : a.params) {
      const std::string where = a.name + "." + p.name;
      CHECK_MESSAGE(!p.help.empty(), where);
      if (p.type == "number" || p.type == "integer") CHECK_MESSAGE(p.max > p.min, where);
      if (p.default_value) {
        CHECK_MESSAGE(*p.default_value >= (p.type == "boolean" ? 0 : p.min), where);
        CHECK_MESSAGE(*p.default_value <= (p.type == "boolean" ? 1 : p.max), where);
      }
    }
  }
}
