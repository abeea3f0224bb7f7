// Escalations with authority, end to end: a real kiosk-hq on loopback (SQLite, or PostgreSQL
// when built with KIOSK_TEST_POSTGRESQL) with its admin JSON API, and the kiosk's own store,
// intents and sync client. An issue raised offline at the counter with no post is delivered,
// acknowledged by head office through the JSON API, and the terminal shows who; a manager's
// acknowledgement made offline reaches head office exactly once; a resolution at the store and
// a reassignment at head office converge; two terminals of one store acting apart while head
// office is down end, with head office, in the same state whatever order they sync in; bad
// input is refused with a sentence and loses nothing.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "kiosk/app/view/intent_applier.h"
#include "kiosk/core/escalation_actions.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/client/http_client.h"
#include "sync/client/sync_session.h"
#include "tests/integration/hq_fixture.h"

using namespace kiosk;
using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;
using nlohmann::json;

namespace {

constexpr const char* kAdminKey = "test-admin-key-0123456789";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Admin {
  std::string base;
  sync::client::HttpResponse get(const std::string& path, const char* key = kAdminKey) const {
    return sync::client::http_get({base + path, "", key});
  }
  sync::client::HttpResponse post(const std::string& path, const json& body,
                                  const char* key = kAdminKey) const {
    return sync::client::http_post({base + path, body.dump(), key});
  }
};

[[maybe_unused]] std::string error_message(const sync::client::HttpResponse& r) {
  const json j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"]["message"].get<std::string>() : r.body;
}

core::AcknowledgementState ack_state(store::Store& s, const std::string& id) {
  for (const auto& r : s.escalation_board(100))
    if (r.escalation.id == id)
      return core::acknowledgement_state(r.escalation, r.unsynced_action_ids);
  FAIL("escalation not on the board");
  return core::AcknowledgementState::not_acknowledged;
}

std::string enrolled_terminal(store::Store& s) {
  return s.enrollment()->terminal_id;
}

app::IntentEffects act(store::Store& s, const std::string& id, core::EscalationActionKind kind,
                       const std::string& text = {}) {
  return app::apply_intents({ui::RequestEscalationAction{id, kind, text, "manager-ana"}}, s,
                            now_ms(), nullptr);
}

// The manager every test acts as, added at head office before the terminal enrolls, so the
// first sync brings her down with the store's staff.
void add_manager(const TempDir& dir, HqFixture& hq) {
  std::ofstream(dir.file("manager.pin")) << "2468\n";
  hq.admin({"staff", "add", "--store", "s1", "--id", "manager-ana", "--name", "Ana Lopez", "--role",
            "manager", "--pin-file", dir.file("manager.pin")});
  std::ofstream(dir.file("associate.pin")) << "1357\n";
  hq.admin({"staff", "add", "--store", "s1", "--id", "sam", "--name", "Sam Ortiz", "--role",
            "associate", "--pin-file", dir.file("associate.pin")});
}

}  // namespace

