#pragma once

#include <QMetaType>

#include <client-core/connection.h>
#include <client-core/course_client.h>
#include <client-core/exercise_client.h>
#include <client-core/inbox_client.h>
#include <client-core/range_client.h>
#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>
#include <orchestrator/common/expected.h>

// client-core's value types travel in Qt signals (and QSignalSpy, QVariant).
Q_DECLARE_METATYPE(cyrange::Error)
Q_DECLARE_METATYPE(cyrange::client::ConnectivityState)
Q_DECLARE_METATYPE(cyrange::client::StreamEnd)
Q_DECLARE_METATYPE(cyrange::client::ScoringReply)
Q_DECLARE_METATYPE(cyrange::client::ScoreboardMessage)
Q_DECLARE_METATYPE(cyrange::client::TimelineListing)
Q_DECLARE_METATYPE(cyrange::client::TimelineChange)
Q_DECLARE_METATYPE(cyrange::client::TimelineClock)
Q_DECLARE_METATYPE(cyrange::client::InboxEntry)
Q_DECLARE_METATYPE(cyrange::client::ExerciseSummary)
Q_DECLARE_METATYPE(std::vector<cyrange::client::ExerciseSummary>)
Q_DECLARE_METATYPE(std::vector<cyrange::client::CheckRun>)
Q_DECLARE_METATYPE(cyrange::client::ProvisioningStep)
Q_DECLARE_METATYPE(std::vector<cyrange::client::TeamRangeView>)
Q_DECLARE_METATYPE(cyrange::client::TerminalInfo)
Q_DECLARE_METATYPE(cyrange::client::LocalizedText)
Q_DECLARE_METATYPE(cyrange::client::CourseRunInfo)

namespace cyrange::qt {

/// Registers the types above with Qt's meta-type system; Session does it once.
void register_metatypes();

}  // namespace cyrange::qt
