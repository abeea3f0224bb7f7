// kiosk-hq storage and API without a network: HqStorage on a temp SQLite file, or (built as
// hq_storage_pg_test) on a fresh PostgreSQL database; SyncApi called directly, time passed in
// (no sleeps).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/migrations.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/hq/storage/sqlite_hq_storage.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/sources/lexicon_files.h"
#include "tests/hq/hq_test_support.h"
#include "tests/support/process.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::core::EscalationStatus;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::TempDir;
using kiosk::sync::hq::test::test_database;
using kiosk::sync::hq::test::test_secret;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kT0 = 1'732'320'000'000;

struct Hq {
  TempDir dir;
  std::unique_ptr<hq::HqStorage> storage;
  std::int64_t now = kT0;
  std::unique_ptr<hq::SyncApi> api;

  Hq() {
    auto opened = hq::open_hq_storage(test_database(dir), hq::StorageMode::create_if_missing,
                                      test_secret(dir));
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    storage = std::move(opened.value());
    REQUIRE(storage->add_store({"S1", "Downtown"}).ok());
    REQUIRE(storage->add_store({"S2", "Uptown"}).ok());
    api = std::make_unique<hq::SyncApi>(*storage, [this] { return now; });
  }

  std::string code_for(const std::string& store, int hours = hq::kDefaultCodeValidHours) {
    auto code = hq::issue_enrollment_code(*storage, store, hours, now);
    REQUIRE_MESSAGE(code.ok(), code.error());
    return code.value();
  }

  hq::ApiResponse enroll(const std::string& code) {
    return api->handle({"POST", "/v1/enroll", "",
                        protocol::encode(protocol::EnrollRequest{code, "Front counter"}), false});
  }

  // An enrolled terminal of store: its identity as storage knows it, and its token.
  std::pair<hq::TerminalIdentity, std::string> terminal(const std::string& store) {
    auto r = enroll(code_for(store));
    REQUIRE(r.status == 200);
    auto e = protocol::decode_enroll_response(r.body);
    REQUIRE(e.ok());
    return {{e->terminal_id, e->store_id}, e->token};
  }

  // A mention head office knows at store, so escalations can be filed against it. Returns
  // the store's changefeed position after it.
  std::int64_t known_mention(const hq::TerminalIdentity& t, const std::string& id) {
    REQUIRE(
        storage->upsert_mentions(t.store_id, {{id, "", "google", "a", "text", "", kT0}}, now).ok());
    return sync(t, 0).cursor;
  }

  protocol::SyncResponse sync(const hq::TerminalIdentity& t, std::int64_t cursor,
                              std::vector<protocol::Event> events = {}) {
    protocol::SyncRequest req;
    req.cursor = cursor;
    req.events = std::move(events);
    auto r = storage->sync(t, req, now);
    REQUIRE_MESSAGE(r.ok(), r.error());
    return r.value();
  }

  // A sync with nothing to send that asks for pages of max_changes (0: does not ask).
  protocol::SyncResponse page(const hq::TerminalIdentity& t, std::int64_t cursor,
                              std::int64_t max_changes) {
    protocol::SyncRequest req;
    req.cursor = cursor;
    req.max_changes = max_changes;
    auto r = storage->sync(t, req, now);
    REQUIRE_MESSAGE(r.ok(), r.error());
    return r.value();
  }

  std::int64_t events() {
    auto n = storage->count_events();
    REQUIRE(n.ok());
    return n.value();
  }
};

std::string error_code(const hq::ApiResponse& r) {
  auto e = protocol::decode_error(r.body);
  REQUIRE_MESSAGE(e.ok(), r.body);
  return e->code;
}

}  // namespace

TEST_CASE("[hq][enroll] an enrollment code works once, and not after it expires") {
  Hq h;
  const std::string code = h.code_for("S1", /*hours=*/2);
  CHECK(code.size() == 12);  // ABCD-EFGH-JK
  CHECK(code.find_first_of("01OI") == std::string::npos);

  SUBCASE("first use enrolls into the code's store, a second use is refused") {
    auto first = h.enroll(code);
    REQUIRE(first.status == 200);
    auto e = protocol::decode_enroll_response(first.body);
    REQUIRE(e.ok());
    CHECK(e->store_id == "S1");
    CHECK(e->store_name == "Downtown");
    CHECK(e->token.size() >= 40);

    auto second = h.enroll(code);
    CHECK(second.status == 403);
    CHECK(error_code(second) == "bad_enrollment_code");
    CHECK(second.body.find("kiosk-hq enroll-code --store") != std::string::npos);
  }
  SUBCASE("typed in lower case without dashes it is the same code") {
    std::string typed;
    for (char c : code)
      if (c != '-') typed.push_back(static_cast<char>(std::tolower(c)));
    CHECK(h.enroll(typed).status == 200);
  }
  SUBCASE("after its validity it is refused") {
    h.now += 2 * kHour + 1;
    CHECK(h.enroll(code).status == 403);
  }
  SUBCASE("a made-up code is refused") {
    CHECK(h.enroll("ABCD-EFGH-JK").status == 403);
  }
  SUBCASE("a code for an unknown store cannot be made") {
    auto r = hq::issue_enrollment_code(*h.storage, "S9", 1, h.now);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("kiosk-hq store add") != std::string::npos);
  }
}

