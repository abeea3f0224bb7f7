// The kiosk's UI loop on the null window backend with a stepped clock: when it draws, when it
// sleeps and for how long. A real store file; no display, no GL, no sleeping.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "kiosk/app/cli/triage_command.h"
#include "kiosk/app/window/window_loop.h"
#include "kiosk/ui/model/strings.h"
#include "platform/draw_checksum.h"
#include "platform/null_window.h"
#include "tests/support/process.h"
#include "tests/ui/demo_view.h"

using namespace kiosk;

namespace {

constexpr std::int64_t kStart = 1'800'000'000'000;
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 86'400'000;

struct Rig {
  kiosk::testing::TempDir dir;
  std::string db = dir.file("kiosk.sqlite");
  store::Store store{db};
  std::int64_t now = kStart;
  std::unique_ptr<platform::NullWindow> window;
  std::unique_ptr<app::WindowLoop> loop;

  void open() {
    kiosk::ui::test::use_english_texts();
    platform::NullWindow::Options o;
    o.stepped = true;
    o.now_seconds = [this] { return static_cast<double>(now) / 1000.0; };
    // A wait with a timeout ends when the timeout passes: the clock moves there.
    o.on_wait = [this](double timeout) {
      if (timeout > 0.0) now += static_cast<std::int64_t>(timeout * 1000.0 + 0.5);
    };
    window = std::make_unique<platform::NullWindow>(o);
    loop = std::make_unique<app::WindowLoop>(
        *window, store, [this] { return now; }, [] {}, false);
    loop->ui_state().record = true;
  }
  // Turns until one draws nothing (input and first frames settle); returns frames drawn.
  int settle() {
    int drawn = 0;
    for (int i = 0; i < 10 && loop->turn(); ++i) ++drawn;
    return drawn;
  }
  // The first frame, then the next, which brings the chips' counts without waiting.
  void first_frames() {
    CHECK(loop->turn());
    CHECK(loop->turn());
  }
  double last_wait() const { return window->waits().back(); }
  bool drew(const std::string& text) const {
    const auto& t = loop->ui_state().drawn_text;
    return std::find(t.begin(), t.end(), text) != t.end();
  }
  void add_mention(const std::string& id, std::int64_t created_at_ms) {
    // Another connection, as the sync worker or a CLI ingest would write it.
    store::Store other(db);
    other.upsert_mentions({{id, "s1", "google", "Ana", "post " + id, "", created_at_ms}}, now);
  }
};

}  // namespace

TEST_CASE(
    "[loop] an idle kiosk with nothing that changes draws nothing and waits with no timeout") {
  Rig rig;
  rig.open();
  CHECK(rig.settle() == 2);  // the first frame, and the chips' counts
  const int frames = rig.window->frames_presented();
  for (int i = 0; i < 5; ++i) CHECK_FALSE(rig.loop->turn());
  CHECK(rig.window->frames_presented() == frames);
  CHECK(rig.last_wait() < 0.0);  // no timeout: only input or wake() ends the wait
  CHECK(rig.now == kStart);      // and no time was spent in timed waits
}

TEST_CASE("[loop] a changed view draws once; a wake-up that changed nothing draws nothing") {
  Rig rig;
  rig.add_mention("old", kStart - 3 * kDay);
  rig.open();
  rig.first_frames();
  const int frames = rig.window->frames_presented();

  rig.window->wake();  // e.g. a sync that brought nothing
  CHECK_FALSE(rig.loop->turn());
  CHECK(rig.window->frames_presented() == frames);

  rig.add_mention("new", kStart - 4 * kDay);
  rig.window->wake();  // the sync worker wakes the window after a commit
  CHECK(rig.loop->turn());
  CHECK(rig.drew("post new"));
  CHECK(rig.window->frames_presented() == frames + 1);
}

