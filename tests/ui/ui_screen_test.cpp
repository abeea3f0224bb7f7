// The kiosk screen without a window: an ImGui context with a built font atlas, one
// NewFrame/draw/Render per frame, and the recorded text and touch targets checked.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/feed_screen.h"
#include "kiosk/ui/kiosk_screen.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/pin_pad.h"
#include "kiosk/ui/status_bar.h"
#include "kiosk/ui/theme.h"
#include "tests/ui/demo_view.h"

namespace {

using kiosk::ui::Intents;
using kiosk::ui::UiState;
using kiosk::ui::ViewState;

struct HeadlessImGui {
  HeadlessImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280.0f, 800.0f);
    io.DeltaTime = 1.0f / 60.0f;
    ImFontConfig config;
    config.SizePixels = 20.0f;
    io.Fonts->AddFontDefault(&config);
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    kiosk::ui::apply_theme(1.0f);
    kiosk::ui::test::use_english_texts();
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;

  void frame(const ViewState& view, UiState& ui, Intents& intents) {
    ui.now_ms = kiosk::ui::test::demo_now_ms;
    ImGui::NewFrame();
    kiosk::ui::draw_kiosk_screen(view, ui, intents);
    ImGui::Render();
  }

  void pointer(float x, float y, bool down) {
    ImGui::GetIO().MousePos = ImVec2(x, y);
    ImGui::GetIO().MouseDown[0] = down;
  }

  // A finger on the named target: up, down, up, then a few frames for the screen to react.
  void tap(const ViewState& view, UiState& ui, Intents& intents, const std::string& name) {
    REQUIRE(ui.hit_rects.count(name) == 1);
    const auto r = ui.hit_rects.at(name);
    pointer(r.center_x(), r.center_y(), false);
    frame(view, ui, intents);
    pointer(r.center_x(), r.center_y(), true);
    frame(view, ui, intents);
    pointer(r.center_x(), r.center_y(), false);
    for (int i = 0; i < 3; ++i) frame(view, ui, intents);
  }
};

bool drew(const UiState& ui, const std::string& text) {
  return std::find(ui.drawn_text.begin(), ui.drawn_text.end(), text) != ui.drawn_text.end();
}

}  // namespace

TEST_CASE("[ui][status] status bar says offline, waiting, last sync and the error") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  UiState ui;
  ui.record = true;
  Intents intents;

  SUBCASE("offline") {
    imgui.frame(view, ui, intents);
    CHECK(drew(ui, "Offline"));
    CHECK(drew(ui, "3 waiting to send"));
    CHECK(drew(ui, "Last sync: 3 min ago"));
    CHECK(drew(ui, "Sync failed; trying again"));
    CHECK_FALSE(drew(ui, "Online"));
  }
  SUBCASE("online") {
    view.sync.online = true;
    view.sync.events_waiting = 0;
    view.sync.failed = false;
    imgui.frame(view, ui, intents);
    CHECK(drew(ui, "Online"));
    CHECK(drew(ui, "Nothing waiting to send"));
    CHECK_FALSE(drew(ui, "Offline"));
  }
  SUBCASE("not enrolled, never synced") {
    view.sync = {};
    imgui.frame(view, ui, intents);
    CHECK(drew(ui, "Not enrolled with head office"));
    CHECK(drew(ui, "Never synced"));
    CHECK_FALSE(drew(ui, "Offline"));
  }
  SUBCASE("one waiting") {
    view.sync.events_waiting = 1;
    imgui.frame(view, ui, intents);
    CHECK(drew(ui, "1 waiting to send"));
  }
}

