// What the screens get from the store: newest first, escalation state per card, sync status.
#include <doctest/doctest.h>

#include "kiosk/app/view_builder.h"
#include "tests/support/process.h"

using namespace kiosk;

TEST_CASE("[view] the feed is newest first, with each card's escalation state and clean text") {
  kiosk::testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  const std::int64_t now = 1'800'000'000'000;
  s.upsert_mentions({{"old", "s1", "yelp", "Dori", "Wet floor, no sign", "", now - 3 * 3600'000},
                     {"new", "s1", "mastodon", "Jo", "Lovely staff \xE2\x9D\xA4\xEF\xB8\x8F", "",
                      now - 5 * 60'000}},
                    now);
  s.escalate("old", core::Severity::critical, "", now);

  auto view = app::build_view_state(s, now);
  REQUIRE(view.feed.size() == 2);
  CHECK(view.feed[0].mention_id == "new");
  CHECK(view.feed[0].time_ago == "5 min ago");
  CHECK(view.feed[0].text == "Lovely staff \xE2\x9D\xA4");
  CHECK_FALSE(view.feed[0].escalation_progress.has_value());
  CHECK(view.feed[1].escalation_progress == core::EscalationProgress::queued_on_terminal);
  CHECK(view.feed[1].escalation_severity == core::Severity::critical);
  CHECK_FALSE(view.sync.enrolled);
  CHECK_FALSE(view.sync.online);
  CHECK(view.sync.events_waiting == 1);
  CHECK(view.sync.last_success.empty());

  SUBCASE("a failed attempt after a success reads as offline, with the reason") {
    s.save_enrollment({"http://127.0.0.1:1", "t", "s1", "Downtown", "tok"});
    store::SyncBatch ok;
    ok.new_cursor = 1;
    ok.now_ms = now - 120'000;
    s.apply_sync_batch(ok);
    CHECK(app::build_view_state(s, now).sync.online);
    CHECK(app::build_view_state(s, now).sync.last_success == "2 min ago");
    s.record_sync_failure({core::ErrorKind::retry_later, "head office did not answer", {}}, now);
    const auto offline = app::build_view_state(s, now);
    CHECK_FALSE(offline.sync.online);
    CHECK(offline.sync.last_error == "head office did not answer");
    CHECK(offline.store_name == "Downtown");
  }
  SUBCASE("the view is equal to itself until data changes, so an idle kiosk skips frames") {
    CHECK(app::build_view_state(s, now) == view);
    s.escalate("new", core::Severity::low, "", now);
    CHECK_FALSE(app::build_view_state(s, now) == view);
  }
}