TEST_CASE("[hq][auth] sync answers only a terminal with its own token") {
  Hq h;
  auto [terminal, token] = h.terminal("S1");
  const std::string body = protocol::encode(protocol::SyncRequest{});

  CHECK(h.api->handle({"POST", "/v1/sync", "Bearer " + token, body, false}).status == 200);

  auto none = h.api->handle({"POST", "/v1/sync", "", body, false});
  CHECK(none.status == 401);
  CHECK(error_code(none) == "unauthorized");
  CHECK(none.body.find("enroll") != std::string::npos);
  CHECK(h.api->handle({"POST", "/v1/sync", "Bearer nope", body, false}).status == 401);
  CHECK(h.api->handle({"POST", "/v1/sync", token, body, false}).status == 401);  // no "Bearer"
  // The stored form is a hash, never the token itself.
  CHECK(h.storage->find_terminal_by_token_hash(token).value() == std::nullopt);
  CHECK(
      h.storage->find_terminal_by_token_hash(h.storage->hash_secret(token)).value()->terminal_id ==
      terminal.terminal_id);
}

TEST_CASE("[hq][sync] an event is applied at most once, however often it is sent") {
  Hq h;
  auto [t, token] = h.terminal("S1");
  const auto event = escalation_event();
  const std::int64_t base = h.known_mention(t, event.escalation.mention_id);

  auto first = h.sync(t, base, {event});
  CHECK(first.acked == std::vector<std::string>{event.id});
  REQUIRE(first.changes.size() == 1);
  CHECK(first.changes[0].kind == "escalation");
  CHECK(first.changes[0].escalation->id == event.escalation.id);
  CHECK(first.changes[0].escalation->note == event.escalation.note);

  // The response was lost; the terminal retries the same batch with its old cursor.
  auto retry = h.sync(t, base, {event, event});
  CHECK(retry.acked == std::vector<std::string>{event.id, event.id});
  CHECK(retry.rejected.empty());
  CHECK(retry.changes.size() == 1);
  CHECK(h.events() == 1);
  auto list = h.storage->list_escalations("S1");
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list->at(0).store_id == "S1");
  CHECK(list->at(0).origin_terminal_id == t.terminal_id);
}

TEST_CASE("[hq][isolation] a terminal sees only its own store") {
  Hq h;
  auto [a, token_a] = h.terminal("S1");
  auto [b, token_b] = h.terminal("S2");

  const auto of_b = escalation_event("google:7", "S2 only");
  h.known_mention(b, "google:7");
  h.sync(b, 0, {of_b});
  kiosk::core::Mention m{"mastodon:42", "S1", "mastodon", "ann", "great staff in Uptown", "", kT0};
  REQUIRE(h.storage->upsert_mentions("S2", {m}, h.now).ok());  // its store_id says S1: ignored

  auto seen_by_a = h.sync(a, 0);
  CHECK(seen_by_a.changes.empty());
  auto seen_by_b = h.sync(b, 0);
  REQUIRE(seen_by_b.changes.size() == 3);  // its mention, its escalation, the new mention
  CHECK(seen_by_b.changes[2].mention->store_id == "S2");

  SUBCASE("an escalation id of another store is rejected with a reason, and not moved") {
    auto forged = escalation_event();
    forged.escalation.id = of_b.escalation.id;
    forged.escalation.status = EscalationStatus::resolved;
    auto r = h.sync(a, 0, {forged});
    CHECK(r.acked.empty());
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].id == forged.id);
    CHECK(r.rejected[0].reason.find("another store") != std::string::npos);
    auto list = h.storage->list_escalations("S2");
    CHECK(list->at(0).escalation.status == EscalationStatus::open);
    CHECK(h.sync(a, 0).changes.empty());
    CHECK(h.events() == 1);
  }
}

TEST_CASE("[hq][paging] changes come in order, in pages, and the cursor never goes back") {
  Hq h;
  auto [t, token] = h.terminal("S1");
  const std::size_t page = protocol::kMaxChangesPerResponse;
  std::vector<kiosk::core::Mention> mentions;
  for (std::size_t i = 0; i < page * 2 + 7; ++i)
    mentions.push_back({"rss:" + std::to_string(i), "", "rss", "", "text", "", kT0});
  auto counts = h.storage->upsert_mentions("S1", mentions, h.now);
  REQUIRE(counts.ok());
  CHECK(counts->added == static_cast<int>(mentions.size()));

  std::int64_t cursor = 0;
  std::vector<std::string> ids;
  std::vector<bool> more;
  for (int round = 0; round < 3; ++round) {
    auto r = h.sync(t, cursor);
    CHECK(r.cursor > cursor);
    for (std::size_t i = 0; i < r.changes.size(); ++i) {
      if (i > 0) CHECK(r.changes[i].seq > r.changes[i - 1].seq);
      ids.push_back(r.changes[i].mention->id);
    }
    CHECK(r.cursor == r.changes.back().seq);
    more.push_back(r.more);
    cursor = r.cursor;
  }
  CHECK(more == std::vector<bool>{true, true, false});
  REQUIRE(ids.size() == mentions.size());
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == mentions[i].id);

  auto idle = h.sync(t, cursor);
  CHECK(idle.changes.empty());
  CHECK(idle.cursor == cursor);
  CHECK_FALSE(idle.more);

  // Loading the same file again changes nothing and sends nothing down.
  auto again = h.storage->upsert_mentions("S1", mentions, h.now);
  CHECK(again->unchanged == static_cast<int>(mentions.size()));
  CHECK(h.sync(t, cursor).changes.empty());
}

