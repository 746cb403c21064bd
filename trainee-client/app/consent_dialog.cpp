#include <trainee-client/app/consent_dialog.h>

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <client-qt/session.h>
#include <client-qt/translations.h>

namespace cyrange::trainee {

namespace {

constexpr int kAgree = 1;
constexpr int kDecline = 0;

}  // namespace

ConsentDialog::ConsentDialog(qt::Session* session, QString exercise, QWidget* parent)
    : QDialog(parent),
      privacy_(session->connection()),
      exercise_(std::move(exercise)),
      texts_layout_(new QVBoxLayout),
      status_(new QLabel(this)) {
  setObjectName(QStringLiteral("consent"));
  setWindowTitle(tr("Before we start: recording and your consent"));
  setMinimumSize(640, 560);
  auto* intro = new QLabel(
      tr("During this training day cyrange can record what you type and click in this window "
         "and in the terminals, to score your team and to discuss the day with you afterwards. "
         "Nothing is recorded unless you agree. Passwords you type are never recorded. You can "
         "change your mind at any time under Day > Recording and consent; withdrawing deletes "
         "what was recorded."),
      this);
  intro->setWordWrap(true);
  status_->setWordWrap(true);
  status_->setText(tr("Loading the consent texts…"));
  auto* buttons = new QDialogButtonBox(this);
  continue_ = buttons->addButton(tr("Continue"), QDialogButtonBox::AcceptRole);
  continue_->setEnabled(false);
  connect(continue_, &QPushButton::clicked, this, &ConsentDialog::confirm);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(texts_layout_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);
}

void ConsentDialog::load() {
  relay_->then<std::vector<client::ConsentTextView>>(
      privacy_.texts_async(), [this](const Expected<std::vector<client::ConsentTextView>>& texts) {
        if (!texts) {
          fail(qt::localized(texts.error()));
          return;
        }
        relay_->then<std::vector<client::ConsentView>>(
            privacy_.mine_async(exercise_.toStdString()),
            [this, texts = *texts](const Expected<std::vector<client::ConsentView>>& mine) {
              if (!mine) {
                fail(qt::localized(mine.error()));
                return;
              }
              show_texts(texts, *mine);
            });
      });
}

void ConsentDialog::show_texts(const std::vector<client::ConsentTextView>& texts,
                               const std::vector<client::ConsentView>& current) {
  texts_ = texts;
  for (const auto& consent : current)
    if (consent.active && consent.exercise == exercise_.toStdString())
      active_.insert(consent.purpose);
  for (const auto& text : texts_) {
    auto* box = new QGroupBox(qt::localized(text.title), this);
    auto* browser = new QTextBrowser(box);
    browser->setPlainText(qt::localized(text.text));
    auto* agree = new QRadioButton(tr("I agree"), box);
    auto* decline = new QRadioButton(tr("I do not agree"), box);
    const bool research = text.purpose == client::ConsentPurpose::research;
    agree->setObjectName(research ? QStringLiteral("agree-research")
                                  : QStringLiteral("agree-scoring"));
    decline->setObjectName(research ? QStringLiteral("decline-research")
                                    : QStringLiteral("decline-scoring"));
    auto* group = new QButtonGroup(box);
    group->addButton(agree, kAgree);
    group->addButton(decline, kDecline);
    // A later visit shows the choice in force; the first one preselects nothing.
    if (active_.contains(text.purpose)) agree->setChecked(true);
    choices_[text.purpose] = group;
    connect(group, &QButtonGroup::idClicked, this, &ConsentDialog::update_continue);
    auto* row = new QHBoxLayout;
    row->addWidget(agree);
    row->addWidget(decline);
    row->addStretch(1);
    auto* inner = new QVBoxLayout(box);
    inner->addWidget(browser, 1);
    inner->addLayout(row);
    texts_layout_->addWidget(box, 1);
  }
  status_->setText(tr("Choose for each purpose, then press Continue."));
  update_continue();
  emit ready();
}

void ConsentDialog::choose(client::ConsentPurpose purpose, bool agree) {
  auto it = choices_.find(purpose);
  if (it == choices_.end()) return;
  it->second->button(agree ? kAgree : kDecline)->click();
}

void ConsentDialog::update_continue() {
  bool all = !choices_.empty();
  for (const auto& [purpose, group] : choices_) all = all && group->checkedId() >= 0;
  continue_->setEnabled(all);
}

void ConsentDialog::confirm() {
  continue_->setEnabled(false);
  status_->setText(tr("Saving your choice…"));
  agreed_.clear();
  auto remaining = std::make_shared<int>(0);
  auto failure = std::make_shared<QString>();
  const auto finish_one = [this, remaining, failure](const QString& error) {
    if (!error.isEmpty()) *failure = error;
    if (--*remaining > 0) return;
    if (!failure->isEmpty()) {
      fail(*failure);
      return;
    }
    accept();
  };
  for (const auto& text : texts_) {
    const bool agree = choices_[text.purpose]->checkedId() == kAgree;
    if (agree) agreed_.insert(text.purpose);
    if (agree == active_.contains(text.purpose)) continue;  // nothing changes
    ++*remaining;
    if (agree) {
      relay_->then<client::ConsentView>(
          privacy_.give_async(exercise_.toStdString(), text.purpose, text.version),
          [finish_one](const Expected<client::ConsentView>& given) {
            finish_one(given ? QString() : qt::localized(given.error()));
          });
    } else {
      relay_->then<client::Unit>(privacy_.withdraw_async(exercise_.toStdString(), text.purpose),
                                 [finish_one](const Expected<client::Unit>& done) {
                                   finish_one(done ? QString() : qt::localized(done.error()));
                                 });
    }
  }
  if (*remaining == 0) accept();
}

void ConsentDialog::fail(const QString& explanation) {
  status_->setText(explanation);
  update_continue();
  emit failed(explanation);
}

}  // namespace cyrange::trainee