// Store policies and categories live in head office's SQLite database only (the ladder), so
// this case runs on SQLite; the actions below run on both backends.
#ifndef KIOSK_TEST_POSTGRESQL
TEST_CASE("[escalation][e2e] raised offline with no post, acknowledged through the JSON API") {
  TempDir dir;
  HqFixture hq(dir);
  add_manager(dir, hq);
  hq.load_demo_mentions();
  std::ofstream(dir.file("s1.policy")) << "severity high\n"
                                          "  level Store manager 15m\n"
                                          "  level District manager 30m\n"
                                          "  respond_within 20m\n";
  hq.admin({"policy", "set", "--store", "s1", "--file", dir.file("s1.policy")});
  std::ofstream(dir.file("admin.key")) << kAdminKey << "\n";
  hq.start({"--admin-key-file", dir.file("admin.key")});
  const Admin admin{hq.url() + "/v1/admin/"};

  store::Store s(dir.file("kiosk.sqlite"));
  const auto enrolled = sync::client::enroll(s, {hq.url(), hq.enroll_code("s1"), "Till"});
  REQUIRE_MESSAGE(enrolled.ok, enrolled.error.text());
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  // The store's policy came down the changefeed: the terminal knows the response target.
  const auto policy = core::parse_store_policy(s.store_policy_text());
  REQUIRE(policy);
  REQUIRE(policy->for_severity(core::Severity::high));
  CHECK(policy->for_severity(core::Severity::high)->response_target_ms() == 20 * 60'000);

  // Head office is unreachable: the issue is raised at the counter anyway, with no post.
  hq.kill();
  const auto raised = app::apply_intents(
      {ui::RequestEscalate{"", core::Severity::high, "", core::Category::safety, "ana"}}, s,
      now_ms(), nullptr);
  REQUIRE(raised.error.empty());
  CHECK_FALSE(sync::client::sync_once(s, now_ms()).ok);
  const core::Escalation e = s.escalations().at(0);
  CHECK(s.sync_state().events_waiting == 1);

  hq.start({"--admin-key-file", dir.file("admin.key")});
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  CHECK(s.sync_state().events_waiting == 0);

  // The JSON API lists it by its filters; a wrong key, filter or store is refused clearly.
  auto listed = admin.get("escalations?store=s1&status=open&category=safety&severity=high");
  REQUIRE(listed.status == 200);
  const json list = json::parse(listed.body)["escalations"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == e.id);
  CHECK(list[0]["mention_id"] == "");
  CHECK(list[0]["staff_id"] == "ana");
  CHECK(list[0]["category"] == "safety");
  CHECK(admin.get("escalations", "wrong-key-0123456789").status == 401);
  const auto bad_category = admin.get("escalations?category=weather");
  CHECK(bad_category.status == 400);
  CHECK(error_message(bad_category).find("unknown category \"weather\"") != std::string::npos);
  CHECK(admin.get("escalations?severity=urgent").status == 400);
  const auto bad_store = admin.get("escalations?store=nowhere");
  CHECK(bad_store.status == 404);
  CHECK(error_message(bad_store).find("no store \"nowhere\"") != std::string::npos);
  const auto long_note =
      admin.post("escalations/" + e.id + "/note", {{"by", "HQ"}, {"text", std::string(4001, 'x')}});
  CHECK(long_note.status == 400);
  CHECK(error_message(long_note) == "The note is too long: 4,001 of 4,000 characters.");

  // Acknowledged at head office through the API; twice is a conflict that changes nothing.
  const auto acked = admin.post("escalations/" + e.id + "/acknowledge", {{"by", "HQ care Ruth"}});
  REQUIRE_MESSAGE(acked.status == 200, acked.body);
  CHECK(json::parse(acked.body)["escalation"]["status"] == "acknowledged");
  const auto again = admin.post("escalations/" + e.id + "/acknowledge", {{"by", "Someone else"}});
  CHECK(again.status == 409);
  CHECK(admin.get("escalations/" + e.id).status == 200);

  // The terminal shows it: acknowledged by head office, and by whom.
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const auto here = s.escalation(e.id);
  REQUIRE(here);
  CHECK(here->status == core::EscalationStatus::acknowledged);
  CHECK(here->acknowledged_by == "HQ care Ruth");
  CHECK(ack_state(s, e.id) == core::AcknowledgementState::by_head_office);
  REQUIRE(here->history.size() == 1);
  CHECK(here->history[0].terminal_id.empty());
}

#endif

TEST_CASE("[escalation][e2e] a manager's acknowledgement made offline reaches head office once") {
  TempDir dir;
  HqFixture hq(dir);
  add_manager(dir, hq);
  hq.load_demo_mentions();
  std::ofstream(dir.file("admin.key")) << kAdminKey << "\n";
  hq.start({"--admin-key-file", dir.file("admin.key")});
  const Admin admin{hq.url() + "/v1/admin/"};

  store::Store s(dir.file("kiosk.sqlite"));
  REQUIRE(sync::client::enroll(s, {hq.url(), hq.enroll_code("s1"), "Till"}).ok);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const std::string mention = s.recent_mentions(1).at(0).id;
  const auto e =
      s.escalate(mention, core::Severity::high, "queue", now_ms(), core::Category::wait_time);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  const long events_before = hq.events();

  hq.kill();
  // Only a manager acts on an escalation: an associate, nobody, or a stranger is refused in
  // words and nothing is queued.
  const auto queued_before = s.sync_state().events_waiting;
  const auto by_associate = app::apply_intents(
      {ui::RequestEscalationAction{e.id, core::EscalationActionKind::acknowledge, "", "sam"}}, s,
      now_ms(), nullptr);
  CHECK(by_associate.error ==
        "Not saved: only a manager on this terminal can acknowledge an escalation (\"sam\" is "
        "not one).");
  const auto by_nobody = app::apply_intents(
      {ui::RequestEscalationAction{e.id, core::EscalationActionKind::acknowledge, "", ""}}, s,
      now_ms(), nullptr);
  CHECK(by_nobody.error.find("tap in with a manager's PIN") != std::string::npos);
  CHECK(s.sync_state().events_waiting == queued_before);
  CHECK(s.escalation(e.id)->history.empty());

  REQUIRE(act(s, e.id, core::EscalationActionKind::acknowledge).error.empty());
  CHECK(ack_state(s, e.id) == core::AcknowledgementState::here_not_synced);
  CHECK(s.escalation(e.id)->acknowledged_by == "manager-ana");
  // Bad input: too long a note, or acknowledging twice, is refused and nothing is queued.
  const auto waiting = s.sync_state().events_waiting;
  const auto too_long = act(s, e.id, core::EscalationActionKind::note, std::string(4001, 'n'));
  CHECK(too_long.error.find("The note is too long: 4,001 of 4,000 characters.") !=
        std::string::npos);
  const auto twice = act(s, e.id, core::EscalationActionKind::acknowledge);
  CHECK(twice.error == "Not saved: This escalation is already acknowledged.");
  CHECK(s.sync_state().events_waiting == waiting);
  CHECK(s.escalation(e.id)->history.size() == 1);
  CHECK_FALSE(sync::client::sync_once(s, now_ms()).ok);

  hq.start({"--admin-key-file", dir.file("admin.key")});
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);  // again: nothing more arrives
  CHECK(hq.events() == events_before + 1);
  CHECK(ack_state(s, e.id) == core::AcknowledgementState::here_synced);
  const json at_hq = json::parse(admin.get("escalations/" + e.id).body)["escalation"];
  CHECK(at_hq["status"] == "acknowledged");
  CHECK(at_hq["acknowledged_by"] == "manager-ana");
  REQUIRE(at_hq["history"].size() == 1);
  CHECK(at_hq["history"][0]["terminal_id"] == enrolled_terminal(s));
}

