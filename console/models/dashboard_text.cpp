#include <console/models/dashboard_text.h>

namespace cyrange::console::text {
namespace {

std::string signed_points(int points) { return (points > 0 ? "+" : "") + std::to_string(points); }

// " (+100 points)" / "（+100 点）"; nothing for entries that did not move the score.
client::LocalizedText points_suffix(int points) {
  if (points == 0) return {};
  return {"（" + signed_points(points) + " 点）", " (" + signed_points(points) + " points)"};
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// "web-1" or "web-1 / part-2" when the entry names a part, hint or service.
std::string subject(const client::ScoreEntry& entry) {
  if (entry.item.empty()) return entry.objective;
  if (entry.objective.empty()) return entry.item;
  return entry.objective + " / " + entry.item;
}

}  // namespace

FeedKind feed_kind(client::EntryKind kind) {
  switch (kind) {
    case client::EntryKind::solve:
      return FeedKind::solve;
    case client::EntryKind::partial:
      return FeedKind::partial;
    case client::EntryKind::wrong_answer:
      return FeedKind::wrong_answer;
    case client::EntryKind::hint:
      return FeedKind::hint;
    case client::EntryKind::solution_reveal:
      return FeedKind::reveal;
    case client::EntryKind::adjustment:
      return FeedKind::adjustment;
    case client::EntryKind::service_penalty:
      return FeedKind::service_down;
    case client::EntryKind::other:
      return FeedKind::other;
  }
  return FeedKind::other;
}

client::LocalizedText ledger_entry(const client::ScoreEntry& e) {
  const std::string& team = e.team;
  const std::string what = subject(e);
  const client::LocalizedText pts = points_suffix(e.points);
  client::LocalizedText out;
  switch (e.kind) {
    case client::EntryKind::solve:
      out = {"チーム " + team + " が " + what + " を解きました" + pts.ja + "。",
             "Team " + team + " solved " + what + pts.en + "."};
      break;
    case client::EntryKind::partial:
      out = {"チーム " + team + " が " + what + " の一部に正解しました" + pts.ja + "。",
             "Team " + team + " answered part of " + what + pts.en + "."};
      break;
    case client::EntryKind::wrong_answer:
      out = {"チーム " + team + " が " + what + " に誤答しました" + pts.ja + "。",
             "Team " + team + " gave a wrong answer to " + what + pts.en + "."};
      break;
    case client::EntryKind::hint:
      out = {"チーム " + team + " が " + what + " のヒントを受け取りました" + pts.ja + "。",
             "Team " + team + " took a hint for " + what + pts.en + "."};
      break;
    case client::EntryKind::solution_reveal:
      out = {"チーム " + team + " に " + what + " の解答が公開されました" + pts.ja + "。",
             "The solution of " + what + " was revealed to team " + team + pts.en + "."};
      break;
    case client::EntryKind::adjustment: {
      const std::string target = what.empty() ? "" : "（" + what + "）";
      const std::string target_en = what.empty() ? "" : " on " + what;
      out = {"チーム " + team + " の得点が調整されました" + target + pts.ja + "。",
             "The score of team " + team + " was adjusted" + target_en + pts.en + "."};
      break;
    }
    case client::EntryKind::service_penalty:
      out = service_down(e);
      break;
    case client::EntryKind::other:
      out = {"チーム " + team + " の記録: " + what + pts.ja + "。",
             "Ledger entry for team " + team + ": " + what + pts.en + "."};
      break;
  }
  if (!e.reason.empty()) {
    out.ja += " 理由: " + e.reason;
    out.en += " Reason: " + e.reason;
  }
  return out;
}

client::LocalizedText timeline_item(const std::string& team, const client::TimelineItemView& item) {
  const std::string name = item.item_id;
  const bool message = item.kind == client::ItemKind::message;
  const std::string kind_ja = message ? "メッセージ" : "ステップ";
  const std::string kind_en = message ? "Message" : "Step";
  client::LocalizedText out;
  switch (item.state) {
    case client::ItemState::firing:
      out = {kind_ja + " " + name + " をチーム " + team + " に実行しました。",
             kind_en + " " + name + " fired for team " + team + "."};
      break;
    case client::ItemState::done:
      out = {kind_ja + " " + name + " がチーム " + team + " で完了しました。",
             kind_en + " " + name + " finished for team " + team + "."};
      break;
    default:
      out = {kind_ja + " " + name + " がチーム " + team + " で失敗しました。",
             kind_en + " " + name + " failed for team " + team + "."};
      if (!item.detail.empty()) {
        out.ja += " " + item.detail;
        out.en += " " + item.detail;
      }
      break;
  }
  return out;
}

client::LocalizedText provisioning_failed(const client::ProvisioningStep& step) {
  client::LocalizedText out =
      step.host.empty()
          ? client::LocalizedText{"チーム " + step.team + " の演習環境の構築に失敗しました。",
                                  "Provisioning the range of team " + step.team + " failed."}
          : client::LocalizedText{
                "チーム " + step.team + " のホスト " + step.host + " の構築に失敗しました。",
                "Provisioning host " + step.host + " of team " + step.team + " failed."};
  if (!step.message.empty()) {
    out.ja += " " + step.message;
    out.en += " " + step.message;
  }
  return out;
}

client::LocalizedText stalled(const std::string& team, int minutes,
                              const std::vector<std::string>& open_objectives) {
  const std::string m = std::to_string(minutes);
  const std::string list = join(open_objectives, ", ");
  return {"チーム " + team + " は " + m + " 分間進捗がありません（未解決: " + list + "）。",
          "Team " + team + " has made no progress for " + m + " minutes (open: " + list + ")."};
}

client::LocalizedText service_down(const client::ScoreEntry& e) {
  const std::string service = e.item.empty() ? e.objective : e.item;
  const client::LocalizedText pts = points_suffix(e.points);
  if (service.empty()) {
    return {"チーム " + e.team + " のサービスが停止していました" + pts.ja + "。",
            "A service of team " + e.team + " was down" + pts.en + "."};
  }
  return {"チーム " + e.team + " のサービス " + service + " が停止していました" + pts.ja + "。",
          "Service " + service + " of team " + e.team + " was down" + pts.en + "."};
}

}  // namespace cyrange::console::text