TEST_CASE("[ui][feed] empty feed shows a friendly line; cards show their escalation state") {
  HeadlessImGui imgui;
  UiState ui;
  ui.record = true;
  Intents intents;

  SUBCASE("empty") {
    ViewState view = kiosk::ui::test::demo_view();
    view.feed.clear();
    imgui.frame(view, ui, intents);
    CHECK(drew(ui, "No mentions yet. New posts about this store appear here."));
    CHECK(ui.hit_rects.empty() == false);  // the Sync now button is still there
  }
  SUBCASE("cards") {
    const ViewState view = kiosk::ui::test::demo_view();
    imgui.frame(view, ui, intents);
    CHECK(drew(ui, "Riverside Market #112"));
    CHECK(drew(ui, kiosk::ui::test::queue_text));
    CHECK(drew(ui, "Acknowledged by head office (by Dana at HQ)"));
    CHECK(drew(ui, "mastodon"));
    CHECK(drew(ui, "2 min ago"));
    CHECK(ui.hit_rects.count("escalate:mastodon:111") == 1);
    CHECK(ui.hit_rects.count("sync_now") == 1);
  }
  SUBCASE("progress lines") {
    kiosk::ui::MentionCard card;
    card.escalation_progress = kiosk::core::EscalationProgress::queued_on_terminal;
    CHECK(kiosk::ui::feed::progress_line(card) == "Queued on this terminal");
    card.escalation_progress = kiosk::core::EscalationProgress::delivered_to_hq;
    CHECK(kiosk::ui::feed::progress_line(card) == "Delivered to head office");
    card.escalation_progress = kiosk::core::EscalationProgress::acknowledged;
    CHECK(kiosk::ui::feed::progress_line(card) == "Acknowledged by head office");
    card.escalation_progress = kiosk::core::EscalationProgress::resolved;
    CHECK(kiosk::ui::feed::progress_line(card) == "Resolved");
  }
  SUBCASE("reach counts read as English: one of each is singular") {
    kiosk::core::Reach r;
    r.author_followers = 1;
    r.likes = 1;
    r.reposts = 1;
    r.replies = 1;
    CHECK(kiosk::ui::feed::reach_line(r) ==
          "1 follower  \xC2\xB7  1 like  \xC2\xB7  1 repost  \xC2\xB7  1 reply");
    r.author_followers = 5400;
    r.likes = 0;
    r.reposts = 2;
    r.replies.reset();  // not counted by the source: not shown
    CHECK(kiosk::ui::feed::reach_line(r) ==
          "5,400 followers  \xC2\xB7  0 likes  \xC2\xB7  2 reposts");
  }
}

TEST_CASE("[ui][intents] Sync now and Cancel, driven by scripted pointer") {
  HeadlessImGui imgui;
  const ViewState view = [] {
    ViewState v = kiosk::ui::test::demo_view();
    v.tapped_in =
        kiosk::core::StaffMember{"ana", "Ana Lopez", kiosk::core::StaffRole::associate, "en"};
    return v;
  }();
  UiState ui;
  ui.record = true;
  Intents intents;
  auto tap = [&](const std::string& name) { imgui.tap(view, ui, intents, name); };
  imgui.frame(view, ui, intents);
  tap("sync_now");
  REQUIRE(intents.size() == 1);
  CHECK(std::holds_alternative<kiosk::ui::RequestSyncNow>(intents.front()));
  intents.clear();

  tap("escalate:mastodon:111");
  CHECK(ui.dialog_mention_id == "mastodon:111");
  CHECK(drew(ui, "Escalate to head office"));
  tap("severity:critical");
  CHECK(ui.dialog_severity == kiosk::core::Severity::critical);
  tap("cancel");
  CHECK(ui.dialog_mention_id.empty());
  CHECK(intents.empty());
}

TEST_CASE("[ui][escalate] the dialog starts on the post's triage category; a chip changes it") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  view.feed.front().category = kiosk::core::Category::wait_time;
  view.tapped_in =
      kiosk::core::StaffMember{"ana", "Ana Lopez", kiosk::core::StaffRole::associate, "en"};
  UiState ui;
  ui.record = true;
  Intents intents;
  auto tap = [&](const std::string& name) { imgui.tap(view, ui, intents, name); };
  imgui.frame(view, ui, intents);

  tap("escalate:mastodon:111");
  CHECK(ui.dialog_category == kiosk::core::Category::wait_time);
  CHECK(ui.hit_rects.count("category:praise") == 0);  // praise is not a problem to escalate
  tap("confirm");
  REQUIRE(intents.size() == 1);
  const auto* first = std::get_if<kiosk::ui::RequestEscalate>(&intents.front());
  REQUIRE(first != nullptr);
  CHECK(first->category == kiosk::core::Category::wait_time);
  CHECK(first->staff_id == "ana");
  intents.clear();

  // Staff know better than the lexicon: the chip they tap is what is sent.
  tap("escalate:mastodon:111");
  tap("category:cleanliness");
  tap("severity:high");
  tap("confirm");
  REQUIRE(intents.size() == 1);
  const auto* second = std::get_if<kiosk::ui::RequestEscalate>(&intents.front());
  REQUIRE(second != nullptr);
  CHECK(second->category == kiosk::core::Category::cleanliness);
  CHECK(second->severity == kiosk::core::Severity::high);
}