TEST_CASE("[escalation][e2e] resolved at the store while head office reassigns: both agree") {
  TempDir dir;
  HqFixture hq(dir);
  add_manager(dir, hq);
  hq.load_demo_mentions();
  std::ofstream(dir.file("admin.key")) << kAdminKey << "\n";
  hq.start({"--admin-key-file", dir.file("admin.key")});
  const Admin admin{hq.url() + "/v1/admin/"};

  store::Store s(dir.file("kiosk.sqlite"));
  REQUIRE(sync::client::enroll(s, {hq.url(), hq.enroll_code("s1"), "Till"}).ok);
  const auto e = s.escalate("", core::Severity::medium, "", now_ms(), core::Category::cleanliness);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);

  // Apart: the store resolves (offline), head office reassigns.
  REQUIRE(act(s, e.id, core::EscalationActionKind::resolve, "Mopped and signed").error.empty());
  REQUIRE(admin
              .post("escalations/" + e.id + "/reassign",
                    {{"by", "HQ"}, {"text", "District manager Ruth"}})
              .status == 200);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);

  const auto here = s.escalation(e.id);
  const json there = json::parse(admin.get("escalations/" + e.id).body)["escalation"];
  CHECK(here->status == core::EscalationStatus::resolved);
  CHECK(there["status"] == "resolved");
  CHECK(here->resolution_note == "Mopped and signed");
  CHECK(there["resolution_note"] == "Mopped and signed");
  CHECK(here->ladder_holder == "District manager Ruth");
  CHECK(there["ladder_holder"] == "District manager Ruth");
  CHECK(here->history.size() == 2);
  CHECK(there["history"].size() == 2);

  // Reopened at head office: a new generation, open again at the store too.
  REQUIRE(admin.post("escalations/" + e.id + "/reopen", {{"by", "HQ"}}).status == 200);
  REQUIRE(sync::client::sync_once(s, now_ms()).ok);
  CHECK(s.escalation(e.id)->status == core::EscalationStatus::open);
  CHECK(s.escalation(e.id)->generation == 1);
  hq.admin({"escalations", "list"});  // the CLI lists it too
}

