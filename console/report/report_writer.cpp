#include <console/report/report_writer.h>

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <optional>

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

namespace cyrange::console {

namespace {

QString esc(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

// "最終順位 / Final board": a heading in both languages.
QString both(const char* ja, const char* en) {
  return QString::fromUtf8(ja) + QStringLiteral(" / ") + QString::fromUtf8(en);
}

QString both(const client::LocalizedText& t) {
  if (t.ja.empty() || t.en.empty() || t.ja == t.en) return esc(t.ja.empty() ? t.en : t.ja);
  return esc(t.ja) + QStringLiteral("<br/><span class='en'>") + esc(t.en) +
         QStringLiteral("</span>");
}

QString clock(std::int64_t ms) {
  const std::int64_t s = ms / 1000;
  return QStringLiteral("%1:%2:%3")
      .arg(s / 3600, 2, 10, QLatin1Char('0'))
      .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
      .arg(s % 60, 2, 10, QLatin1Char('0'));
}

// The exercise time each team first had an inject fired, and first solved anything.
struct Detection {
  std::optional<std::int64_t> first_inject, first_solve;
};

std::map<std::string, Detection> detections(const DashboardState& state) {
  std::map<std::string, Detection> out;
  for (const auto& e : state.feed()) {
    auto& d = out[e.team];
    if (e.kind == FeedKind::inject && !d.first_inject) d.first_inject = e.exercise_time_ms;
    if ((e.kind == FeedKind::solve || e.kind == FeedKind::partial) && !d.first_solve)
      d.first_solve = e.exercise_time_ms;
  }
  return out;
}

QJsonObject report_json(const ReportInput& in) {
  QJsonObject root;
  root["exercise"] = QString::fromStdString(in.exercise.id);
  root["scenario"] = QString::fromStdString(in.exercise.scenario_id);
  QJsonArray teams;
  const auto& state = in.state;
  for (std::size_t row = 0; row < state.teams().size(); ++row) {
    QJsonObject t;
    const auto s = state.summary(row);
    t["team"] = QString::fromStdString(state.teams()[row]);
    t["total"] = s.total;
    t["rank"] = s.rank;
    t["solved"] = s.solved;
    t["hints"] = s.hints;
    t["wrong_answers"] = s.wrong_attempts;
    QJsonObject objectives;
    for (std::size_t col = 0; col < state.objectives().size(); ++col) {
      const Cell& c = state.cell(row, col);
      QJsonObject o;
      o["state"] = QString::fromUtf8(to_string(c.state).data());
      o["points"] = c.points;
      if (c.solved_at_ms) o["solved_at_ms"] = static_cast<qint64>(*c.solved_at_ms);
      objectives[QString::fromStdString(state.objectives()[col].id)] = o;
    }
    t["objectives"] = objectives;
    teams.append(t);
  }
  root["teams"] = teams;
  return root;
}

}  // namespace

QString report_html(const ReportInput& in) {
  const auto& state = in.state;
  QString h;
  h += QStringLiteral(
      "<html><head><meta charset='utf-8'/><style>"
      // IPAGothic is TrueType: Qt's PDF engine embeds it with a complete text map, so the
      // report's Japanese (and digits) can be searched and copied; Noto CJK is CFF.
      "body{font-family:'IPAGothic','IPAPGothic',sans-serif;font-size:10pt}"
      "h1{font-size:16pt} h2{font-size:12pt;margin-top:14pt}"
      "table{border-collapse:collapse} td,th{border:1px solid #888;padding:3px 6px}"
      "th{background:#e8e8e8} .en{color:#444}</style></head><body>");
  h += QStringLiteral("<h1>%1</h1>").arg(both("事後分析レポート", "After-action report"));
  h += QStringLiteral("<p>%1</p>").arg(both(in.exercise.title));

  h += QStringLiteral("<h2>%1</h2><table>").arg(both("演習の設定", "Settings of the run"));
  auto row = [&h](const QString& k, const QString& v) {
    h += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>").arg(k, v);
  };
  row(both("演習", "Exercise"), esc(in.exercise.id));
  row(both("シナリオ", "Scenario"), esc(in.exercise.scenario_id) + QStringLiteral(" (") +
                                        esc(in.exercise.scenario_file) + QStringLiteral(")"));
  row(both("シード", "Seed"), QString::number(in.exercise.seed));
  QStringList team_names;
  for (const auto& t : in.exercise.teams) team_names << esc(t);
  row(both("チーム", "Teams"), team_names.join(QStringLiteral(", ")));
  row(both("出力日時", "Exported"),
      QDateTime::currentDateTime().toString(Qt::ISODate).toHtmlEscaped());
  h += QStringLiteral("</table>");

  h += QStringLiteral(
           "<h2>%1</h2><table><tr><th>%2</th><th>%3</th><th>%4</th><th>%5</th>"
           "<th>%6</th><th>%7</th></tr>")
           .arg(both("最終順位", "Final board"), both("順位", "Rank"), both("チーム", "Team"),
                both("得点", "Points"), both("達成", "Solved"), both("ヒント", "Hints"),
                both("誤答", "Wrong answers"));
  std::vector<std::size_t> order(state.teams().size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return state.total(a) > state.total(b); });
  int rank = 0;
  for (std::size_t r : order) {
    const auto s = state.summary(r);
    h += QStringLiteral(
             "<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>")
             .arg(++rank)
             .arg(esc(state.teams()[r]))
             .arg(s.total)
             .arg(s.solved)
             .arg(s.hints)
             .arg(s.wrong_attempts);
  }
  h += QStringLiteral("</table>");