TEST_CASE(
    "[hq][paging] a terminal that asks for large pages gets them, capped by count and bytes") {
  Hq h;
  auto [t, token] = h.terminal("S1");
  // 12,000 short mentions: more than two pages of the largest count head office sends.
  std::vector<kiosk::core::Mention> mentions;
  for (int i = 0; i < 12'000; ++i)
    mentions.push_back({"rss:" + std::to_string(i), "", "rss", "", "short text", "", kT0});
  REQUIRE(h.storage->upsert_mentions("S1", mentions, h.now).ok());

  SUBCASE("a kiosk that does not ask gets version 1's page of 500") {
    auto r = h.page(t, 0, 0);
    CHECK(r.changes.size() == protocol::kMaxChangesPerResponse);
    CHECK(r.more);
  }
  SUBCASE("a smaller page is granted as asked") {
    auto r = h.page(t, 0, 20);
    CHECK(r.changes.size() == 20);
    CHECK(r.cursor == r.changes.back().seq);
  }
  SUBCASE("a wish past the cap gets the cap; pages stay complete and in order") {
    std::int64_t cursor = 0;
    std::vector<std::size_t> sizes;
    std::vector<std::string> ids;
    for (bool more = true; more;) {
      auto r = h.page(t, cursor, 1'000'000);
      for (const auto& c : r.changes) ids.push_back(c.mention->id);
      sizes.push_back(r.changes.size());
      CHECK(r.cursor > cursor);
      cursor = r.cursor;
      more = r.more;
    }
    CHECK(sizes == std::vector<std::size_t>{5000, 5000, 2000});
    REQUIRE(ids.size() == mentions.size());
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == mentions[i].id);
  }
}

TEST_CASE("[hq][paging] the answer sends each stored change as it is, the same bytes as decoded") {
  Hq h;
  auto [t, token] = h.terminal("S1");
  h.known_mention(t, "mastodon:1");
  h.sync(t, 0, {escalation_event("mastodon:1", "till 3 \xE2\x80\x94 \"urgent\"")});
  REQUIRE(h.storage->set_store_policy("S1", "ack within 10m\n", h.now).ok());
  REQUIRE(h.storage
              ->publish_training_pack({"frontline-basics", 0, 0, {{"a.en.lesson", "id: a\n"}}}, 1,
                                      h.now)
              .ok());

  protocol::SyncRequest req;
  req.max_changes = 100;
  auto stored = h.storage->sync_stored(t, req, h.now);
  REQUIRE_MESSAGE(stored.ok(), stored.error());
  auto typed = h.storage->sync(t, req, h.now);
  REQUIRE_MESSAGE(typed.ok(), typed.error());
  std::vector<std::string> kinds;
  for (const auto& c : stored->changes) {
    kinds.push_back(c.kind);
    CHECK_FALSE(c.stored.empty());
    CHECK_FALSE(c.mention);
    CHECK_FALSE(c.escalation);
  }
  CHECK(kinds == std::vector<std::string>{"mention", "escalation", "policy", "training_pack"});
  CHECK(protocol::encode(stored.value()) == protocol::encode(typed.value()));

  // Through the API, as a kiosk reads it: every change whole.
  auto answer = h.api->handle(
      {"POST", "/v1/sync", "Bearer " + token, protocol::encode(protocol::SyncRequest{}), false});
  REQUIRE(answer.status == 200);
  auto read = protocol::decode_sync_response(answer.body);
  REQUIRE_MESSAGE(read.ok(), read.error());
  REQUIRE(read->changes.size() == 4);
  CHECK(read->changes[0].mention->id == "mastodon:1");
  CHECK(read->changes[1].escalation->note == "till 3 \xE2\x80\x94 \"urgent\"");
  CHECK(read->changes[2].policy->text == "ack within 10m\n");
  CHECK(protocol::read_training_pack_change(read->changes[3].body)->version == 1);
}

TEST_CASE("[hq][paging] a large page stops at its byte budget, and an old-size page at 1 MiB") {
  Hq h;
  auto [t, token] = h.terminal("S1");
  // 1,200 mentions of 4 KiB of text: 4.7 MiB of changes in all.
  std::vector<kiosk::core::Mention> mentions;
  const std::string text(4096, 'x');
  for (int i = 0; i < 1200; ++i)
    mentions.push_back({"rss:" + std::to_string(i), "", "rss", "", text, "", kT0});
  REQUIRE(h.storage->upsert_mentions("S1", mentions, h.now).ok());

  const auto payload_bytes = [](const protocol::SyncResponse& r) {
    std::size_t bytes = 0;
    for (const auto& c : r.changes) bytes += c.mention->text.size();
    return bytes;
  };
  auto large = h.page(t, 0, 5000);
  CHECK(large.more);
  CHECK(large.changes.size() < 1200);
  CHECK(payload_bytes(large) <= protocol::kLargePageBudgetBytes);
  CHECK(payload_bytes(large) > protocol::kLargePageBudgetBytes * 9 / 10);

  auto old_size = h.page(t, 0, 0);
  CHECK(old_size.more);
  CHECK(old_size.changes.size() < protocol::kMaxChangesPerResponse);
  CHECK(payload_bytes(old_size) <= protocol::kResponseBudgetBytes);
  CHECK(payload_bytes(old_size) > protocol::kResponseBudgetBytes * 9 / 10);
}

