#include <gtest/gtest.h>

#include <orchestrator/exercise/exercise_cli.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/recording_hypervisor.h>

namespace cyrange::exercise {
namespace {

TEST(OwnerOf, SplitsExerciseAndTeam) {
  EXPECT_EQ(owner_of("cyr-ex1-t2-web"), std::make_pair(std::string("ex1"), std::string("t2")));
  EXPECT_EQ(owner_of("cyr-ex1-t2-net-dmz"), std::make_pair(std::string("ex1"), std::string("t2")));
  EXPECT_EQ(owner_of("cyr-ex1"), std::make_pair(std::string(), std::string()));
  EXPECT_EQ(owner_of("default").first, "");
}

TEST(ExerciseId, DerivedFromScenarioId) {
  EXPECT_EQ(exercise_id_from("targeted-email"), "targeted_email");
  EXPECT_EQ(exercise_id_from("ABC"), "abc");
  EXPECT_EQ(exercise_id_from(std::string(40, 'x')).size(), 24u);
  EXPECT_EQ(exercise_id_from(""), "exercise");
}

TEST(SpecJson, RoundTrips) {
  range::RangeSpec spec{"ex1", "t1", {{"lan", "10.0.0.0/24"}}, {}};
  range::HostSpec h;
  h.name = "ws";
  h.role = "workstation";
  h.image_profile = "tiny";
  h.services = {"http"};
  h.nics = {{"lan", "10.0.0.5/24", "10.0.0.1"}};
  h.trainee_terminal = true;
  h.memory_mib = 192;
  h.config = {{"k", "v"}};
  spec.hosts.push_back(h);
  auto back = spec_from_json(spec_to_json(spec));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->team, "t1");
  ASSERT_EQ(back->hosts.size(), 1u);
  EXPECT_TRUE(back->hosts[0].trainee_terminal);
  EXPECT_EQ(back->hosts[0].memory_mib, 192);
  EXPECT_EQ(back->hosts[0].nics[0].gateway, "10.0.0.1");
  EXPECT_EQ(back->hosts[0].config.at("k"), "v");
  EXPECT_FALSE(spec_from_json("{\"exercise\":1}").has_value());
}

}  // namespace
}  // namespace cyrange::exercise
