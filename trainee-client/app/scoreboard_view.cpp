#include <trainee-client/app/scoreboard_view.h>

#include <algorithm>
#include <vector>

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cyrange::trainee {

ScoreboardView::ScoreboardView(QWidget* parent)
    : QWidget(parent), headline_(new QLabel(this)), table_(new QTableWidget(0, 3, this)) {
  setObjectName(QStringLiteral("scoreboard"));
  headline_->setWordWrap(true);
  table_->setHorizontalHeaderLabels({tr("Rank"), tr("Team"), tr("Points")});
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(headline_);
  layout->addWidget(table_, 1);
  render();
}

void ScoreboardView::apply(const client::ScoreboardMessage& message) {
  const int before = total();
  if (message.snapshot) {
    board_.clear();
    own_.reset();
  }
  if (message.mode != client::BoardMode::unknown) mode_ = message.mode;
  if (message.own) own_ = message.own;
  for (const auto& line : message.board) board_[line.team] = line;
  render();
  if (total() != before) emit totalChanged(total());
}

void ScoreboardView::render() {
  const QString team = own_ ? QString::fromStdString(own_->team) : QString();
  switch (mode_) {
    case client::BoardMode::hidden:
      headline_->setText(tr("Your team %1 has %2 points. The instructor has hidden the "
                            "scoreboard.")
                             .arg(team)
                             .arg(total()));
      break;
    case client::BoardMode::frozen:
      headline_->setText(tr("Your team %1 has %2 points. The scoreboard is frozen: it shows "
                            "the totals at the freeze.")
                             .arg(team)
                             .arg(total()));
      break;
    default:
      headline_->setText(own_ ? tr("Your team %1 has %2 points.").arg(team).arg(total())
                              : tr("Waiting for the scoreboard…"));
      break;
  }
  std::vector<client::BoardLine> lines;
  for (const auto& [name, line] : board_) lines.push_back(line);
  std::sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
    return a.total != b.total ? a.total > b.total : a.team < b.team;
  });
  table_->setRowCount(static_cast<int>(lines.size()));
  for (int row = 0; row < static_cast<int>(lines.size()); ++row) {
    const auto& line = lines[static_cast<std::size_t>(row)];
    auto* rank = new QTableWidgetItem(line.rank > 0 ? QString::number(line.rank) : QString());
    auto* name = new QTableWidgetItem(QString::fromStdString(line.team));
    auto* points = new QTableWidgetItem(QString::number(line.total));
    points->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (own_ && line.team == own_->team) {
      for (auto* item : {rank, name, points}) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
      }
    }
    table_->setItem(row, 0, rank);
    table_->setItem(row, 1, name);
    table_->setItem(row, 2, points);
  }
}

}  // namespace cyrange::trainee
