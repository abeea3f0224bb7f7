// What the screens get from the store: newest first, escalation state per card, sync status.
#include <doctest/doctest.h>

#include <algorithm>

#include "kiosk/app/view/view_builder.h"
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

  auto view = app::build_view_state(s);
  REQUIRE(view.feed.size() == 2);
  CHECK(view.feed[0].mention_id == "new");
  CHECK(view.feed[0].created_at_ms == now - 5 * 60'000);  // drawn as an age (ui tests)
  CHECK(view.feed[0].text == "Lovely staff \xE2\x9D\xA4");
  CHECK_FALSE(view.feed[0].escalation_progress.has_value());
  CHECK(view.feed[1].escalation_progress == core::EscalationProgress::queued_on_terminal);
  CHECK(view.feed[1].escalation_severity == core::Severity::critical);
  CHECK_FALSE(view.sync.enrolled);
  CHECK_FALSE(view.sync.online);
  CHECK(view.sync.events_waiting == 1);
  CHECK_FALSE(view.sync.last_success_ms.has_value());

  SUBCASE("a failed attempt after a success reads as offline, with the reason") {
    s.save_enrollment({"http://127.0.0.1:1", "t", "s1", "Downtown", "tok"});
    store::SyncBatch ok;
    ok.new_cursor = 1;
    ok.now_ms = now - 120'000;
    s.apply_sync_batch(ok);
    CHECK(app::build_view_state(s).sync.online);
    CHECK(app::build_view_state(s).sync.last_success_ms == now - 120'000);
    s.record_sync_failure({core::ErrorKind::retry_later, "head office did not answer", {}}, now);
    const auto offline = app::build_view_state(s);
    CHECK_FALSE(offline.sync.online);
    // The kind, which the status bar says in the screen's language; the words are for IT.
    CHECK(offline.sync.failed);
    CHECK(offline.sync.failure_kind == core::ErrorKind::retry_later);
    CHECK(offline.store_name == "Downtown");
  }
  SUBCASE("the view is equal to itself until data changes, so an idle kiosk skips frames") {
    CHECK(app::build_view_state(s) == view);
    s.escalate("new", core::Severity::low, "", now);
    CHECK_FALSE(app::build_view_state(s) == view);
  }
}

TEST_CASE("[view] the view holds one page of a long feed around what is on screen") {
  kiosk::testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  const std::int64_t now = 1'800'000'000'000;
  std::vector<core::Mention> mentions;
  for (int i = 0; i < 1000; ++i)
    mentions.push_back({"m" + std::to_string(i), "s1", "google", "", "post " + std::to_string(i),
                        "", now - i * 60'000LL});
  s.upsert_mentions(mentions, now);
  s.escalate("m503", core::Severity::high, "", now);

  const auto rows = app::feed_window_around(500, 504);
  CHECK(rows.first < 500);
  CHECK(rows.first + rows.count > 504);
  const auto view = app::build_view_state(s, rows);
  CHECK(view.feed_total == 1000);
  CHECK(view.feed_first == rows.first);
  REQUIRE(view.feed.size() == static_cast<std::size_t>(rows.count));
  // Newest first: row k of the feed is mention k.
  CHECK(view.feed.front().mention_id == "m" + std::to_string(rows.first));
  const auto& card = view.feed[static_cast<std::size_t>(503 - rows.first)];
  CHECK(card.mention_id == "m503");
  CHECK(card.escalation_severity == core::Severity::high);
  CHECK(app::holds_rows(view, 500, 504));
  CHECK_FALSE(app::holds_rows(view, 900, 904));
  CHECK(app::holds_rows(view, 1000, 1004));  // past the end: nothing to hold

  const auto last = app::build_view_state(s, app::feed_window_around(996, 1000));
  CHECK(last.feed.back().mention_id == "m999");
}

TEST_CASE("[view][detail] the open mention's detail: whole text, link and its QR code, reply") {
  kiosk::testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  const std::int64_t now = 1'800'000'000'000;
  std::string long_text;
  for (int i = 0; i < 300; ++i) long_text += "word" + std::to_string(i) + " ";
  long_text += "the end";
  core::Mention parent{"p1", "s1", "mastodon", "Jo", "Is the bakery open?", "", now - 7200'000};
  core::Mention m{"m1", "s1", "google", "Dana", long_text, "https://example.com/r/1", now - 60'000};
  m.rating = 2;
  m.lang = "en";
  m.reply_to = "p1";
  m.owner_reply = "Sorry, Dana";
  m.edited_at_ms = now - 30'000;
  m.location.name = "Springfield";
  s.upsert_mentions({parent, m}, now);
  s.escalate("m1", core::Severity::high, "", now);

  // No detail asked for: none built.
  CHECK_FALSE(app::build_view_state(s).detail.has_value());

  const auto view = app::build_view_state(s, {}, {ui::FeedChip::all, "", "m1"});
  CHECK(view.detail_mention_id == "m1");
  REQUIRE(view.detail.has_value());
  const ui::MentionDetail& d = *view.detail;
  CHECK(d.card.mention_id == "m1");
  CHECK(d.card.text == long_text);  // whole: the detail never cuts it
  CHECK(d.card.author == "Dana");
  CHECK(d.card.rating == 2);
  CHECK(d.card.escalation_severity == core::Severity::high);
  CHECK(d.url == "https://example.com/r/1");
  CHECK(d.lang == "en");
  CHECK(d.place == "Springfield");
  CHECK(d.reply_to == "p1");
  CHECK(d.reply_to_text == "Is the bakery open?");
  CHECK(d.owner_reply == "Sorry, Dana");
  CHECK_FALSE(d.posted_local.empty());
  CHECK_FALSE(d.edited_local.empty());
  // A QR code: square (21 modules or more), some dark, some light.
  CHECK(d.qr_size >= 21);
  REQUIRE(d.qr_modules.size() == static_cast<std::size_t>(d.qr_size * d.qr_size));
  CHECK(d.qr_modules[0] == 1);  // the top-left finder pattern's corner is dark
  CHECK(std::count(d.qr_modules.begin(), d.qr_modules.end(), 0) > 0);

  // A mention the terminal does not have: no detail, and the view says for which id.
  const auto gone = app::build_view_state(s, {}, {ui::FeedChip::all, "", "nope"});
  CHECK(gone.detail_mention_id == "nope");
  CHECK_FALSE(gone.detail.has_value());
}
