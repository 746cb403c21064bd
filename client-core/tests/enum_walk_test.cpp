// Every value of every wire enum maps to a distinct client enum value, so the proto
// and the client cannot drift apart silently: a new wire value fails here until the
// client learns it.
#include <set>

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <client-core/internal/enums.h>
#include <orchestrator/scoring/ledger.h>

namespace cyrange::client {
namespace {

// Walks `descriptor`'s values through `convert`: UNSPECIFIED maps to `unknown`, every
// other value to a distinct known value.
template <class Wire, class Client, class Convert>
void walk(const google::protobuf::EnumDescriptor* descriptor, Client unknown, Convert convert) {
  std::set<Client> seen;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto* value = descriptor->value(i);
    const Client mapped = convert(static_cast<Wire>(value->number()));
    if (value->number() == 0) {
      EXPECT_EQ(mapped, unknown) << value->full_name();
      continue;
    }
    EXPECT_NE(mapped, unknown) << value->full_name() << " has no client value";
    EXPECT_TRUE(seen.insert(mapped).second) << value->full_name() << " maps onto another value";
  }
}

TEST(EnumWalk, EveryWireValueHasItsOwnClientValue) {
  walk<v1::Verdict>(v1::Verdict_descriptor(), Verdict::unknown,
                    [](v1::Verdict v) { return from_proto(v); });
  walk<v1::BoardMode>(v1::BoardMode_descriptor(), BoardMode::unknown,
                      [](v1::BoardMode v) { return from_proto(v); });
  walk<v1::ObjectiveStatus>(v1::ObjectiveStatus_descriptor(), ObjectiveStatus::unknown,
                            [](v1::ObjectiveStatus v) { return from_proto(v); });
  walk<v1::AnswerType>(v1::AnswerType_descriptor(), AnswerType::unknown,
                       [](v1::AnswerType v) { return from_proto(v); });
  walk<v1::RubricGrader>(v1::RubricGrader_descriptor(), RubricGrader::unknown,
                         [](v1::RubricGrader v) { return from_proto(v); });
  walk<v1::ExecutionState>(v1::ExecutionState_descriptor(), ItemState::unknown,
                           [](v1::ExecutionState v) { return from_proto(v); });
  walk<v1::ItemKind>(v1::ItemKind_descriptor(), ItemKind::unknown,
                     [](v1::ItemKind v) { return from_proto(v); });
}

TEST(EnumWalk, BoardModesRoundTrip) {
  for (int i = 0; i < v1::BoardMode_descriptor()->value_count(); ++i) {
    const auto wire = static_cast<v1::BoardMode>(v1::BoardMode_descriptor()->value(i)->number());
    EXPECT_EQ(to_proto(from_proto(wire)), wire);
    const BoardMode mode = from_proto(wire);
    if (mode != BoardMode::unknown) {
      EXPECT_EQ(parse_board_mode(to_string(mode)), mode);
    }
  }
}

TEST(EnumWalk, EveryLedgerKindTheServerWritesIsKnownToTheClient) {
  using scoring::EntryKind;
  std::set<client::EntryKind> seen;
  for (EntryKind kind :
       {EntryKind::solve, EntryKind::partial, EntryKind::wrong_answer, EntryKind::hint,
        EntryKind::solution_reveal, EntryKind::adjustment, EntryKind::service_penalty}) {
    const auto name = scoring::to_string(kind);
    const client::EntryKind mapped = parse_entry_kind(name);
    EXPECT_NE(mapped, client::EntryKind::other) << name;
    EXPECT_EQ(to_string(mapped), name);
    EXPECT_TRUE(seen.insert(mapped).second) << name;
  }
}

}  // namespace
}  // namespace cyrange::client