TEST_CASE("[ui][staff] nobody tapped in: Escalate opens the PIN pad; the pad types dots") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  view.staff = {{"ana", "Ana Lopez", 0}, {"max", "Max Weber", 0}};
  UiState ui;
  ui.record = true;
  ui.now_ms = 1'732'320'000'000;
  Intents intents;
  auto tap = [&](const std::string& name) {
    REQUIRE_MESSAGE(ui.hit_rects.count(name) == 1, name);
    const auto r = ui.hit_rects.at(name);
    imgui.pointer(r.center_x(), r.center_y(), false);
    imgui.frame(view, ui, intents);
    imgui.pointer(r.center_x(), r.center_y(), true);
    imgui.frame(view, ui, intents);
    imgui.pointer(r.center_x(), r.center_y(), false);
    for (int i = 0; i < 3; ++i) imgui.frame(view, ui, intents);
  };
  imgui.frame(view, ui, intents);
  CHECK(drew(ui, "Read only"));
  tap("escalate:mastodon:111");
  CHECK(ui.dialog_mention_id.empty());
  CHECK(drew(ui, "Tap in with your PIN"));
  CHECK(drew(ui, "Who are you?"));
  tap("staff:ana");
  CHECK(drew(ui, "PIN for Ana Lopez"));
  // Keys are touch-sized: at least 48 px at scale 1.
  CHECK(ui.hit_rects.at("pin:5").height() >= 48.0f);
  CHECK(ui.hit_rects.at("pin:ok").height() >= 48.0f);
  for (const char* key : {"pin:4", "pin:8", "pin:2", "pin:9", "pin:back", "pin:1"}) tap(key);
  CHECK(ui.pin_digits == "4821");
  CHECK(drew(ui, "\xE2\x80\xA2 \xE2\x80\xA2 \xE2\x80\xA2 \xE2\x80\xA2"));
  CHECK_FALSE(drew(ui, "4821"));
  tap("pin:ok");
  REQUIRE(intents.size() == 1);
  const auto* tap_in = std::get_if<kiosk::ui::RequestTapIn>(&intents.front());
  REQUIRE(tap_in != nullptr);
  CHECK(tap_in->staff_id == "ana");
  CHECK(tap_in->pin == "4821");
  intents.clear();

  // The answer: a wrong PIN, then a lockout that disables the keys and counts down.
  view.pin_feedback = {"ana", true, 2, 0, false, ui.pin_seen_attempt};
  imgui.frame(view, ui, intents);
  CHECK(drew(ui, "Wrong PIN, 2 tries left"));
  view.pin_feedback = {"ana", true, 0, ui.now_ms + 30'000, false, ui.pin_seen_attempt};
  imgui.frame(view, ui, intents);
  CHECK(drew(ui, "Locked for 30 s"));
  REQUIRE(ui.next_label_change_ms.has_value());
  CHECK(*ui.next_label_change_ms <= ui.now_ms + 1000);
  tap("pin:7");
  CHECK(ui.pin_digits.empty());
  ui.now_ms += 30'000;
  imgui.frame(view, ui, intents);
  CHECK_FALSE(drew(ui, "Locked for"));

  // Tapped in: the pad closes and the Escalate dialog it was opened for follows.
  view.tapped_in =
      kiosk::core::StaffMember{"ana", "Ana Lopez", kiosk::core::StaffRole::associate, "en"};
  for (int i = 0; i < 3; ++i) imgui.frame(view, ui, intents);
  CHECK_FALSE(ui.pin_pad_open);
  CHECK(ui.dialog_mention_id == "mastodon:111");
  CHECK(drew(ui, "Escalate to head office"));
  CHECK(drew(ui, "Tapped in: Ana Lopez"));
  tap("confirm");
  REQUIRE(intents.size() == 1);
  const auto* esc = std::get_if<kiosk::ui::RequestEscalate>(&intents.front());
  REQUIRE(esc != nullptr);
  CHECK(esc->staff_id == "ana");
}

