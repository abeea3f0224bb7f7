// The escalation ladder at head office: policy files through the CLI, the ladder on a real
// database (a SQLite file, or built as hq_ladder_pg_test a fresh PostgreSQL database) under a
// clock the test moves, two evaluators and two dispatchers sharing the database, and the
// senders (log, and a webhook to a real loopback receiver that fails, hangs, then answers).
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sync/hq/api/ladder.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/json_codec.h"
#include "tests/hq/hq_test_support.h"
#include "tests/support/canned_http_server.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::core::EscalationStatus;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::kiosk_hq;
using kiosk::sync::hq::test::TempDir;
using kiosk::sync::hq::test::test_database;
using kiosk::sync::hq::test::test_secret;

namespace {

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kT0 = 1'795'431'600'000;  // Monday 2026-11-23 11:00 UTC

const char* kPolicy = R"(utc_offset +00:00
hours daily 08:00-22:00

severity high
  level Store manager 15m
  level District manager 30m
  repeat 0
  resolve_within 2h
)";

struct Hq {
  TempDir dir;
  std::string db = test_database(dir);
  std::string secret = test_secret(dir);
  std::unique_ptr<hq::HqStorage> storage;
  std::int64_t now = kT0;
  hq::TerminalIdentity terminal{"T1", "S1"};

  Hq() {
    storage = open();
    REQUIRE(storage->add_store({"S1", "Downtown"}).ok());
    REQUIRE(storage->upsert_mentions("S1", {{"m1", "", "google", "a", "text", "", kT0}}, now).ok());
    set_policy(kPolicy);
  }
  // Another process's storage on the same database: its own connections, nothing shared.
  std::unique_ptr<hq::HqStorage> open() {
    auto opened = hq::open_hq_storage(db, hq::StorageMode::create_if_missing, secret);
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    return std::move(opened.value());
  }
  // kiosk-hq's CLI on this database, as head office runs it.
  kiosk::sync::hq::test::CliRun cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", db, "--secret-file", secret});
    return kiosk_hq(std::move(args));
  }
  void set_policy(const std::string& text) {
    std::ofstream(dir.file("p.policy")) << text;
    const auto r = cli({"policy", "set", "--store", "S1", "--file", dir.file("p.policy")});
    REQUIRE_MESSAGE(r.code == 0, r.err);
  }
  // A terminal delivers a new high escalation; returns its id.
  std::string raise(std::int64_t terminal_clock_ms = kT0) {
    protocol::Event e = escalation_event("m1");
    e.escalation.created_at_ms = terminal_clock_ms;
    e.escalation.status_changed_at_ms = terminal_clock_ms;
    protocol::SyncRequest req;
    req.events = {e};
    auto r = storage->sync(terminal, req, now);
    REQUIRE_MESSAGE(r.ok(), r.error());
    REQUIRE(r->acked.size() == 1);
    return e.escalation.id;
  }
  hq::LadderTick tick(hq::HqStorage& s) {
    hq::LadderRunner runner(s, [this] { return now; });
    auto t = runner.tick();
    REQUIRE_MESSAGE(t.ok(), t.error());
    return t.value();
  }
  hq::LadderTick tick() { return tick(*storage); }
  std::vector<std::string> recipients(const std::string& id) {
    auto list = storage->list_notifications(id);
    REQUIRE(list.ok());
    std::vector<std::string> out;
    for (const auto& n : list.value()) out.push_back(n.recipient);
    return out;
  }
  // The escalation as the store's terminals get it from the changefeed (its latest change).
  kiosk::core::Escalation as_terminal_sees(const std::string& id) {
    auto r = storage->sync(terminal, protocol::SyncRequest{}, now);
    REQUIRE(r.ok());
    kiosk::core::Escalation last;
    for (const auto& c : r->changes)
      if (c.escalation && c.escalation->id == id) last = *c.escalation;
    return last;
  }
};

// A sender that fails the first `failures` times.
struct FlakySender final : hq::NotificationSender {
  int failures = 0;
  int calls = 0;
  std::string name() const override { return "flaky"; }
  hq::SendOutcome send(const hq::OutgoingNotification&) override {
    ++calls;
    if (calls <= failures) return {false, "receiver down"};
    return {true, {}};
  }
};

}  // namespace

