#pragma once
// The view state the UI tests draw: two mentions built in code, one already escalated.
// Also the shipped English texts, loaded from assets/ as the app does.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "kiosk/app/view/ui_catalog.h"
#include "kiosk/ui/model/view_state.h"

namespace kiosk::ui::test {

inline void use_english_texts() {
  const char* source = std::getenv("KIOSK_SOURCE_DIR");
  auto catalog = app::load_ui_catalog(std::string(source ? source : ".") + "/assets", "en");
  REQUIRE_MESSAGE(catalog.ok(), catalog.error());
  use_catalog(std::move(catalog.value()));
}

inline constexpr const char* queue_text = "The queue at checkout 4 is 30 minutes long";

// The moment the demo view is drawn at: UiState::now_ms in the tests.
inline constexpr std::int64_t demo_now_ms = 1'800'000'000'000;

inline ViewState demo_view() {
  ViewState view;
  view.store_name = "Riverside Market #112";
  MentionCard fresh;
  fresh.mention_id = "mastodon:111";
  fresh.source = "mastodon";
  fresh.author = "@jo@example.social";
  fresh.created_at_ms = demo_now_ms - 2 * 60'000;  // "2 min ago"
  fresh.text = queue_text;
  MentionCard old;
  old.mention_id = "google:42";
  old.source = "google";
  old.author = "Sam P.";
  old.created_at_ms = demo_now_ms - 3600'000;  // "1 h ago"
  old.text =
      "Lovely staff at the bakery counter, but the floor near aisle 7 was wet and nobody had put "
      "out "
      "a sign. Someone could slip and get hurt. Please look into it before the evening rush, "
      "there are lots of kids around after school and the wet patch is right by the entrance.";
  old.escalation_progress = core::EscalationProgress::acknowledged;
  old.escalation_severity = core::Severity::high;
  old.escalation_acknowledged_by = "Dana at HQ";
  view.feed = {fresh, old};
  view.sync.enrolled = true;
  view.sync.online = false;
  view.sync.events_waiting = 3;
  view.sync.last_success_ms = demo_now_ms - 3 * 60'000;
  view.sync.failed = true;
  view.sync.failure_kind = core::ErrorKind::retry_later;
  return view;
}

}  // namespace kiosk::ui::test
