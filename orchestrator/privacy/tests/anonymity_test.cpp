// k-anonymisation, generalisation hierarchies, CSV fields and per-export re-keying.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <orchestrator/privacy/anonymity.h>
#include <orchestrator/privacy/export_format.h>

namespace cyrange::privacy {
namespace {

OrganisationAttributes org(std::string type, std::string size, std::string region,
                           std::string block) {
  return {std::move(type), std::move(size), std::move(region), std::move(block)};
}

std::vector<OrganisationAttributes> times(const OrganisationAttributes& a, int n) {
  return std::vector<OrganisationAttributes>(static_cast<std::size_t>(n), a);
}

std::vector<OrganisationAttributes> operator+(std::vector<OrganisationAttributes> a,
                                              const std::vector<OrganisationAttributes>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void expect_k_anonymous(const AnonymityPlan& plan, int k) {
  std::map<AttributeKey, int> groups;
  for (std::size_t i = 0; i < plan.released.size(); ++i) {
    if (plan.kept[i]) ++groups[plan.released[i]];
  }
  for (const auto& [key, n] : groups) {
    EXPECT_GE(n, k) << key[0] << "|" << key[1] << "|" << key[2];
  }
}

const auto kTokyoCity = org("municipality", "1000-4999", "tokyo", "kanto");
const auto kChibaCity = org("municipality", "1000-4999", "chiba", "kanto");
const auto kOsakaPower = org("critical_infrastructure", "5000+", "osaka", "kinki");
const auto kKyotoBank = org("private_company", "300-999", "kyoto", "kinki");

TEST(Generalise, EachAttributeHasThreeLevels) {
  EXPECT_EQ(generalise_type("municipality", 0), "municipality");
  EXPECT_EQ(generalise_type("municipality", 1), "government");
  EXPECT_EQ(generalise_type("private_company", 1), "business");
  EXPECT_EQ(generalise_type("healthcare", 1), "other_sector");
  EXPECT_EQ(generalise_type("healthcare", 2), "*");
  EXPECT_EQ(generalise_size("100-299", 1), "1-299");
  EXPECT_EQ(generalise_size("5000+", 1), "300+");
  EXPECT_EQ(generalise_size("5000+", 2), "*");
  EXPECT_EQ(generalise_region(kTokyoCity, 0), "tokyo");
  EXPECT_EQ(generalise_region(kTokyoCity, 1), "kanto");
  EXPECT_EQ(generalise_region(kTokyoCity, 2), "*");
  const OrganisationAttributes unknown;
  EXPECT_EQ(generalise_type(unknown.type, 1), "unknown");
  EXPECT_EQ(generalise_size(unknown.size_band, 1), "unknown");
  EXPECT_EQ(generalise_region(unknown, 1), "unknown");
  for (const auto& type : organisation_types()) EXPECT_NE(generalise_type(type, 1), type);
}

TEST(KAnonymity, AlreadyAnonymousDataStaysExact) {
  auto plan = plan_k_anonymity(times(kTokyoCity, 5) + times(kOsakaPower, 5), 5, 0);
  EXPECT_EQ(plan.levels.height(), 0);
  EXPECT_EQ(plan.suppressed, 0u);
  EXPECT_EQ(plan.released[0], (AttributeKey{"municipality", "1000-4999", "tokyo"}));
}

TEST(KAnonymity, GeneralisesTheRegionFirstWhenThatSuffices) {
  auto plan = plan_k_anonymity(times(kTokyoCity, 3) + times(kChibaCity, 2), 5, 0);
  EXPECT_EQ(plan.levels.type, 0);
  EXPECT_EQ(plan.levels.size, 0);
  EXPECT_EQ(plan.levels.region, 1);
  EXPECT_EQ(plan.suppressed, 0u);
  EXPECT_EQ(plan.released[4], (AttributeKey{"municipality", "1000-4999", "kanto"}));
  expect_k_anonymous(plan, 5);
}

TEST(KAnonymity, SuppressesWithinTheLimitRatherThanGeneraliseEveryone) {
  const auto people = times(kTokyoCity, 4) + times(kOsakaPower, 4) + times(kKyotoBank, 1);
  auto strict = plan_k_anonymity(people, 4, 0);
  EXPECT_EQ(strict.suppressed, 0u);
  EXPECT_GT(strict.levels.height(), 0);
  expect_k_anonymous(strict, 4);

  auto lenient = plan_k_anonymity(people, 4, 1);
  EXPECT_EQ(lenient.levels.height(), 0);
  EXPECT_EQ(lenient.suppressed, 1u);
  EXPECT_FALSE(lenient.kept[8]);
  EXPECT_TRUE(lenient.within_budget);
  expect_k_anonymous(lenient, 4);
}

TEST(KAnonymity, FewerPeopleThanKAreAllSuppressed) {
  auto plan = plan_k_anonymity(times(kTokyoCity, 2) + times(kKyotoBank, 2), 5, 0);
  EXPECT_EQ(plan.suppressed, 4u);
  EXPECT_FALSE(plan.within_budget);
  for (bool kept : plan.kept) EXPECT_FALSE(kept);
  EXPECT_TRUE(plan_k_anonymity({}, 5, 0).released.empty());
}

TEST(KAnonymity, HoldsOnMixedPopulationsForEveryK) {
  const OrganisationAttributes unknown;
  const auto people = times(kTokyoCity, 7) + times(kChibaCity, 3) + times(kOsakaPower, 2) +
                      times(kKyotoBank, 4) + times(unknown, 3);
  for (int k = 2; k <= 20; ++k) {
    SCOPED_TRACE("k = " + std::to_string(k));
    auto plan = plan_k_anonymity(people, k, people.size() / 10);
    expect_k_anonymous(plan, k);
  }
}

TEST(ExportFormat, CsvFieldsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_FALSE(parse_export_format("xml"));
  EXPECT_EQ(*parse_export_format("csv"), ExportFormat::csv);
}

TEST(Rekeyer, IsStableWithinAnExportAndDiffersBetweenExports) {
  auto first = Rekeyer::create();
  auto second = Rekeyer::create();
  ASSERT_TRUE(first && second);
  const std::string a = first->trainee("p-0123456789abcdef0123");
  EXPECT_EQ(a, first->trainee("p-0123456789abcdef0123"));
  EXPECT_NE(a, first->trainee("p-0123456789abcdef0124"));
  EXPECT_NE(a, second->trainee("p-0123456789abcdef0123"));
  EXPECT_EQ(a.size(), 22u);
  EXPECT_EQ(a.rfind("r-", 0), 0u);
  EXPECT_EQ(first->team(7).rfind("t-", 0), 0u);
  EXPECT_NE(first->team(7), second->team(7));
  // Domain separation: a team id and a pseudonym with the same text map apart.
  EXPECT_NE(first->trainee("7").substr(2, 12), first->team(7).substr(2));
}

}  // namespace
}  // namespace cyrange::privacy