TEST_CASE("[ladder][cli] policy set checks the file; a bad one changes nothing and says why") {
  Hq h;
  std::ofstream(h.dir.file("bad.policy")) << "severity high\n  level Store manager 0m\n";
  auto r = h.cli({"policy", "set", "--store", "S1", "--file", h.dir.file("bad.policy")});
  CHECK(r.code == 1);
  CHECK(r.err.find("line 2: the timeout of level \"Store manager\": a duration must be more "
                   "than zero (\"0m\"); the store's policy is unchanged") != std::string::npos);
  std::ofstream(h.dir.file("empty.policy")) << "severity high\n";
  r = h.cli({"policy", "set", "--store", "S1", "--file", h.dir.file("empty.policy")});
  CHECK(r.err.find("severity high has no levels") != std::string::npos);
  std::ofstream(h.dir.file("zone.policy"))
      << "time_zone Mars/Olympus\nseverity high\n level A 5m\n";
  r = h.cli({"policy", "set", "--store", "S1", "--file", h.dir.file("zone.policy")});
  CHECK(r.err.find("unknown time zone \"Mars/Olympus\"") != std::string::npos);
  r = h.cli({"policy", "set", "--store", "NOPE", "--file", h.dir.file("p.policy")});
  CHECK(r.code == 1);
  CHECK(r.err.find("there is no store \"NOPE\"") != std::string::npos);

  r = h.cli({"policy", "show", "--store", "S1"});
  CHECK(r.code == 0);
  CHECK(r.out == kPolicy);  // the good policy set before is still there
}

TEST_CASE("[ladder] a zone from the system's zoneinfo: London's summer time moves opening") {
  auto london = hq::load_zone_offsets("Europe/London");
  REQUIRE_MESSAGE(london.ok(), london.error());
  CHECK(london->offset_at(kT0) == 0);                              // November: GMT
  CHECK(london->offset_at(kT0 - 150LL * 24 * 60 * kMin) == 3600);  // June: BST
  CHECK_FALSE(hq::load_zone_offsets("../etc/passwd").ok());
}

TEST_CASE("[ladder] climbs on HQ's clock, once, and stops on acknowledgement at HQ") {
  Hq h;
  // The terminal's clock is five hours ahead: nothing skips ahead because of it.
  const std::string id = h.raise(kT0 + 5 * 60 * kMin);
  CHECK(h.tick().notifications == 1);
  CHECK(h.recipients(id) == std::vector<std::string>{"Store manager"});
  CHECK(h.tick().notifications == 0);  // evaluated again: nothing twice

  kiosk::core::Escalation seen = h.as_terminal_sees(id);
  CHECK(seen.ladder_level == 0);
  CHECK(seen.ladder_holder == "Store manager");
  // The card's clock: the response target and the next climb, on head office's clock.
  CHECK(seen.respond_by_ms == kT0 + 15 * kMin);
  CHECK(seen.next_climb_at_ms == kT0 + 15 * kMin);

  h.now += 15 * kMin;
  CHECK(h.tick().notifications == 1);
  CHECK(h.recipients(id) == std::vector<std::string>{"Store manager", "District manager"});
  seen = h.as_terminal_sees(id);
  CHECK(seen.ladder_level == 1);
  CHECK(seen.ladder_holder == "District manager");
  CHECK_FALSE(seen.next_climb_at_ms.has_value());  // the last level: no further climb

  auto acked = h.storage->raise_escalation_status(id, EscalationStatus::acknowledged,
                                                  "District manager Ana", h.now + kMin);
  REQUIRE(acked.ok());
  h.now += 90 * kMin;
  CHECK(h.tick().notifications == 0);  // acknowledged: no climb
  h.now += 40 * kMin;                  // 2 h after the acknowledgement, still unresolved
  CHECK(h.tick().notifications == 1);
  auto list = h.storage->list_notifications(id);
  REQUIRE(list.ok());
  CHECK(list->back().kind == "reclimb");
  CHECK(list->back().reason == "acknowledged but not resolved within 2h");

  REQUIRE(h.storage->raise_escalation_status(id, EscalationStatus::resolved, "Ana", h.now).ok());
  h.now += 10 * 60 * kMin;
  CHECK(h.tick().evaluated == 0);
}

