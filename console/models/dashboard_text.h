#pragma once

#include <string>
#include <vector>

#include <client-core/localized_text.h>
#include <client-core/range_client.h>
#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>
#include <console/models/dashboard_types.h>

// The Japanese and English sentences of the feed and of attention marks. They are built
// in the Qt-free state (the feed must not depend on a Qt translator being loaded), so
// both languages live here; the Qt models pick one with client::Language.
namespace cyrange::console::text {

/// The feed kind of a ledger entry.
FeedKind feed_kind(client::EntryKind kind);
/// The feed sentence of a ledger entry ("Team red solved web-1 (+100 points).").
client::LocalizedText ledger_entry(const client::ScoreEntry& entry);
/// The feed sentence of a timeline step or message that fired, finished or failed.
client::LocalizedText timeline_item(const std::string& team, const client::TimelineItemView& item);
/// The feed sentence and the attention reason of a host whose provisioning failed.
client::LocalizedText provisioning_failed(const client::ProvisioningStep& step);
/// The reason of a stalled team: no ledger entry for `minutes` on the open objectives.
client::LocalizedText stalled(const std::string& team, int minutes,
                              const std::vector<std::string>& open_objectives);
/// The reason of a service penalty: the team's service was down.
client::LocalizedText service_down(const client::ScoreEntry& entry);

}  // namespace cyrange::console::text