TEST_CASE("[ui][staff] a manager-only action offers managers only, with an associate tapped in") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  view.staff = {{"ana", "Ana Lopez", 0, kiosk::core::StaffRole::associate},
                {"max", "Max Weber", 0, kiosk::core::StaffRole::manager}};
  view.tapped_in =
      kiosk::core::StaffMember{"ana", "Ana Lopez", kiosk::core::StaffRole::associate, "en"};
  UiState ui;
  ui.record = true;
  Intents intents;
  // What a settings or leave-the-app screen does when access_for() says so.
  REQUIRE(kiosk::core::access_for(view.tapped_in, kiosk::core::StaffAction::open_settings) ==
          kiosk::core::Access::needs_manager);
  kiosk::ui::pin_pad::open_for_manager(ui);
  for (int i = 0; i < 3; ++i) imgui.frame(view, ui, intents);
  CHECK(ui.pin_pad_open);  // Ana being tapped in does not close it
  CHECK(ui.hit_rects.count("staff:max") == 1);
  CHECK(ui.hit_rects.count("staff:ana") == 0);
  view.tapped_in =
      kiosk::core::StaffMember{"max", "Max Weber", kiosk::core::StaffRole::manager, "en"};
  for (int i = 0; i < 3; ++i) imgui.frame(view, ui, intents);
  CHECK_FALSE(ui.pin_pad_open);
}

TEST_CASE("[ui][strings] every key draws the shipped text, never its own name") {
  // Runs alone as well as after the others: it loads the catalog itself.
  kiosk::ui::test::use_english_texts();
  for (int i = 0; i < static_cast<int>(kiosk::ui::Str::count_); ++i) {
    const auto key = static_cast<kiosk::ui::Str>(i);
    CAPTURE(kiosk::ui::key_name(key));
    CHECK_FALSE(kiosk::ui::tr(key).empty());
    CHECK(kiosk::ui::tr(key).find(kiosk::ui::key_name(key)) == std::string_view::npos);
  }
  CHECK(kiosk::ui::tr(kiosk::ui::Str::waiting_many, "7") == "7 waiting to send");
  CHECK(kiosk::ui::tr(kiosk::ui::Str::progress_not_accepted, "note too long") ==
        "Not accepted by head office: note too long");
}

TEST_CASE("[ui][strings] with no catalog a gap shows as a bracketed key, not as real text") {
  kiosk::ui::use_catalog({});
  CHECK(kiosk::ui::tr(kiosk::ui::Str::escalate) == "[escalate]");
  CHECK(kiosk::ui::tr(kiosk::ui::Str::waiting_many, "7") == "[waiting_many]");
  kiosk::ui::test::use_english_texts();  // leave the shipped texts for later cases
}