  h +=
      QStringLiteral("<h2>%1</h2><table><tr><th>%2</th>")
          .arg(both("目標ごとの解答時刻（演習時計）", "Solve times per objective (exercise clock)"),
               both("目標", "Objective"));
  for (const auto& t : state.teams()) h += QStringLiteral("<th>%1</th>").arg(esc(t));
  h += QStringLiteral("</tr>");
  for (std::size_t col = 0; col < state.objectives().size(); ++col) {
    const auto& o = state.objectives()[col];
    const auto* info = in.catalog.objective(o.id);
    h += QStringLiteral("<tr><td>%1<br/>%2</td>")
             .arg(esc(o.id), info ? both(info->question) : both(o.title));
    for (std::size_t r = 0; r < state.teams().size(); ++r) {
      const Cell& c = state.cell(r, col);
      h += QStringLiteral("<td>%1</td>")
               .arg(c.solved_at_ms ? clock(*c.solved_at_ms) : QStringLiteral("-"));
    }
    h += QStringLiteral("</tr>");
  }
  h += QStringLiteral("</table>");

  h += QStringLiteral("<h2>%1</h2><table>").arg(both("使用したヒント", "Hints taken"));
  for (std::size_t r = 0; r < state.teams().size(); ++r) {
    QStringList hints;
    for (std::size_t col = 0; col < state.objectives().size(); ++col) {
      for (const auto& hint : state.cell(r, col).hints)
        hints << esc(state.objectives()[col].id + "/" + hint);
    }
    h += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>")
             .arg(esc(state.teams()[r]),
                  hints.isEmpty() ? both("なし", "none") : hints.join(QStringLiteral(", ")));
  }
  h += QStringLiteral("</table>");

  h += QStringLiteral("<h2>%1</h2><table><tr><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>")
           .arg(both("攻撃と検知", "Injects against detections"), both("チーム", "Team"),
                both("最初の攻撃", "First inject"), both("最初の検知", "First detection"),
                both("検知までの時間", "Time to detect"));
  const auto found = detections(state);
  for (const auto& team : state.teams()) {
    auto it = found.find(team);
    const Detection d = it == found.end() ? Detection{} : it->second;
    const QString ttd = d.first_inject && d.first_solve && *d.first_solve >= *d.first_inject
                            ? clock(*d.first_solve - *d.first_inject)
                            : QStringLiteral("-");
    h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
             .arg(esc(team), d.first_inject ? clock(*d.first_inject) : QStringLiteral("-"),
                  d.first_solve ? clock(*d.first_solve) : QStringLiteral("-"), ttd);
  }
  h += QStringLiteral("</table>");

  h += QStringLiteral("<h2>%1</h2><table><tr><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>")
           .arg(both("シナリオの ATT&amp;CK 手法", "ATT&amp;CK techniques of the scenario"),
                both("手順", "Step"), both("種類", "Type"), both("手法", "Technique"),
                both("対象", "Target"));
  for (const auto& s : in.catalog.attack_steps) {
    if (s.technique.empty()) continue;
    h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
             .arg(esc(s.id), esc(s.type), esc(s.technique), esc(s.target));
  }
  h += QStringLiteral("</table>");

  h += QStringLiteral("<h2>%1</h2><img src='chart.png' width='640'/>")
           .arg(both("得点の推移", "Score over time"));
  h += QStringLiteral("</body></html>");
  return h;
}

Status write_report(const ReportInput& input, const QString& pdf_path) {
  const QString html = report_html(input);
  QTextDocument document;
  document.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart.png")),
                       input.chart);
  document.setHtml(html);
  {
    QPdfWriter pdf(pdf_path);
    pdf.setTitle(QStringLiteral("cyrange after-action report %1")
                     .arg(QString::fromStdString(input.exercise.id)));
    pdf.setCreator(QStringLiteral("cyrange-console"));
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    pdf.addFileAttachment(QStringLiteral("report.json"), QJsonDocument(report_json(input)).toJson(),
                          QStringLiteral("application/json"));
    // print() lays the document out on the writer's pages at its resolution.
    document.print(&pdf);
  }
  if (!QFileInfo::exists(pdf_path)) {
    return make_error(ErrorCode::failed_precondition,
                      "Cannot write the report '" + pdf_path.toStdString() +
                          "'; choose a folder you may write to.",
                      "レポート '" + pdf_path.toStdString() +
                          "' を書き込めません。書き込み可能なフォルダを選んでください。");
  }
  ::chmod(pdf_path.toLocal8Bit().constData(), 0600);
  const QString base = pdf_path.endsWith(QStringLiteral(".pdf")) ? pdf_path.chopped(4) : pdf_path;
  const QString chart_file = base + QStringLiteral("-chart.png");
  input.chart.save(chart_file);
  QString page = html;
  page.replace(QStringLiteral("src='chart.png'"),
               QStringLiteral("src='%1'").arg(QFileInfo(chart_file).fileName()));
  QFile out(base + QStringLiteral(".html"));
  if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    return make_error(ErrorCode::failed_precondition,
                      "Cannot write '" + out.fileName().toStdString() + "'.",
                      "'" + out.fileName().toStdString() + "' を書き込めません。");
  }
  out.write(page.toUtf8());
  out.close();
  ::chmod(out.fileName().toLocal8Bit().constData(), 0600);
  ::chmod(chart_file.toLocal8Bit().constData(), 0600);
  return Status::success();
}

}  // namespace cyrange::console
