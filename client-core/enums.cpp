#include <client-core/internal/enums.h>

namespace cyrange::client {

Verdict from_proto(v1::Verdict verdict) {
  switch (verdict) {
    case v1::VERDICT_CORRECT:
      return Verdict::correct;
    case v1::VERDICT_PART_CORRECT:
      return Verdict::part_correct;
    case v1::VERDICT_WRONG:
      return Verdict::wrong;
    case v1::VERDICT_ALREADY_SOLVED:
      return Verdict::already_solved;
    case v1::VERDICT_ALREADY_GIVEN:
      return Verdict::already_given;
    case v1::VERDICT_RECORDED:
      return Verdict::recorded;
    default:
      return Verdict::unknown;
  }
}

BoardMode from_proto(v1::BoardMode mode) {
  switch (mode) {
    case v1::BOARD_MODE_LIVE:
      return BoardMode::live;
    case v1::BOARD_MODE_FROZEN:
      return BoardMode::frozen;
    case v1::BOARD_MODE_HIDDEN:
      return BoardMode::hidden;
    default:
      return BoardMode::unknown;
  }
}

v1::BoardMode to_proto(BoardMode mode) {
  switch (mode) {
    case BoardMode::live:
      return v1::BOARD_MODE_LIVE;
    case BoardMode::frozen:
      return v1::BOARD_MODE_FROZEN;
    case BoardMode::hidden:
      return v1::BOARD_MODE_HIDDEN;
    case BoardMode::unknown:
      break;
  }
  return v1::BOARD_MODE_UNSPECIFIED;
}

ObjectiveStatus from_proto(v1::ObjectiveStatus status) {
  switch (status) {
    case v1::OBJECTIVE_STATUS_OPEN:
      return ObjectiveStatus::open;
    case v1::OBJECTIVE_STATUS_PARTIAL:
      return ObjectiveStatus::partial;
    case v1::OBJECTIVE_STATUS_SOLVED:
      return ObjectiveStatus::solved;
    default:
      return ObjectiveStatus::unknown;
  }
}

AnswerType from_proto(v1::AnswerType type) {
  switch (type) {
    case v1::ANSWER_TYPE_TEXT:
      return AnswerType::text;
    case v1::ANSWER_TYPE_NUMBER:
      return AnswerType::number;
    case v1::ANSWER_TYPE_CHECK_ONLY:
      return AnswerType::check_only;
    case v1::ANSWER_TYPE_REPORT_RUBRIC:
      return AnswerType::report_rubric;
    default:
      return AnswerType::unknown;
  }
}

RubricGrader from_proto(v1::RubricGrader grader) {
  switch (grader) {
    case v1::RUBRIC_GRADER_INSTRUCTOR:
      return RubricGrader::instructor;
    case v1::RUBRIC_GRADER_SELF:
      return RubricGrader::self;
    case v1::RUBRIC_GRADER_REVIEW:
      return RubricGrader::review;
    default:
      return RubricGrader::unknown;
  }
}

ItemState from_proto(v1::ExecutionState state) {
  switch (state) {
    case v1::EXECUTION_STATE_PENDING:
      return ItemState::pending;
    case v1::EXECUTION_STATE_DUE:
      return ItemState::due;
    case v1::EXECUTION_STATE_FIRING:
      return ItemState::firing;
    case v1::EXECUTION_STATE_DONE:
      return ItemState::done;
    case v1::EXECUTION_STATE_FAILED:
      return ItemState::failed;
    case v1::EXECUTION_STATE_SKIPPED:
      return ItemState::skipped;
    default:
      return ItemState::unknown;
  }
}

ItemKind from_proto(v1::ItemKind kind) {
  switch (kind) {
    case v1::ITEM_KIND_MESSAGE:
      return ItemKind::message;
    case v1::ITEM_KIND_STEP:
      return ItemKind::step;
    case v1::ITEM_KIND_OBJECTIVE:
      return ItemKind::objective;
    default:
      return ItemKind::unknown;
  }
}

LocalizedText text_from(const v1::LocalizedText& text) { return {text.ja(), text.en()}; }

}  // namespace cyrange::client
