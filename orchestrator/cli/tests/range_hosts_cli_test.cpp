// `cyrange range --uri A --uri B ...` run as a child process on libvirt test-driver hosts
// (node XML files with their own CPUs, memory and networks) and a throw-away PostgreSQL
// database: capacity-aware placement of `range up --plan`, the refusal when no host has room
// (before anything is built or recorded), and status and down reaching every recorded host.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <orchestrator/cli/tests/cli_process.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/range/tests/test_spec.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::exercise {
namespace {

using cli::testing::Outcome;

// `cyrange ARGS` from the source tree, stdout and stderr together.
Outcome cyrange(const std::string& args) {
  return cli::testing::run_cyrange(args, CYRANGE_SOURCE_DIR, /*with_stderr=*/true);
}

// Whether one line of `text` starts with `start` and contains `also`.
bool has_line(const std::string& text, const std::string& start, const std::string& also) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(start, 0) == 0 && line.find(also) != std::string::npos) return true;
  return false;
}

// A test-driver host of one CPU and `mib` MiB (1024 of them reserved), holding `networks`.
std::string node_xml(int mib, const std::vector<std::string>& networks) {
  std::string xml =
      "<node><cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
      "<cores>1</cores><threads>1</threads><active>1</active></cpu><memory>" +
      std::to_string(mib * 1024) + "</memory>";
  for (std::size_t i = 0; i < networks.size(); ++i)
    xml += "<network><name>" + networks[i] + "</name><bridge name='cyrtst" + std::to_string(i) +
           "'/></network>";
  return xml + "</node>";
}

class RangeHostsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-rangehosts-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // Free guest memory (1024 MiB reserved): a 512 MiB, b 896 MiB; quick-check needs 384 a team.
    // Each already holds a network of a team recorded there (see StatusAndDown...).
    std::ofstream(dir_ / "a.xml") << node_xml(1536, {"cyr-clihosts-t2-office"});
    std::ofstream(dir_ / "b.xml") << node_xml(1920, {"cyr-clihosts-t1-office"});
    a_ = "test://" + (dir_ / "a.xml").string();
    b_ = "test://" + (dir_ / "b.xml").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `cyrange range --db ... --uri a --uri b SUBCOMMAND`.
  Outcome range(const std::string& subcommand) {
    return cyrange("range --db '" + db_.uri() + "' --uri '" + a_ + "' --uri '" + b_ + "' " +
                   subcommand);
  }
  Outcome up(const std::string& exercise, int teams, bool plan) {
    return range("up scenarios/quick-check/scenario.yaml --exercise " + exercise + " --teams " +
                 std::to_string(teams) + (plan ? " --plan" : ""));
  }

  store::testing::TempDatabase db_;
  std::filesystem::path dir_;
  std::string a_, b_;
};

TEST_F(RangeHostsCli, PlanPutsEachTeamOnTheRoomiestHostAndRecordsNothing) {
  const Outcome plan = up("clihosts", 3, true);
  ASSERT_EQ(plan.status, 0) << plan.out;
  // b (896 free) over a (512); then a tie on memory that a wins on vCPUs; then b again.
  EXPECT_TRUE(has_line(plan.out, "t1 ", b_)) << plan.out;
  EXPECT_TRUE(has_line(plan.out, "t2 ", a_)) << plan.out;
  EXPECT_TRUE(has_line(plan.out, "t3 ", b_)) << plan.out;
  EXPECT_TRUE(has_line(plan.out, "  hypervisor host " + b_, "in use 6 vCPUs, 768 MiB, 6 guests"))
      << plan.out;
  EXPECT_NE(plan.out.find("Nothing was built (--plan)"), std::string::npos) << plan.out;
  const Outcome status = range("status");
  ASSERT_EQ(status.status, 0) << status.out;
  EXPECT_NE(status.out.find("0 live exercise(s)"), std::string::npos) << status.out;
}

TEST_F(RangeHostsCli, UpRefusesBeforeBuildingWhenNoHostHasRoom) {
  const Outcome up4 = up("clihosts", 4, false);
  EXPECT_EQ(up4.status, 1) << up4.out;
  EXPECT_NE(up4.out.find("No hypervisor host has room for team 't4' of exercise 'clihosts': it "
                         "needs 3 vCPUs, 384 MiB, 3 guests"),
            std::string::npos)
      << up4.out;
  // Every host's free capacity after t1..t3: b holds two teams, a one.
  EXPECT_NE(up4.out.find(a_ + " 13 vCPUs, 128 MiB, 13 guests; " + b_ + " 10 vCPUs, 128 MiB"),
            std::string::npos)
      << up4.out;
  EXPECT_EQ(up4.out.find("exercise / 演習:"), std::string::npos) << "nothing may be built";
  const Outcome status = range("status");
  EXPECT_NE(status.out.find("0 live exercise(s)"), std::string::npos) << status.out;
}

TEST_F(RangeHostsCli, StatusAndDownReachEveryRecordedHostAndPlacementCountsThem) {
  auto registry = RangeRegistry::open(db_.uri());
  ASSERT_TRUE(registry) << registry.error().message;
  ASSERT_TRUE((*registry)->begin_exercise("clihosts", "quick-check", "hash", {"t1", "t2"}));
  ASSERT_TRUE((*registry)->save_team_spec(range::testing::three_host_spec("clihosts", "t1"), b_));
  ASSERT_TRUE((*registry)->save_team_spec(range::testing::three_host_spec("clihosts", "t2"), a_));

  // The recorded ranges count: b has 512 MiB left, a 128, so one more team fits, on b.
  const Outcome plan = up("another", 1, true);
  ASSERT_EQ(plan.status, 0) << plan.out;
  EXPECT_TRUE(has_line(plan.out, "t1 ", b_)) << plan.out;
  EXPECT_EQ(up("another", 2, true).status, 1);

  // Only test:///default is listed: the teams' hosts come from PostgreSQL.
  const std::string elsewhere = "range --db '" + db_.uri() + "' --uri test:///default ";
  const Outcome status = cyrange(elsewhere + "status --exercise clihosts");
  ASSERT_EQ(status.status, 0) << status.out;
  EXPECT_TRUE(has_line(status.out, "t1 ", b_)) << status.out;
  EXPECT_TRUE(has_line(status.out, "t2 ", a_)) << status.out;
  const std::size_t on_b = status.out.find("host / ホスト " + b_ + ":");
  const std::size_t on_a = status.out.find("host / ホスト " + a_ + ":");
  ASSERT_NE(on_b, std::string::npos) << status.out;
  ASSERT_NE(on_a, std::string::npos) << status.out;
  EXPECT_NE(status.out.find("cyr-clihosts-t1-office", on_b), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("cyr-clihosts-t2-office", on_a), std::string::npos) << status.out;
  const Outcome list = cyrange(elsewhere + "status");
  EXPECT_NE(list.out.find("t1 (" + b_ + "),t2 (" + a_ + ")"), std::string::npos) << list.out;

  const Outcome down = cyrange(elsewhere + "down --exercise clihosts");
  ASSERT_EQ(down.status, 0) << down.out;
  std::size_t removed = 0;
  for (auto at = down.out.find("Removed every object"); at != std::string::npos;
       at = down.out.find("Removed every object", at + 1))
    ++removed;
  EXPECT_EQ(removed, 3u) << "test:///default, a and b: " << down.out;
  EXPECT_NE(down.out.find("Exercise recorded as ended"), std::string::npos) << down.out;
  EXPECT_NE(cyrange(elsewhere + "status").out.find("0 live exercise(s)"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::exercise
