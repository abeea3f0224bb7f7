#include "kiosk/app/view_builder.h"

#include "kiosk/core/time_format.h"
#include "kiosk/core/utf8.h"

namespace kiosk::app {

ui::ViewState build_view_state(store::Store& store, std::int64_t now_ms, int feed_limit) {
  ui::ViewState view;
  const auto enrollment = store.enrollment();
  view.store_name = enrollment ? enrollment->store_name : std::string();

  const auto mentions = store.recent_mentions(feed_limit);
  std::vector<std::string> ids;
  ids.reserve(mentions.size());
  for (const auto& m : mentions) ids.push_back(m.id);
  const auto escalations = store.latest_escalations(ids);

  view.feed.reserve(mentions.size());
  for (const auto& m : mentions) {
    ui::MentionCard card;
    card.mention_id = m.id;
    card.source = m.source;
    card.author = core::strip_presentation_modifiers(m.author);
    card.time_ago = core::time_ago(now_ms, m.created_at_ms);
    card.text = core::strip_presentation_modifiers(m.text);
    if (auto it = escalations.find(m.id); it != escalations.end()) {
      card.escalation_progress = core::progress_of(it->second);
      card.escalation_severity = it->second.severity;
      card.escalation_acknowledged_by = it->second.acknowledged_by;
      card.escalation_not_accepted_reason = it->second.not_accepted_reason;
    }
    view.feed.push_back(std::move(card));
  }

  const auto sync = store.sync_state();
  view.sync.enrolled = enrollment.has_value();
  view.sync.events_waiting = sync.events_waiting;
  // "Online" means the last attempt reached head office; an attempt that failed since the
  // last success means offline.
  view.sync.online = sync.last_success_ms && sync.last_error.empty();
  if (sync.last_success_ms) view.sync.last_success = core::time_ago(now_ms, *sync.last_success_ms);
  view.sync.last_error = sync.last_error;
  return view;
}

void show_sync_failure(ui::SyncStatus& sync, const std::optional<core::Error>& failure) {
  if (!failure) return;
  sync.online = false;
  sync.last_error = failure->text();
}

}  // namespace kiosk::app