TEST_CASE("[ladder] two kiosk-hq processes on one database notify each step once") {
  Hq h;
  auto other = h.open();  // a second process's storage on the same file
  const std::string id = h.raise();
  h.now += 50 * kMin;  // both levels due
  const hq::LadderTick a = h.tick(*h.storage);
  const hq::LadderTick b = h.tick(*other);
  CHECK(a.notifications + b.notifications == 2);
  CHECK(h.recipients(id) == std::vector<std::string>{"Store manager", "District manager"});
}

TEST_CASE("[ladder] two processes evaluating at the same moment still notify each step once") {
  Hq h;
  auto other = h.open();
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(h.raise());
  h.now += 50 * kMin;  // both levels due for all six
  std::vector<hq::LadderTick> ticks(2);
  std::vector<std::string> errors(2);
  auto evaluate = [&h](hq::HqStorage& s, hq::LadderTick& out, std::string& error) {
    for (int round = 0; round < 3; ++round) {
      hq::LadderRunner runner(s, [&h] { return h.now; });
      auto t = runner.tick();
      if (!t) {
        error = t.error();
        return;
      }
      out.notifications += t->notifications;
      out.lost_races += t->lost_races;
    }
  };
  std::thread a([&] { evaluate(*h.storage, ticks[0], errors[0]); });
  std::thread b([&] { evaluate(*other, ticks[1], errors[1]); });
  a.join();
  b.join();
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());
  CHECK(ticks[0].notifications + ticks[1].notifications == 12);
  for (const auto& id : ids)
    CHECK(h.recipients(id) == std::vector<std::string>{"Store manager", "District manager"});
}

// A sender that takes a while and counts what it was given, from any thread.
struct CountingSender final : hq::NotificationSender {
  std::mutex mutex;
  std::vector<std::int64_t> sent;  // notification ids, in the order they were sent
  std::string name() const override { return "counting"; }
  hq::SendOutcome send(const hq::OutgoingNotification& n) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mutex);
    sent.push_back(n.id);
    return {true, {}};
  }
};

TEST_CASE("[ladder] two dispatchers on one database send each due notification once") {
  Hq h;
  auto other = h.open();
  for (int i = 0; i < 8; ++i) h.raise();
  h.now += 50 * kMin;
  CHECK(h.tick().notifications == 16);
  CountingSender sender;
  hq::DispatchPolicy policy;
  policy.batch = 3;  // several claims each, so the two interleave
  hq::NotificationDispatcher first(
      *h.storage, [&h] { return h.now; }, sender, policy);
  hq::NotificationDispatcher second(
      *other, [&h] { return h.now; }, sender, policy);
  std::vector<std::string> errors(2);
  auto drain = [](hq::NotificationDispatcher& d, std::string& error) {
    for (int i = 0; i < 20; ++i)
      if (auto r = d.run_once(); !r) error = r.error();
  };
  std::thread a([&] { drain(first, errors[0]); });
  std::thread b([&] { drain(second, errors[1]); });
  a.join();
  b.join();
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());
  CHECK(sender.sent.size() == 16);
  CHECK(std::set<std::int64_t>(sender.sent.begin(), sender.sent.end()).size() == 16);
  auto list = h.storage->list_notifications(std::nullopt);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 16);
  for (const auto& n : list.value()) {
    CHECK(n.state == "sent");
    CHECK(n.attempts == 1);
  }
}

