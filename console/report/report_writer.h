#pragma once

#include <string>

#include <QImage>
#include <QString>

#include <client-core/exercise_client.h>
#include <client-core/localized_text.h>
#include <console/app/scenario_catalog.h>
#include <console/models/dashboard_state.h>
#include <orchestrator/common/expected.h>

namespace cyrange::console {

/// What goes into an after-action report.
struct ReportInput {
  const client::ExerciseSummary& exercise;
  const ScenarioCatalog& catalog;
  const DashboardState& state;
  QImage chart;  ///< the score-over-time chart
};

/// The report as HTML, in Japanese and English side by side (headings and texts in
/// both): the run's settings, the final board, solve times per objective, hints,
/// injects against detections (time to detect per team), the scenario's ATT&CK
/// techniques and the score chart (an image resource named "chart.png").
QString report_html(const ReportInput& input);

/// Writes `pdf_path` (PDF, Japanese glyphs embedded, the data attached as JSON) and the
/// same report as HTML beside it (`.html`, chart as `-chart.png`). Files are created
/// 0600: they hold trainees' results.
Status write_report(const ReportInput& input, const QString& pdf_path);

}  // namespace cyrange::console