TEST_CASE(
    "[ui][feed] a long feed draws only the cards on screen; cards are as tall as their text") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  view.feed.clear();
  for (int i = 0; i < 10000; ++i) {
    kiosk::ui::MentionCard card;
    card.mention_id = "m";
    card.mention_id += std::to_string(i);
    card.source = "google";
    card.created_at_ms = kiosk::ui::test::demo_now_ms - 3600'000;
    card.text = "card ";  // appended piecewise: GCC 12 -O2 gives a false -Wrestrict on "a" + b
    card.text += std::to_string(i);
    card.text += " word";
    view.feed.push_back(card);
  }
  view.feed[0].text = "card 0";
  for (int w = 0; w < 200; ++w) view.feed[0].text += " word";
  UiState ui;
  ui.record = true;
  Intents intents;
  imgui.frame(view, ui, intents);
  const auto cards = std::count_if(ui.drawn_text.begin(), ui.drawn_text.end(),
                                   [](const std::string& t) { return t.rfind("card ", 0) == 0; });
  CHECK(cards >= 2);
  CHECK(cards < 20);
  const auto first = std::find_if(ui.drawn_text.begin(), ui.drawn_text.end(),
                                  [](const std::string& t) { return t.rfind("card 0", 0) == 0; });
  REQUIRE(first != ui.drawn_text.end());
  // The 200-word post is shown whole, on a card taller than the short one below it.
  CHECK(*first == view.feed[0].text);
  REQUIRE(ui.hit_rects.count("escalate:m0") == 1);
  const float first_bottom = ui.hit_rects.at("escalate:m0").max_y;
  if (ui.hit_rects.count("escalate:m1") == 1 && ui.hit_rects.count("escalate:m2") == 1) {
    const float second =
        ui.hit_rects.at("escalate:m2").max_y - ui.hit_rects.at("escalate:m1").max_y;
    CHECK(ui.hit_rects.at("escalate:m1").max_y - first_bottom > second);
  }

  // A wall of text still ends, in an ellipsis.
  for (int w = 0; w < 3000; ++w) view.feed[0].text += " word";
  imgui.frame(view, ui, intents);
  const auto wall = std::find_if(ui.drawn_text.begin(), ui.drawn_text.end(),
                                 [](const std::string& t) { return t.rfind("card 0", 0) == 0; });
  REQUIRE(wall != ui.drawn_text.end());
  CHECK(wall->size() < view.feed[0].text.size());
  CHECK(wall->substr(wall->size() - 3) == "\xE2\x80\xA6");
}

TEST_CASE("[ui][error] a tap that could not be saved is shown to staff, not swallowed") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  UiState ui;
  ui.record = true;
  Intents intents;
  imgui.frame(view, ui, intents);
  const std::string message = "Escalation not saved: The disk is full while updating the database.";
  CHECK_FALSE(drew(ui, message));
  view.action_error = message;
  imgui.frame(view, ui, intents);
  CHECK(drew(ui, message));
}

TEST_CASE(
    "[ui][reply] the reply dialog shows the coach's hints as staff type; the card shows "
    "head office's outcome") {
  HeadlessImGui imgui;
  ViewState view = kiosk::ui::test::demo_view();
  view.tapped_in = kiosk::core::StaffMember{"ana", "Ana", kiosk::core::StaffRole::associate, "en"};
  UiState ui;
  ui.record = true;
  Intents intents;
  auto tap = [&](const std::string& name) { imgui.tap(view, ui, intents, name); };
  imgui.frame(view, ui, intents);
  const std::string id = view.feed.front().mention_id;
  tap("reply:" + id);
  CHECK(ui.reply_mention_id == id);
  CHECK(drew(ui, "Draft a reply for head office to approve"));
  ui.reply_draft = "Sorry for any inconvenience, DM us";       // what staff typed so far
  for (int i = 0; i < 2; ++i) imgui.frame(view, ui, intents);  // the dialog grows to fit
  CHECK(drew(ui, "Coach"));
  CHECK(drew(ui, "Cut \"Sorry for any inconvenience\": it reads like a template."));
  tap("reply_send");
  REQUIRE(intents.size() == 1);
  const auto* sent = std::get_if<kiosk::ui::RequestSuggestReply>(&intents.front());
  REQUIRE(sent);
  CHECK(sent->mention_id == id);
  CHECK(sent->text == "Sorry for any inconvenience, DM us");
  CHECK(sent->staff_id == "ana");
  CHECK(ui.reply_mention_id.empty());

  view.feed.front().reply_outcome = "edited";
  view.feed.front().reply_text = "Sorry about the queue, ask for Dana.";
  view.feed.front().reply_comment = "Shorter";
  imgui.frame(view, ui, intents);
  CHECK(drew(ui,
             "Reply approved with changes: Sorry about the queue, ask for Dana. · Head "
             "office: Shorter"));
}