TEST_CASE("[ladder] the dispatcher retries a failing sender with backoff, then gives up") {
  Hq h;
  const std::string id = h.raise();
  h.tick();
  FlakySender sender;
  sender.failures = 2;
  hq::DispatchPolicy policy;
  policy.retry_base_ms = 1000;
  hq::NotificationDispatcher out(
      *h.storage, [&h] { return h.now; }, sender, policy);
  CHECK(out.run_once().value() == 0);
  CHECK(out.run_once().value() == 0);  // not due again yet: backoff
  CHECK(sender.calls == 1);
  h.now += 1000;
  CHECK(out.run_once().value() == 0);
  h.now += 10'000;
  CHECK(out.run_once().value() == 1);
  auto list = h.storage->list_notifications(id);
  REQUIRE(list.ok());
  CHECK(list->front().state == "sent");
  CHECK(list->front().attempts == 3);
  CHECK(list->front().sender == "flaky");

  SUBCASE("a receiver that never works: marked failed with the reason, after max attempts") {
    h.now += 15 * kMin;
    h.tick();
    sender.failures = 1000;
    policy.max_attempts = 3;
    hq::NotificationDispatcher stubborn(
        *h.storage, [&h] { return h.now; }, sender, policy);
    for (int i = 0; i < 5; ++i, h.now += 60'000) REQUIRE(stubborn.run_once().ok());
    list = h.storage->list_notifications(id);
    CHECK(list->back().state == "failed");
    CHECK(list->back().attempts == 3);
    CHECK(list->back().last_error == "receiver down");
  }
}

TEST_CASE("[ladder][webhook] signed POSTs to a receiver that fails, hangs, then answers") {
  Hq h;
  const std::string id = h.raise();
  h.tick();
  kiosk::testing::CannedHttpServer receiver({{500, 0}, {200, 1500}, {200, 0}});
  const std::string secret = "a shared secret of some length";
  hq::WebhookSender sender(receiver.url(), secret, /*timeout_ms=*/500);
  hq::NotificationDispatcher out(
      *h.storage, [&h] { return h.now; }, sender);

  CHECK(out.run_once().value() == 0);  // 500
  h.now += 60'000;
  const auto started = std::chrono::steady_clock::now();
  CHECK(out.run_once().value() == 0);  // hangs: bounded by the timeout
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
  // The receiver answers one request at a time: let it finish hanging before the next try.
  while (receiver.requests() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  h.now += 60'000;
  CHECK(out.run_once().value() == 1);

  auto list = h.storage->list_notifications(id);
  REQUIRE(list.ok());
  CHECK(list->front().state == "sent");
  CHECK(list->front().attempts == 3);
  CHECK(list->front().sender == "webhook");

  const auto requests = receiver.received();
  REQUIRE(requests.size() == 3);
  const std::string& last = requests.back();
  const std::string body = last.substr(last.find("\r\n\r\n") + 4);
  const auto json = nlohmann::json::parse(body);
  CHECK(json["escalation_id"] == id);
  CHECK(json["recipient"] == "Store manager");
  CHECK(json["store_id"] == "S1");
  CHECK(json["attempt"] == 3);
  CHECK(last.find("X-Kiosk-Signature: sha256=" + hq::hmac_sha256_hex(secret, body)) !=
        std::string::npos);
}

TEST_CASE("[ladder][webhook] HMAC-SHA-256 matches the RFC 4231 test vector") {
  CHECK(hq::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("[ladder][cli] escalations list filters, and rejects unknown values in words") {
  Hq h;
  h.now = hq::system_now_ms() - 3 * 60 * kMin;  // received three hours ago, never acknowledged
  const std::string old_one = h.raise();
  h.now = hq::system_now_ms();
  const std::string new_one = h.raise();
  auto r = h.cli({"escalations", "list", "--breached", "--json"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  auto list = nlohmann::json::parse(r.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == old_one);
  CHECK(list[0]["breached"] == true);
  r = h.cli({"escalations", "list", "--older-than", "1h", "--json"});
  CHECK(nlohmann::json::parse(r.out).size() == 1);
  r = h.cli({"escalations", "list", "--status", "open", "--severity", "high", "--json"});
  CHECK(nlohmann::json::parse(r.out).size() == 2);
  r = h.cli({"escalations", "list", "--category", "wait_time", "--json"});
  CHECK(nlohmann::json::parse(r.out).empty());

  r = h.cli({"escalations", "list", "--category", "vibes"});
  CHECK(r.code == 1);
  CHECK(r.err.find("unknown category \"vibes\"; use wait_time") != std::string::npos);
  r = h.cli({"escalations", "list", "--severity", "urgent"});
  CHECK(r.err.find("unknown severity \"urgent\"") != std::string::npos);
  r = h.cli({"escalations", "list", "--store", "S9"});
  CHECK(r.code == 1);
  CHECK(r.err.find("there is no store \"S9\"") != std::string::npos);
  (void)new_one;
}

TEST_CASE("[ladder][report] time to acknowledge and resolve, breaches, by category and store") {
  Hq h;
  const std::int64_t start = hq::system_now_ms() - 10 * 60 * kMin;
  // Three escalations: acknowledged after 5, 10 and 40 minutes; the first two resolved after
  // 60 and 120 minutes (within 2 h of acknowledging). Only the 40-minute one breached the
  // 15-minute response target.
  const std::int64_t ack_after[] = {5, 10, 40};
  for (int i = 0; i < 3; ++i) {
    h.now = start + i * kMin;
    const std::string id = h.raise();
    REQUIRE(h.storage
                ->raise_escalation_status(id, EscalationStatus::acknowledged, "Ana",
                                          h.now + ack_after[i] * kMin)
                .ok());
    if (i < 2)
      REQUIRE(h.storage
                  ->raise_escalation_status(id, EscalationStatus::resolved, "Ana",
                                            h.now + (i + 1) * 60 * kMin)
                  .ok());
  }
  auto r = h.cli({"report", "escalations", "--json"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  const auto& all = j["overall"];
  CHECK(all["total"] == 3);
  CHECK(all["resolved"] == 2);
  CHECK(all["acknowledged"] == 1);
  CHECK(all["breached"] == 1);  // the one acknowledged after 40 minutes
  CHECK(all["time_to_acknowledge"]["median_ms"] == 10 * kMin);
  CHECK(all["time_to_acknowledge"]["p90_ms"] == 40 * kMin);
  CHECK(all["time_to_resolve"]["count"] == 2);
  CHECK(all["time_to_resolve"]["median_ms"] == 60 * kMin);
  CHECK(all["by_category"]["uncategorised"] == 3);
  CHECK(j["stores"]["S1"]["total"] == 3);

  r = h.cli({"report", "escalations"});
  CHECK(r.out.find("all stores") != std::string::npos);
  CHECK(r.out.find("10.0 min / 40.0 min") != std::string::npos);
}

TEST_CASE(
    "[ladder][cli] note and reassign reach the store's changefeed; bad input changes nothing") {
  Hq h;
  const std::string id = h.raise();
  auto r = h.cli({"note", "--escalation", id, "--text", "Called the customer back, voucher sent",
                  "--by", "Care team Bo"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  r = h.cli(
      {"reassign", "--escalation", id, "--to", "District manager Ana", "--by", "Care team Bo"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("is now held by District manager Ana") != std::string::npos);

  kiosk::core::Escalation seen = h.as_terminal_sees(id);
  CHECK(seen.ladder_holder == "District manager Ana");
  REQUIRE(seen.hq_notes.size() == 2);
  CHECK(seen.hq_notes[0].by == "Care team Bo");
  CHECK(seen.hq_notes[0].text == "Called the customer back, voucher sent");
  CHECK(seen.hq_notes[1].text == "Reassigned to District manager Ana");

  r = h.cli({"note", "--escalation", id, "--text", std::string(4001, 'x')});
  CHECK(r.code == 1);
  CHECK(r.err.find("too long") != std::string::npos);
  r = h.cli({"note", "--escalation", "no-such-id", "--text", "hello"});
  CHECK(r.code == 1);
  CHECK(r.err.find("there is no escalation with id no-such-id") != std::string::npos);
  CHECK(h.as_terminal_sees(id).hq_notes.size() == 2);  // nothing lost, nothing added

  // A later acknowledgement carries the notes too: the change is the whole escalation.
  r = h.cli({"ack", "--escalation", id});
  REQUIRE(r.code == 0);
  seen = h.as_terminal_sees(id);
  CHECK(seen.status == EscalationStatus::acknowledged);
  CHECK(seen.hq_notes.size() == 2);
}
