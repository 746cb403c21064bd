#pragma once

#include <cyrange/v1/exercise.pb.h>
#include <cyrange/v1/inbox.pb.h>
#include <cyrange/v1/scoring.pb.h>
#include <cyrange/v1/timeline.pb.h>

#include <client-core/exercise_client.h>
#include <client-core/inbox_client.h>
#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>

namespace cyrange::client {

/// Wire enums to client enums, one function per enum; a value the client does not know
/// (a newer server) becomes `unknown`. Tests walk every wire value through these.
Verdict from_proto(v1::Verdict verdict);
BoardMode from_proto(v1::BoardMode mode);
v1::BoardMode to_proto(BoardMode mode);
ObjectiveStatus from_proto(v1::ObjectiveStatus status);
AnswerType from_proto(v1::AnswerType type);
RubricGrader from_proto(v1::RubricGrader grader);
ItemState from_proto(v1::ExecutionState state);
ItemKind from_proto(v1::ItemKind kind);

/// The API's bilingual text as the client's.
LocalizedText text_from(const v1::LocalizedText& text);

}  // namespace cyrange::client