TEST_CASE("[hq][status] acknowledge and resolve merge as a join; resolved never moves back") {
  Hq h;
  auto [t, token] = h.terminal("S1");
  const auto event = escalation_event();
  auto first = h.sync(t, h.known_mention(t, event.escalation.mention_id), {event});

  auto ack = h.storage->raise_escalation_status(event.escalation.id, EscalationStatus::acknowledged,
                                                "HQ ops", h.now + 1);
  REQUIRE(ack.ok());
  REQUIRE(ack.value());
  CHECK(ack.value()->changed);
  auto resolve = h.storage->raise_escalation_status(event.escalation.id, EscalationStatus::resolved,
                                                    "Ann", h.now + 2);
  CHECK(resolve.value()->changed);
  auto late_ack = h.storage->raise_escalation_status(
      event.escalation.id, EscalationStatus::acknowledged, "Bob", h.now + 3);
  CHECK_FALSE(late_ack.value()->changed);
  CHECK(late_ack.value()->after.escalation.status == EscalationStatus::resolved);
  CHECK(late_ack.value()->after.escalation.acknowledged_by == "HQ ops");

  // The same escalation again from the terminal, still "open", under a new event id.
  auto stale = event;
  stale.id = hq::make_uuid();
  auto r = h.sync(t, first.cursor, {stale});
  CHECK(r.acked == std::vector<std::string>{stale.id});
  REQUIRE(r.changes.size() == 2);  // acknowledged, then resolved
  CHECK(r.changes[0].escalation->status == EscalationStatus::acknowledged);
  CHECK(r.changes[0].escalation->acknowledged_by == "HQ ops");
  CHECK(r.changes[1].escalation->status == EscalationStatus::resolved);
  CHECK(h.storage->list_escalations(std::nullopt)->at(0).escalation.status ==
        EscalationStatus::resolved);

  auto unknown =
      h.storage->raise_escalation_status(hq::make_uuid(), EscalationStatus::resolved, "x", h.now);
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown.value());
}

#ifdef KIOSK_TEST_POSTGRESQL
TEST_CASE("[hq][schema] a database from a newer kiosk-hq, or not kiosk-hq's, is refused") {
  TempDir dir;
  const std::string url = test_database(dir);
  using Mode = hq::StorageMode;
  REQUIRE(hq::open_hq_storage(url, Mode::create_if_missing, test_secret(dir)).ok());
  REQUIRE(hq::open_hq_storage(url, Mode::must_exist, test_secret(dir)).ok());  // reopening

  SUBCASE("newer schema") {
    kiosk::testing::pg_exec(url, "UPDATE schema_version SET version = 99");
    auto r = hq::open_hq_storage(url, Mode::must_exist, test_secret(dir));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("newer version of kiosk-hq") != std::string::npos);
    CHECK(r.error().find("99") != std::string::npos);
  }
  SUBCASE("another program's tables") {
    const std::string other = kiosk::testing::fresh_pg_database();
    kiosk::testing::pg_exec(other, "CREATE TABLE invoices (id integer)");
    auto r = hq::open_hq_storage(other, Mode::create_if_missing, test_secret(dir));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("is not a kiosk-hq database") != std::string::npos);
  }
  SUBCASE("an empty database is not set up by commands that only read") {
    auto r = hq::open_hq_storage(kiosk::testing::fresh_pg_database(), Mode::must_exist,
                                 test_secret(dir));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("holds no kiosk-hq tables yet") != std::string::npos);
  }
  SUBCASE("another server secret, or none") {
    auto r = hq::open_hq_storage(url, Mode::must_exist, dir.file("other.secret"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("is not the one") != std::string::npos);
    auto none = hq::open_hq_storage(url, Mode::must_exist, "");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().find("--secret-file") != std::string::npos);
  }
  SUBCASE("a password in the URL never shows in a message") {
    auto r = hq::open_hq_storage("postgresql://kiosk:hunter2@/no_such_db?host=/nonexistent",
                                 Mode::must_exist, test_secret(dir));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("cannot connect") != std::string::npos);
    CHECK(r.error().find("hunter2") == std::string::npos);
  }
}

