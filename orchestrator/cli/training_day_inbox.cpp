#include <orchestrator/cli/training_day_inbox.h>

#include <sstream>

#include <client-core/script/scripted_trainee.h>

namespace cyrange::cli {
namespace {

// Keeps the day's output short: a message is cut to one line of this many bytes,
// on a UTF-8 character boundary.
constexpr std::size_t kMaxText = 72;

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  if (text.size() <= kMaxText) return text;
  std::size_t cut = kMaxText;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

}  // namespace

InboxTicker::InboxTicker(const client::Connection& trainee, const std::string& exercise,
                         std::ostream& out)
    : out_(out) {
  watch_ = client::InboxClient(trainee).watch(exercise, "", 0,
                                              [this](const client::InboxEntry& e) { show(e); });
}

InboxTicker::~InboxTicker() { watch_.cancel_and_wait(); }

std::size_t InboxTicker::received() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

void InboxTicker::show(const client::InboxEntry& e) {
  std::lock_guard lock(mutex_);
  if (!seen_.insert(e.id).second) return;
  std::ostringstream line;
  line << "  [inbox] T+" << client::format_exercise_time(e.exercise_time) << "  " << e.team << "  "
       << (e.kind == client::InboxKind::notice ? e.sender + ": " : "") << one_line(e.text.en)
       << "\n";
  out_ << line.str() << std::flush;
}

}  // namespace cyrange::cli