TEST_CASE("[escalation][e2e] two terminals of one store act apart while partitioned: all agree") {
  TempDir dir;
  HqFixture hq(dir);
  add_manager(dir, hq);
  std::ofstream(dir.file("admin.key")) << kAdminKey << "\n";
  hq.start({"--admin-key-file", dir.file("admin.key")});
  const Admin admin{hq.url() + "/v1/admin/"};

  store::Store till(dir.file("till.sqlite"));
  store::Store office(dir.file("office.sqlite"));
  REQUIRE(sync::client::enroll(till, {hq.url(), hq.enroll_code("s1"), "Till"}).ok);
  REQUIRE(sync::client::enroll(office, {hq.url(), hq.enroll_code("s1"), "Back office"}).ok);
  const auto e = till.escalate("", core::Severity::high, "", now_ms(), core::Category::safety);
  REQUIRE(sync::client::sync_once(till, now_ms()).ok);
  REQUIRE(sync::client::sync_once(office, now_ms()).ok);
  REQUIRE(office.escalation(e.id));  // the other terminal has it from the changefeed
  const long events_before = hq.events();

  // Head office is down: the till resolves it with a note; the back office, still seeing it
  // open, adds a note and reassigns it; then the till reopens it.
  hq.kill();
  REQUIRE(
      act(till, e.id, core::EscalationActionKind::resolve, "Wet floor sign put out").error.empty());
  REQUIRE(
      act(office, e.id, core::EscalationActionKind::note, "Customer called back").error.empty());
  REQUIRE(act(office, e.id, core::EscalationActionKind::reassign, "District manager Ruth")
              .error.empty());
  REQUIRE(act(till, e.id, core::EscalationActionKind::reopen).error.empty());
  CHECK_FALSE(sync::client::sync_once(till, now_ms()).ok);
  CHECK_FALSE(sync::client::sync_once(office, now_ms()).ok);
  const std::size_t attempted = 4;

  // Head office is back; the terminals sync in one order or the other, more than once.
  hq.start({"--admin-key-file", dir.file("admin.key")});
  std::vector<store::Store*> order{&till, &office};
  SUBCASE("the till syncs first") {}
  SUBCASE("the back office syncs first") {
    std::swap(order[0], order[1]);
  }
  for (int round = 0; round < 3; ++round)
    for (auto* s : order) REQUIRE(sync::client::sync_once(*s, now_ms()).ok);

  const json there = json::parse(admin.get("escalations/" + e.id).body)["escalation"];
  INFO("head office's copy: ", there.dump());
  std::vector<std::string> hq_history;
  for (const auto& h : there["history"]) hq_history.push_back(h["id"].get<std::string>());
  const std::set<std::string> unique(hq_history.begin(), hq_history.end());
  const long received = hq.events() - events_before;
  std::printf(
      "partitioned terminals: attempted %zu, delivered %zu, duplicates %zu (HQ events +%ld)\n",
      attempted, unique.size(), hq_history.size() - unique.size(), received);
  std::fflush(stdout);
  CHECK(unique.size() == attempted);
  CHECK(hq_history.size() == attempted);
  CHECK(received == static_cast<long>(attempted));

  // Reopened wins over the stale resolution; the resolution note is the last written.
  CHECK(there.value("status", "") == "open");
  CHECK(there.value("generation", -1) == 1);
  CHECK(there.value("resolution_note", "") == "Wet floor sign put out");
  // Who holds it: the person it was reassigned to, everywhere, whichever order head office got
  // the reassignment and the reopening in (a reopening restarts the ladder, not the holder).
  const std::string holder = there.value("ladder_holder", "");
  CHECK(holder == "District manager Ruth");
  for (store::Store* s : {&till, &office}) {
    const auto here = s->escalation(e.id);
    REQUIRE(here);
    CHECK(here->status == core::EscalationStatus::open);
    CHECK(here->generation == 1);
    CHECK(here->resolution_note == "Wet floor sign put out");
    CHECK(here->ladder_holder == holder);
    CHECK(here->acknowledged_by == there.value("acknowledged_by", "?"));
    std::vector<std::string> ids;
    for (const auto& h : here->history) ids.push_back(h.id);
    CHECK(ids == hq_history);
    CHECK(s->sync_state().events_waiting == 0);
  }
}