TEST_CASE("[hq][postgresql] connections PostgreSQL dropped are replaced without an error") {
  // What a PostgreSQL restart or failover does to kiosk-hq's idle pooled connections.
  Hq h;
  auto [t, token] = h.terminal("S1");
  h.known_mention(t, "m1");
  const std::string url = test_database(h.dir);
  // Only this test's connections: other tests use the same cluster at the same time.
  const std::string dropped =
      kiosk::testing::pg_value(url,
                               "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE application_name = current_setting('application_name') "
                               "AND pid <> pg_backend_pid()");
  REQUIRE(std::stoi(dropped) >= 1);  // kiosk-hq's pooled connections were open, and are gone
  auto r = h.storage->sync(t, {}, h.now);
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r.value().changes.size() == 1);
  auto sent = h.sync(t, 0, {escalation_event("m1")});
  CHECK(sent.acked.size() == 1);
}
#else
TEST_CASE("[hq][schema] a database from a newer kiosk-hq, or not a database, is refused") {
  TempDir dir;
  const std::string path = dir.file("hq.sqlite");
  using Mode = hq::SqliteHqStorage::OpenMode;
  REQUIRE(hq::SqliteHqStorage::open(path, Mode::create_if_missing).ok());
  REQUIRE(hq::SqliteHqStorage::open(path, Mode::must_exist).ok());  // reopening is fine

  SUBCASE("newer schema") {
    {  // PRAGMA user_version lives big-endian at byte 60 of the file header.
      std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(60);
      const char v[4] = {0, 0, 0, 99};
      f.write(v, 4);
    }
    auto r = hq::SqliteHqStorage::open(path, Mode::must_exist);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("newer version of kiosk-hq") != std::string::npos);
    CHECK(r.error().find("99") != std::string::npos);
  }
  SUBCASE("not a database") {
    std::ofstream(dir.file("notes.txt")) << "shopping list: milk, eggs, bread, and more\n";
    auto r = hq::SqliteHqStorage::open(dir.file("notes.txt"), Mode::must_exist);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("is not a kiosk-hq database (or is damaged)") != std::string::npos);
  }
  SUBCASE("a store terminal's kiosk database") {
    const std::string kiosk_file = dir.file("kiosk.sqlite");
    { kiosk::store::Store terminal(kiosk_file); }
    auto r = hq::SqliteHqStorage::open(kiosk_file, Mode::must_exist);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("belongs to another program, not kiosk-hq") != std::string::npos);
    kiosk::sqlite::Database raw(kiosk_file);  // left untouched: still the kiosk's
    CHECK(kiosk::sqlite::application_id(raw) == kiosk::store::kKioskApplicationId);
    CHECK(kiosk::sqlite::schema_version(raw) == kiosk::store::kiosk_migrations().back().version);
  }
  SUBCASE("a missing file is not created by commands that only read") {
    auto r = hq::SqliteHqStorage::open(dir.file("typo.sqlite"), Mode::must_exist);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("does not exist") != std::string::npos);
  }
}
#endif

TEST_CASE("[hq][api] routes answer with JSON errors") {
  Hq h;
  CHECK(h.api->handle({"GET", "/healthz", "", "", false}).body == R"({"ok":true})");
  auto missing = h.api->handle({"GET", "/v2/everything", "", "", false});
  CHECK(missing.status == 404);
  CHECK(error_code(missing) == "not_found");
  auto wrong = h.api->handle({"GET", "/v1/sync", "", "", false});
  CHECK(wrong.status == 405);
  CHECK(error_code(wrong) == "method_not_allowed");
  auto big = h.api->handle({"POST", "/v1/enroll", "", "", true});
  CHECK(big.status == 413);
  CHECK(error_code(big) == "payload_too_large");
  auto broken = h.api->handle({"POST", "/v1/enroll", "", R"({"terminal_name":"x"})", false});
  CHECK(broken.status == 400);
  CHECK(protocol::decode_error(broken.body)->message.find("\"code\"") != std::string::npos);
}

