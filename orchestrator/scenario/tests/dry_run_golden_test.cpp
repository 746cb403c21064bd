// The dry-run timeline of each shipped scenario against a checked-in golden file.
// Update: CYRANGE_UPDATE_GOLDEN=1 ctest --test-dir build -R DryRunGolden; review the diff.
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/common/testing/golden.h>
#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/tests/library.h>

namespace cyrange::scenario {
namespace {

// The demo's clock speed, so that wall-clock times differ from exercise times.
constexpr double kSpeed = 120;

std::string plan_of(const std::string& name) {
  return format_plan(plan_timeline(testing::shipped(name)), kSpeed);
}

std::filesystem::path golden(const std::string& name) {
  return std::filesystem::path(CYRANGE_SOURCE_DIR) / "orchestrator/scenario/tests/golden" / name;
}

TEST(DryRunGolden, TargetedEmail) {
  cyrange::testing::expect_golden(golden("dry_run_targeted_email.txt"), plan_of("targeted-email"));
}

TEST(DryRunGolden, QuickCheck) {
  cyrange::testing::expect_golden(golden("dry_run_quick_check.txt"), plan_of("quick-check"));
}

TEST(DryRunGolden, WateringHole) {
  cyrange::testing::expect_golden(golden("dry_run_watering_hole.txt"), plan_of("watering-hole"));
}

TEST(DryRunGolden, TargetedEmailBaramaki) {
  cyrange::testing::expect_golden(golden("dry_run_targeted_email_baramaki.txt"),
                                  plan_of("targeted-email-baramaki"));
}

}  // namespace
}  // namespace cyrange::scenario