TEST_CASE("[loop] a visible age label wakes the loop exactly when its text changes") {
  Rig rig;
  rig.add_mention("fresh", kStart - 5 * kMinute);
  rig.open();
  rig.first_frames();
  CHECK(rig.drew("5 min ago"));
  // "5 min ago" turns into "6 min ago" at 5.5 minutes: the loop sleeps 30 s, then draws once.
  CHECK(rig.loop->turn());
  CHECK(rig.last_wait() == doctest::Approx(30.0));
  CHECK(rig.now == kStart + 30'000);
  CHECK(rig.drew("6 min ago"));
  CHECK(rig.loop->turn());
  CHECK(rig.last_wait() == doctest::Approx(60.0));
  CHECK(rig.drew("7 min ago"));
  CHECK(rig.window->frames_presented() == 4);
}

TEST_CASE("[loop] the first frame's chips show no count; the next frame, at once, the counts") {
  Rig rig;
  rig.add_mention("a", kStart - kMinute);
  rig.add_mention("b", kStart - 2 * kMinute);
  rig.open();
  CHECK(rig.loop->turn());
  CHECK(rig.drew("post a"));
  CHECK(rig.drew("All"));  // the chip, without a number that could be wrong
  CHECK_FALSE(rig.drew("All  0"));
  CHECK_FALSE(rig.drew("All  2"));
  CHECK(rig.loop->turn());
  CHECK(rig.now == kStart);  // drawn without waiting for input or time
  CHECK(rig.drew("All  2"));
  CHECK_FALSE(rig.drew("All"));
  CHECK(rig.window->frames_presented() == 2);
}

TEST_CASE("[loop] input draws on the next turn, then settles back to waiting") {
  Rig rig;
  rig.open();
  rig.settle();
  const int frames = rig.window->frames_presented();
  rig.window->push_input();
  CHECK(rig.loop->turn());
  CHECK(rig.window->frames_presented() == frames + 1);
  CHECK(rig.last_wait() < 0.0);  // it was waiting with no timeout when the tap came
  // ImGui settles press and hover over a few frames, polled back to back; then waits again.
  const int settle_frames = rig.settle();
  CHECK(settle_frames == platform::FramePolicy::kFramesAfterInput - 1);
  CHECK_FALSE(rig.loop->turn());
  CHECK(rig.last_wait() < 0.0);
}

TEST_CASE("[loop] a tab's screen, with what the store holds for it, is whole in the tap's frame") {
  Rig rig;
  rig.store.escalate("", core::Severity::high, "Wet floor by aisle 7", kStart - kMinute,
                     core::Category::safety);
  rig.open();
  rig.settle();
  CHECK_FALSE(rig.drew("Wet floor by aisle 7"));  // the feed is on screen
  const auto& rects = rig.loop->ui_state().hit_rects;
  REQUIRE(rects.count("tab:escalations") == 1);
  const kiosk::ui::HitRect r = rects.at("tab:escalations");
  rig.window->inject_pointer(r.center_x(), r.center_y(), true);
  rig.window->push_input();
  REQUIRE(rig.loop->turn());
  rig.window->inject_pointer(r.center_x(), r.center_y(), false);
  rig.window->push_input();
  REQUIRE(rig.loop->turn());  // the frame that reads the finger lifting
  CHECK(rig.drew("Wet floor by aisle 7"));
  // The view already held the Escalations screen's cards: the frames ImGui settles the tap in,
  // back to back, draw the very same (later ones move with the card's clock).
  const std::uint64_t lifted = platform::draw_checksum(ImGui::GetDrawData());
  const std::int64_t lifted_at = rig.now;
  int after = 0;
  for (int i = 0; i < 10 && rig.loop->turn() && rig.now == lifted_at; ++i, ++after)
    CHECK(platform::draw_checksum(ImGui::GetDrawData()) == lifted);
  CHECK(after > 0);
}

TEST_CASE("[loop] a long feed's view holds the rows on screen, not the whole feed") {
  Rig rig;
  std::vector<core::Mention> many;
  for (int i = 0; i < 5000; ++i)
    many.push_back({"m" + std::to_string(i), "s1", "google", "", "post " + std::to_string(i), "",
                    kStart - 2 * kDay - i * kMinute});
  rig.store.upsert_mentions(many, kStart);
  rig.open();
  rig.settle();
  CHECK(rig.loop->view().feed_total == 5000);
  CHECK(rig.loop->view().feed.size() < 100);
  CHECK(rig.drew("post 0"));
}

TEST_CASE("[loop] a sync that brought nothing draws nothing, and \"Last sync\" still ages") {
  Rig rig;
  rig.store.save_enrollment({"http://127.0.0.1:1", "t", "s1", "Downtown", "tok"});
  auto sync_at = [&](std::int64_t t) {
    store::Store worker(rig.db);  // the sync worker's own connection
    store::SyncBatch nothing;
    nothing.now_ms = t;
    worker.apply_sync_batch(nothing);
  };
  sync_at(kStart);
  rig.open();
  rig.first_frames();
  CHECK(rig.drew("Last sync: just now"));
  const int frames = rig.window->frames_presented();
  // Every 10 s a sync that brought nothing, each waking the window: no frame.
  for (int i = 1; i <= 6; ++i) {
    rig.now = kStart + i * 10'000;
    sync_at(rig.now);
    rig.window->wake();
    CHECK_FALSE(rig.loop->turn());
  }
  CHECK(rig.window->frames_presented() == frames);
  // The label now counts from the last sync: it would change 45 s after it, no earlier.
  CHECK(rig.loop->turn());  // the wait ran its course: drawn at the change
  CHECK(rig.now == kStart + 60'000 + 45'000);
  CHECK(rig.drew("Last sync: 1 min ago"));
}

TEST_CASE("[loop] an urgent post wakes the idle screen at once and chimes once") {
  Rig rig;
  rig.add_mention("old", kStart - kDay);
  rig.open();
  std::vector<core::ChimeDecision> chimes;
  rig.loop->watch_chime([&](const core::ChimeDecision& d) { chimes.push_back(d); });
  rig.loop->set_idle_screen_ms(2 * kMinute);
  rig.first_frames();
  // Left alone: the loop sleeps until the idle screen is due, and shows it then.
  CHECK(rig.loop->turn());
  CHECK(rig.now == kStart + 2 * kMinute);
  CHECK(rig.loop->ui_state().idle_screen);
  CHECK(rig.drew("Tap anywhere to start"));
  CHECK(chimes.empty());  // what the terminal held already is no news

  // An urgent post arrives (another connection, triaged with the full lexicon, as the sync
  // worker stores it): one chime, and the live screen is drawn on this very turn.
  auto lexicon = app::load_lexicon(kiosk::testing::source_dir() + "/assets");
  REQUIRE_MESSAGE(lexicon.ok(), lexicon.error());
  {
    store::Store other(rig.db);
    other.set_lexicon(std::make_shared<const core::Lexicon>(std::move(lexicon.value())));
    other.upsert_mentions({{"x:urgent", "s1", "x", "Sam",
                            "A child SLIPPED on a spill by the entrance and is hurt, still "
                            "waiting in the store for a manager!!! Dangerous",
                            "", rig.now}},
                          rig.now);
  }
  rig.window->wake();
  const std::int64_t arrived = rig.now;
  CHECK(rig.loop->turn());
  CHECK(rig.now == arrived);  // no timed wait before it
  REQUIRE(chimes.size() == 1);
  REQUIRE(chimes[0].news.size() == 1);
  CHECK(chimes[0].news[0].id == "x:urgent");
  CHECK_FALSE(rig.loop->ui_state().idle_screen);
  CHECK_FALSE(rig.drew("Tap anywhere to start"));

  // Redraws, wake-ups and the idle screen coming back bring no second chime.
  rig.window->wake();
  rig.loop->turn();
  for (int i = 0; i < 20 && !rig.loop->ui_state().idle_screen; ++i) rig.loop->turn();
  CHECK(rig.loop->ui_state().idle_screen);
  CHECK(rig.now >= arrived + 2 * kMinute);
  CHECK(chimes.size() == 1);

  // A restart of the window with nothing new: silent.
  rig.loop.reset();
  rig.window.reset();
  rig.open();
  std::vector<core::ChimeDecision> after_restart;
  rig.loop->watch_chime([&](const core::ChimeDecision& d) { after_restart.push_back(d); });
  CHECK(rig.loop->turn());
  CHECK(rig.loop->turn());
  CHECK(after_restart.empty());
}

TEST_CASE("[loop] offline, a missed store-level step chimes at the moment it passes") {
  Rig rig;
  rig.add_mention("m1", kStart - kMinute);
  store::SyncBatch policy;
  policy.policy_text = "severity high\n  level Store manager 15m\n  level District manager 30m\n";
  policy.now_ms = kStart;
  rig.store.apply_sync_batch(policy);
  const core::Escalation e = rig.store.escalate("m1", core::Severity::high, "", kStart);
  rig.open();
  std::vector<std::int64_t> chimed_at;
  rig.loop->watch_chime([&](const core::ChimeDecision& d) {
    REQUIRE(d.news.size() == 1);
    CHECK(d.news[0] == core::ChimeNews{core::ChimeReason::store_level_missed, e.id});
    chimed_at.push_back(rig.now);
  });
  CHECK(rig.loop->turn());  // the first frame: nothing missed yet, nothing to announce
  // Nobody touches it and nothing syncs: the loop sleeps (waking only for what the screen
  // shows and for that moment), and chimes exactly when the store level is missed.
  for (int i = 0; i < 40 && chimed_at.empty(); ++i) rig.loop->turn();
  REQUIRE(chimed_at.size() == 1);
  CHECK(chimed_at[0] == kStart + 15 * kMinute);
  for (int i = 0; i < 5; ++i) rig.loop->turn();
  CHECK(chimed_at.size() == 1);
}

TEST_CASE("[loop] crash-restore: typed text is saved at most once a second and comes back") {
  Rig rig;
  rig.open();
  rig.settle();  // the first frame saves the session as it is (the feed, nothing typed)
  REQUIRE(rig.store.ui_session().has_value());
  CHECK(rig.store.ui_session()->find("oat milk") == std::string::npos);

  // Typed in the same second as the last save: it waits, and the loop wakes when it is due.
  rig.loop->ui_state().search = "oat milk";
  rig.window->push_input();
  CHECK(rig.loop->turn());
  CHECK(rig.store.ui_session()->find("oat milk") == std::string::npos);
  for (int i = 0; i < 10 && rig.store.ui_session()->find("oat milk") == std::string::npos; ++i)
    rig.loop->turn();
  CHECK(rig.store.ui_session()->find("oat milk") != std::string::npos);
  CHECK(rig.now >= kStart + 1000);  // not before a second had passed
  CHECK(rig.now <= kStart + 1100);  // and not much later: the wait ended when it was due

  // A new window on the same file (the restart after a kill) opens with the search typed.
  app::WindowLoop restarted(
      *rig.window, rig.store, [&rig] { return rig.now; }, [] {}, false);
  CHECK(restarted.restore_ui_session().empty());
  CHECK(restarted.ui_state().search == "oat milk");
  // A clean exit leaves nothing to reopen.
  restarted.clear_ui_session();
  CHECK_FALSE(rig.store.ui_session().has_value());
}

namespace {

bool atlas_has(const platform::Window& window, char32_t c) {
  return window.body_font()->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
}

bool drawable(const platform::Window& window, char32_t c) {
  for (const platform::CodepointRange& r : window.drawable_ranges())
    if (c >= r.first && c <= r.last) return true;
  return false;
}

}  // namespace

TEST_CASE("[loop] the font atlas starts small and gains a new script before the frame shows it") {
  Rig rig;
  rig.add_mention("latin", kStart - kDay);
  rig.open();
  rig.settle();
  const platform::Window& w = *rig.window;
  // At start: Latin-1 in the atlas; Greek and Hebrew not yet, though the font can draw them
  // (so posts in them are not replaced by marks).
  CHECK(atlas_has(w, U'\u00f1'));        // ñ
  CHECK_FALSE(atlas_has(w, U'\u039a'));  // Κ
  CHECK_FALSE(atlas_has(w, U'\u05e9'));  // ש
  CHECK(drawable(w, U'\u039a'));
  CHECK(drawable(w, U'\u05e9'));
  CHECK(w.font_atlas_builds() == 1);

  // A post in Greek and Hebrew arrives: the frame that draws it has the glyphs.
  const std::string greek = "\xce\x9a\xce\xb1\xce\xbb\xce\xae \xce\xbc\xce\xad\xcf\x81\xce\xb1";
  const std::string hebrew = "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d";
  {
    store::Store other(rig.db);
    other.upsert_mentions(
        {{"greek", "s1", "google", "Eleni", greek + " " + hebrew, "", rig.now - kMinute}}, rig.now);
  }
  rig.window->push_input();
  REQUIRE(rig.loop->turn());
  bool shown = false;
  for (const std::string& t : rig.loop->ui_state().drawn_text)
    if (t.find(greek) != std::string::npos) shown = true;
  CHECK(shown);
  CHECK(atlas_has(w, U'\u039a'));
  CHECK(atlas_has(w, U'\u03bc'));  // μ
  CHECK(atlas_has(w, U'\u05e9'));
  CHECK(atlas_has(w, U'\u00f1'));  // what it had stays
  CHECK(w.font_atlas_builds() == 2);

  // More of the same letters, and emoji (never in the atlas), rebuild nothing.
  {
    store::Store other(rig.db);
    other.upsert_mentions(
        {{"greek2", "s1", "google", "Nikos", "\xce\xbc\xce\xb1 \xf0\x9f\x98\x8d", "", rig.now}},
        rig.now);
  }
  rig.window->push_input();
  REQUIRE(rig.loop->turn());
  rig.settle();
  CHECK(w.font_atlas_builds() == 2);
  CHECK_FALSE(rig.window->request_glyphs("\xce\x9a \xf0\x9f\x98\x8d plain"));
}

TEST_CASE("[loop] a character typed on a keyboard is in the atlas in the frame that draws it") {
  Rig rig;
  rig.open();
  rig.settle();
  const int builds = rig.window->font_atlas_builds();
  CHECK_FALSE(atlas_has(*rig.window, U'\u0416'));  // Ж
  rig.window->inject_text("\xd0\x96");
  rig.window->begin_frame();
  CHECK(atlas_has(*rig.window, U'\u0416'));
  rig.window->end_frame();
  CHECK(rig.window->font_atlas_builds() == builds + 1);
}