TEST_CASE("[hq][concurrency] two HQs on one database apply each event once, feed in order") {
  // Two storages on one database stand for two kiosk-hq processes. Four writers send the same
  // events (two per storage, in opposite orders) while head office loads mentions and a
  // terminal follows the changefeed page by page; nothing is applied twice and the terminal
  // sees exactly the feed a reader sees afterwards, in the same order.
  Hq h;
  auto [t, token] = h.terminal("S1");
  h.known_mention(t, "m0");
  auto second =
      hq::open_hq_storage(test_database(h.dir), hq::StorageMode::must_exist, test_secret(h.dir));
  REQUIRE_MESSAGE(second.ok(), second.error());
  std::vector<hq::HqStorage*> storages{h.storage.get(), second.value().get()};

  std::vector<protocol::Event> events;
  for (int i = 0; i < 120; ++i)
    events.push_back(escalation_event("m0", "note " + std::to_string(i)));
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  const auto send = [&](hq::HqStorage* s, bool reverse) {
    std::vector<protocol::Event> order = events;
    if (reverse) std::reverse(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); i += 10) {
      protocol::SyncRequest req;
      req.events.assign(order.begin() + static_cast<std::ptrdiff_t>(i),
                        order.begin() + static_cast<std::ptrdiff_t>(i + 10));
      auto r = s->sync(t, req, kT0);
      if (!r.ok() || r.value().acked.size() != 10) ++failures;
    }
  };
  const auto load = [&](hq::HqStorage* s, int from) {
    for (int i = from; i < from + 40; ++i)
      if (!s->upsert_mentions("S1", {{"live" + std::to_string(i), "", "x", "a", "t", "", kT0}}, kT0)
               .ok())
        ++failures;
  };
  std::vector<std::int64_t> followed;  // seqs the terminal saw, page after page
  std::thread follower([&] {
    std::int64_t cursor = 0;
    for (bool last = false; !last;) {
      last = !writing.load();
      protocol::SyncRequest req;
      req.cursor = cursor;
      auto r = storages[1]->sync(t, req, kT0);
      if (!r.ok()) {
        ++failures;
        return;
      }
      for (const auto& c : r.value().changes) followed.push_back(c.seq);
      cursor = r.value().cursor;
      if (r.value().more) last = false;
    }
  });
  {
    std::vector<std::thread> writers;
    writers.emplace_back(send, storages[0], false);
    writers.emplace_back(send, storages[0], true);
    writers.emplace_back(send, storages[1], false);
    writers.emplace_back(send, storages[1], true);
    writers.emplace_back(load, storages[0], 0);
    writers.emplace_back(load, storages[1], 40);
    for (auto& w : writers) w.join();
  }
  writing = false;
  follower.join();

  CHECK(failures.load() == 0);
  CHECK(h.events() == 120);
  CHECK(h.storage->list_escalations("S1")->size() == 120);
  std::vector<std::int64_t> feed;
  for (std::int64_t cursor = 0;;) {
    auto r = h.sync(t, cursor);
    for (const auto& c : r.changes) feed.push_back(c.seq);
    cursor = r.cursor;
    if (!r.more) break;
  }
  CHECK(feed.size() == 1 + 120 + 80);  // m0, the escalations, the live mentions
  CHECK(followed == feed);
}

TEST_CASE(
    "[hq][training] a published pack reaches every store's changefeed, newest version "
    "first for a store added later") {
  Hq h;
  auto [t1, token1] = h.terminal("S1");
  const protocol::TrainingPackChange pack{
      "frontline-basics", 0, 0, {{"a.en.lesson", "id: a\n"}, {"a.es.lesson", "id: a\n"}}};
  auto first = h.storage->publish_training_pack(pack, 1, h.now);
  REQUIRE_MESSAGE(first.ok(), first.error());
  CHECK(first->version == 1);
  CHECK(first->stores == 2);
  h.now += kHour;
  auto second = h.storage->publish_training_pack(pack, 1, h.now);
  REQUIRE(second.ok());
  CHECK(second->version == 2);

  const auto changes = h.sync(t1, 0).changes;
  REQUIRE(changes.size() == 2);
  for (const auto& c : changes) CHECK(c.kind == "training_pack");
  auto read = protocol::read_training_pack_change(changes[1].body);
  REQUIRE_MESSAGE(read.ok(), read.error());
  CHECK(read->version == 2);
  CHECK(read->published_at_ms == h.now);
  REQUIRE(read->files.size() == 2);
  CHECK(read->files[0].name == "a.en.lesson");
  // The same change goes over the wire and back unchanged.
  protocol::SyncResponse wire;
  wire.changes = changes;
  auto decoded = protocol::decode_sync_response(protocol::encode(wire));
  REQUIRE(decoded.ok());
  CHECK(decoded->changes[1].body == changes[1].body);

  REQUIRE(h.storage->add_store({"S3", "Harbour"}).ok());
  auto [t3, token3] = h.terminal("S3");
  const auto late = h.sync(t3, 0).changes;
  REQUIRE(late.size() == 1);  // only the newest
  CHECK(protocol::read_training_pack_change(late[0].body)->version == 2);

  auto packs = h.storage->training_packs();
  REQUIRE(packs.ok());
  REQUIRE(packs->size() == 1);
  CHECK(packs->at(0).version == 2);
  CHECK(packs->at(0).lessons == 1);
}

TEST_CASE(
    "[hq][replies] a suggested reply is kept once, decided once, and its outcome goes "
    "to its store only") {
  Hq h;
  auto [t1, token1] = h.terminal("S1");
  auto [t2, token2] = h.terminal("S2");
  const std::int64_t base = h.known_mention(t1, "google:9");
  const std::int64_t base2 = h.sync(t2, 0).cursor;
  const protocol::ReplySuggested v{"5b0f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f", "google:9",
                                   "Sam, sorry about the wait; ask for Dana.", "ana", kT0};
  protocol::Event e{
      "6c1f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f", "reply.suggested", "", {}, protocol::body_of(v)};
  e.hlc = escalation_event().hlc;
  REQUIRE_FALSE(protocol::check_event(e));
  auto r = h.sync(t1, base, {e, e});
  CHECK(r.acked.size() == 2);
  CHECK(r.rejected.empty());
  // Another event with the same suggestion id, or about a mention head office does not have.
  protocol::Event copy = e;
  copy.id = "7d1f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f";
  protocol::ReplySuggested unknown = v;
  unknown.suggestion_id = "8e1f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f";
  unknown.mention_id = "google:404";
  protocol::Event other{"9f1f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f",
                        "reply.suggested",
                        e.hlc,
                        {},
                        protocol::body_of(unknown)};
  r = h.sync(t1, base, {copy, other});
  CHECK(r.rejected.size() == 2);

  auto list = h.storage->reply_suggestions(std::nullopt);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list->at(0).outcome == "pending");
  CHECK(list->at(0).suggestion.staff_id == "ana");

  auto decided = h.storage->decide_reply(v.suggestion_id, "edited", "Sam, sorry: ask for Dana.",
                                         "Shorter", "Care team", h.now);
  REQUIRE_MESSAGE(decided.ok(), decided.error());
  REQUIRE(decided.value());
  CHECK(decided.value()->outcome == "edited");
  auto again = h.storage->decide_reply(v.suggestion_id, "approved", "", "", "Someone", h.now);
  CHECK_FALSE(again.ok());
  CHECK(again.error().find("already edited by Care team") != std::string::npos);
  auto missing = h.storage->decide_reply("nope", "approved", "", "", "x", h.now);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing.value());

  const auto changes = h.sync(t1, base).changes;
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "reply_outcome");
  auto outcome = protocol::read_reply_outcome(changes[0].body);
  REQUIRE(outcome.ok());
  CHECK(outcome->outcome == "edited");
  CHECK(outcome->text == "Sam, sorry: ask for Dana.");
  CHECK(outcome->comment == "Shorter");
  CHECK(h.sync(t2, base2).changes.empty());  // the other store sees nothing of it
}

TEST_CASE("[hq][mentions] rating, language, reach, place and reply are kept and triaged") {
  Hq h;
  auto lexicon = kiosk::sync::sources::load_lexicon(kiosk::testing::source_dir() + "/assets");
  REQUIRE_MESSAGE(lexicon.ok(), lexicon.error());
  h.storage->set_lexicon(std::make_shared<const kiosk::core::Lexicon>(std::move(lexicon.value())));
  kiosk::core::Mention review{
      "google:r1",    "", "google", "Dana", "STILL WAITING at the counter, 40 minutes!!!",
      "https://g/r1", kT0};
  review.rating = 1;
  review.lang = "en";
  review.reach.author_followers = 5400;
  review.reach.likes = 12;
  review.location = {"Elm St", 40.7, -74.0};
  review.reply_to = "google:r0";
  review.owner_reply = "Sorry";
  review.edited_at_ms = kT0 + 1000;
  kiosk::core::Mention thanks{
      "mastodon:2", "",     "mastodon", "Sam", "Luis in the bakery was so kind, thank you",
      "",           kT0 + 5};
  auto added = h.storage->upsert_mentions("S1", {thanks, review}, h.now);
  REQUIRE_MESSAGE(added.ok(), added.error());
  CHECK(added->added == 2);
  // The same again changes nothing; a new star rating is a change.
  CHECK(h.storage->upsert_mentions("S1", {review}, h.now)->unchanged == 1);

  auto listed = h.storage->list_mentions("S1", 10);
  REQUIRE_MESSAGE(listed.ok(), listed.error());
  REQUIRE(listed->size() == 2);
  const auto& [m, t] = listed->front();  // the urgent review before the praise
  CHECK(m.id == "google:r1");
  CHECK(m.rating == 1);
  CHECK(m.lang == "en");
  CHECK(m.reach.author_followers == 5400);
  CHECK(m.reach.likes == 12);
  CHECK(m.location.name == "Elm St");
  CHECK(m.reply_to == "google:r0");
  CHECK(m.owner_reply == "Sorry");
  CHECK(m.edited_at_ms == kT0 + 1000);
  CHECK(t.sentiment == kiosk::core::Sentiment::negative);
  CHECK(t.urgency >= kiosk::core::Urgency::high);
  CHECK(t.attention == kiosk::core::Attention::needs_attention);
  CHECK(!t.reasons.empty());
  CHECK(listed->back().triage.attention == kiosk::core::Attention::needs_thank_you);

  // The changefeed carries every field to the terminal.
  auto [terminal, token] = h.terminal("S1");
  const auto feed = h.sync(terminal, 0);
  bool seen = false;
  for (const auto& c : feed.changes)
    if (c.mention && c.mention->id == "google:r1") {
      seen = true;
      CHECK(c.mention->rating == 1);
      CHECK(c.mention->reach.author_followers == 5400);
      CHECK(c.mention->location.lat == doctest::Approx(40.7));
    }
  CHECK(seen);
  review.rating = 2;
  CHECK(h.storage->upsert_mentions("S1", {review}, h.now)->changed == 1);
}

TEST_CASE("[hq][sources] a connector's lease: one holder at a time, until it lapses") {
  Hq h;
  auto other_process =
      hq::open_hq_storage(test_database(h.dir), hq::StorageMode::must_exist, test_secret(h.dir));
  REQUIRE_MESSAGE(other_process.ok(), other_process.error());
  hq::HqStorage& b = *other_process.value();
  hq::HqStorage& a = *h.storage;

  CHECK(a.take_source_lease("google-elm", "hq-a", kT0, kT0 + 60'000).value());
  CHECK_FALSE(b.take_source_lease("google-elm", "hq-b", kT0 + 1, kT0 + 60'001).value());
  CHECK(a.take_source_lease("google-elm", "hq-a", kT0 + 2, kT0 + 90'000).value());  // renewed
  CHECK(b.take_source_lease("alerts", "hq-b", kT0, kT0 + 60'000).value());  // another connector

  // Only the holder writes the state; a process that lost the lease writes nothing.
  hq::SourceState st;
  st.name = "google-elm";
  st.cursor = "since-42";
  st.items_seen = 6;
  st.next_poll_ms = kT0 + kHour;
  CHECK_FALSE(b.save_source_state(st, "hq-b", true).value());
  CHECK(a.save_source_state(st, "hq-a", false).value());
  auto saved = b.source_state("google-elm");
  REQUIRE(saved.ok());
  REQUIRE(saved->has_value());
  CHECK((*saved)->cursor == "since-42");
  CHECK((*saved)->items_seen == 6);
  CHECK((*saved)->lease_holder == "hq-a");
  CHECK((*saved)->lease_until_ms == kT0 + 90'000);

  // A lease that lapsed (its holder died mid-poll) goes to the next process that asks.
  CHECK(b.take_source_lease("google-elm", "hq-b", kT0 + 90'000, kT0 + 150'000).value());
  CHECK_FALSE(a.save_source_state(st, "hq-a", true).value());
  CHECK(b.save_source_state(st, "hq-b", true).value());  // released with the state
  CHECK(a.source_state("google-elm")->value().lease_holder.empty());
  CHECK(a.take_source_lease("google-elm", "hq-a", kT0 + 90'001, kT0 + 150'001).value());

  auto all = a.source_states();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).name == "alerts");  // by name
  CHECK(all->at(1).name == "google-elm");
  CHECK_FALSE(a.source_state("nope")->has_value());
}

TEST_CASE("[hq][matching] profiles, posts seen once, and the unmatched queue") {
  Hq h;
  hq::HqStorage& s = *h.storage;
  CHECK(s.set_store_profile("S2", R"({"nicknames": ["Oak Ave"]})", kT0).value());
  CHECK(s.set_store_profile("S1", R"({"nicknames": ["Elm St"]})", kT0).value());
  CHECK(s.set_store_profile("S1", R"({"nicknames": ["Elm Street"]})", kT0 + 1).value());
  const auto bad = s.set_store_profile("S9", "{}", kT0);
  CHECK_FALSE(bad.ok());
  CHECK(bad.error().find("there is no store \"S9\"") != std::string::npos);
  auto profiles = s.store_profiles();
  REQUIRE(profiles.ok());
  REQUIRE(profiles->size() == 2);
  CHECK(profiles->at(0) ==
        std::pair<std::string, std::string>{"S1", R"({"nicknames": ["Elm Street"]})"});
  CHECK(profiles->at(1).first == "S2");

  // A post is recorded by its id and its fingerprint; the first key wins.
  CHECK(s.put_post_key("id:lt:1", {"lt:1", ""}, kT0).value());
  CHECK(s.put_post_key("fp:abc", {"lt:1", ""}, kT0).value());
  CHECK_FALSE(s.put_post_key("fp:abc", {"lt:2", "S2"}, kT0).value());
  CHECK(s.find_post_key("fp:abc")->value().mention_id == "lt:1");
  CHECK_FALSE(s.find_post_key("fp:nope")->has_value());

  hq::UnmatchedMention m{"lt:1", R"({"id":"lt:1","text":"out of milk"})", "no street named",
                         "S1,S2", kT0};
  CHECK(s.add_unmatched_mention(m).value());
  CHECK_FALSE(s.add_unmatched_mention(m).value());  // queued once
  hq::UnmatchedMention later = m;
  later.mention_id = "lt:0";
  later.received_at_ms = kT0 + 5;
  CHECK(s.add_unmatched_mention(later).value());
  auto queue = s.unmatched_mentions();
  REQUIRE(queue.ok());
  REQUIRE(queue->size() == 2);
  CHECK(queue->at(0).mention_id == "lt:1");  // oldest first
  CHECK(queue->at(0).candidates == "S1,S2");
  CHECK(queue->at(0).reason == "no street named");

  // Assigned by hand: taken off the queue, and both its keys now point at the store.
  auto taken = s.take_unmatched_mention("lt:1");
  REQUIRE(taken.ok());
  REQUIRE(taken->has_value());
  CHECK((*taken)->mention_json == m.mention_json);
  CHECK_FALSE(s.take_unmatched_mention("lt:1")->has_value());
  CHECK(s.set_post_store("lt:1", "S1").value());
  CHECK(s.find_post_key("id:lt:1")->value().store_id == "S1");
  CHECK(s.find_post_key("fp:abc")->value().store_id == "S1");
  CHECK(s.unmatched_mentions()->size() == 1);
}

TEST_CASE("[hq][live] the latest change of a store moves with its changefeed") {
  Hq h;
  CHECK(h.storage->latest_seq("S1").value() == 0);
  auto [terminal, token] = h.terminal("S1");
  const std::int64_t after_mention = h.known_mention(terminal, "google:1");
  CHECK(h.storage->latest_seq("S1").value() == after_mention);
  CHECK(h.storage->latest_seq("S2").value() == 0);  // another store's feed did not move
  CHECK(h.storage->latest_seq("nope").value() == 0);
}
