// kiosk-hq against a hostile or careless client: enrollment guessing, keyed secrets, token
// expiry, rotation and revocation, ids in another letter case, what a 500 answer gives away,
// and what reaches the access log. SyncApi is called directly with a stepped clock where time
// matters; the rest goes over real HTTP on 127.0.0.1.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "kiosk/store/kiosk_store.h"
#include "sync/client/http_client.h"
#include "sync/client/sync_session.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/cli/cli.h"
#include "sync/hq/http/hq_server.h"
#include "sync/hq/storage/sqlite_hq_storage.h"
#include "sync/protocol/json_codec.h"
#include "tests/hq/hq_test_support.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::http_post;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::kiosk_hq;
using kiosk::sync::hq::test::TempDir;

// [SECTION] helpers
namespace {

constexpr std::int64_t kT0 = 1'732'320'000'000;
constexpr std::int64_t kDay = 24 * 3'600'000LL;

// A raw HTTP/1.1 exchange from a chosen loopback source address: what the request line and
// headers really carry, without a client library cleaning them up.
std::string raw_http(std::uint16_t port, const std::string& request,
                     const std::string& from = "127.0.0.1") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, from.c_str(), &src.sin_addr);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) == 0);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) == 0);
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::string enroll_request(const std::string& body) {
  return "POST /v1/enroll HTTP/1.1\r\nHost: hq\r\nConnection: close\r\nContent-Type: "
         "application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string error_code(const std::string& body) {
  auto e = protocol::decode_error(body);
  REQUIRE_MESSAGE(e.ok(), "not an error body: ", body);
  return e->code;
}

std::string error_message(const std::string& body) {
  auto e = protocol::decode_error(body);
  REQUIRE_MESSAGE(e.ok(), "not an error body: ", body);
  return e->message;
}

// Storage and SyncApi on a temp file with a clock the test steps.
struct SteppedHq {
  TempDir dir;
  std::unique_ptr<hq::SqliteHqStorage> storage;
  std::int64_t now = kT0;
  std::unique_ptr<hq::SyncApi> api;
  std::vector<std::string> error_log;

  SteppedHq() {
    auto opened = hq::SqliteHqStorage::open(dir.file("hq.sqlite"),
                                            hq::SqliteHqStorage::OpenMode::create_if_missing);
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    storage = std::move(opened.value());
    REQUIRE(storage->add_store({"S1", "Downtown"}).ok());
    REQUIRE(storage->add_store({"S2", "Uptown"}).ok());
    api = std::make_unique<hq::SyncApi>(*storage, [this] { return now; });
    api->set_error_log([this](const std::string& line) { error_log.push_back(line); });
  }

  std::string code_for(const std::string& store) {
    auto code = hq::issue_enrollment_code(*storage, store, 24, now);
    REQUIRE_MESSAGE(code.ok(), code.error());
    return code.value();
  }

  hq::ApiResponse enroll_raw(const std::string& code, const std::string& from = "10.0.0.1",
                             const std::string& previous_token = "") {
    protocol::EnrollRequest r{code, "Front counter"};
    if (!previous_token.empty()) r.previous_token = previous_token;
    hq::ApiRequest request{"POST", "/v1/enroll", "", protocol::encode(r), false};
    request.client_address = from;
    return api->handle(request);
  }

  protocol::EnrollResponse enroll(const std::string& store, const std::string& previous = "") {
    auto r = enroll_raw(code_for(store), "10.0.0.1", previous);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    auto e = protocol::decode_enroll_response(r.body);
    REQUIRE_MESSAGE(e.ok(), e.error());
    return e.value();
  }

  hq::ApiResponse sync(const std::string& token, const protocol::SyncRequest& request = {}) {
    return api->handle({"POST", "/v1/sync", "Bearer " + token, protocol::encode(request), false});
  }
};

std::string header(const hq::ApiResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

void exec_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, why);
}

std::string query_text(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace

// [SECTION] enrollment guessing
TEST_CASE("[hq][enroll] wrong codes from one address meet a growing delay; others are unaffected") {
  SteppedHq h;
  int wrong = 0;
  for (; wrong < 100; ++wrong) {
    auto r = h.enroll_raw("WRONG-CODE-" + std::to_string(wrong));
    if (r.status == 429) break;
    CHECK(r.status == 403);
  }
  CHECK(wrong == hq::kFreeEnrollFailuresPerAddress);
  auto throttled = h.enroll_raw("ANOTHER-GUESS");
  REQUIRE(throttled.status == 429);
  CHECK(error_code(throttled.body) == "too_many_attempts");
  CHECK(error_message(throttled.body).find("wait 1 second") != std::string::npos);
  CHECK(header(throttled, "Retry-After") == "1");

  // Even the right code waits until the delay has passed: a guesser learns nothing early.
  const std::string good = h.code_for("S1");
  CHECK(h.enroll_raw(good).status == 429);
  // Another address is not held up by this one's guesses.
  CHECK(h.enroll_raw("WRONG-FROM-ELSEWHERE", "10.0.0.2").status == 403);

  h.now += 1'000;
  CHECK(h.enroll_raw("STILL-WRONG").status == 403);  // heard, and the delay doubles
  auto longer = h.enroll_raw("AGAIN");
  REQUIRE(longer.status == 429);
  CHECK(header(longer, "Retry-After") == "2");
  h.now += 2'000;
  CHECK(h.enroll_raw(good).status == 200);
}

TEST_CASE("[hq][enroll] many addresses guessing at once meet the head-office-wide limit") {
  SteppedHq h;
  int heard = 0;
  for (int i = 0; i < 500; ++i) {
    auto r =
        h.enroll_raw("WRONG", "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250));
    if (r.status == 403) ++heard;
  }
  CHECK(heard == hq::kFreeEnrollFailuresOverall);
  auto r = h.enroll_raw("WRONG", "10.9.9.9");
  CHECK(r.status == 429);
  CHECK(error_message(r.body).find("head office") != std::string::npos);
}

TEST_CASE("[hq][enroll] a wrong code takes no write lock") {
  SteppedHq h;
  // Another process holds the write lock (e.g. a long mentions load).
  sqlite3* writer = nullptr;
  REQUIRE(sqlite3_open(h.dir.file("hq.sqlite").c_str(), &writer) == SQLITE_OK);
  REQUIRE(sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  auto r = h.enroll_raw("WRONG-CODE");
  const auto took = std::chrono::steady_clock::now() - start;
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
  CHECK(r.status == 403);
  CHECK(took < std::chrono::milliseconds(500));
}

TEST_CASE("[hq][secret] codes and tokens are stored under a key kept beside the database") {
  SteppedHq h;
  const auto t = h.enroll("S1");
  const std::string secret = h.dir.file("hq.sqlite") + ".secret";
  struct stat st {};
  REQUIRE(::stat(secret.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  const std::string stored =
      query_text(h.dir.file("hq.sqlite"), "SELECT token_hash FROM terminals");
  CHECK_FALSE(stored.empty());
  CHECK(stored != hq::unkeyed_hash(t.token));  // a copied database alone proves nothing
  CHECK(h.sync(t.token).status == 200);

  SUBCASE("the same database with another secret accepts no token") {
    h.api.reset();
    h.storage.reset();
    auto other = hq::SqliteHqStorage::open(h.dir.file("hq.sqlite"),
                                           hq::SqliteHqStorage::OpenMode::must_exist,
                                           h.dir.file("other.secret"));
    REQUIRE_MESSAGE(other.ok(), other.error());
    hq::SyncApi api(*other.value(), [] { return kT0; });
    auto r = api.handle({"POST", "/v1/sync", "Bearer " + t.token,
                         protocol::encode(protocol::SyncRequest{}), false});
    CHECK(r.status == 401);
  }
  SUBCASE("a token stored before keyed hashes gets a sentence asking to re-enroll") {
    exec_sql(h.dir.file("hq.sqlite"),
             "UPDATE terminals SET hash_scheme = 'unkeyed', token_hash = '" +
                 hq::unkeyed_hash(t.token) + "'");
    h.now += hq::kTokenCacheMs;  // a change behind this process's back is seen within that
    auto r = h.sync(t.token);
    CHECK(r.status == 401);
    CHECK(error_code(r.body) == "token_outdated");
    CHECK(error_message(r.body).find("re-enroll") != std::string::npos);
  }
  SUBCASE("a secret file others may read is refused") {
    h.api.reset();
    h.storage.reset();
    ::chmod(secret.c_str(), 0644);
    auto again = hq::SqliteHqStorage::open(h.dir.file("hq.sqlite"),
                                           hq::SqliteHqStorage::OpenMode::must_exist);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().find("chmod 600") != std::string::npos);
  }
}

// [SECTION] tokens: expiry, rotation, revocation, re-enrollment
TEST_CASE("[hq][token] a token is rotated before it expires; an expired one is refused") {
  SteppedHq h;
  const auto t = h.enroll("S1");
  REQUIRE(t.token_expires_at_ms.has_value());
  CHECK(*t.token_expires_at_ms == kT0 + hq::kTokenLifetimeMs);

  auto early = protocol::decode_sync_response(h.sync(t.token).body);
  REQUIRE(early.ok());
  CHECK_FALSE(early->new_token.has_value());  // nothing to do yet

  h.now = *t.token_expires_at_ms - hq::kRotateTokenBeforeMs + 1;
  auto rotated = protocol::decode_sync_response(h.sync(t.token).body);
  REQUIRE(rotated.ok());
  REQUIRE(rotated->new_token.has_value());
  REQUIRE(rotated->token_expires_at_ms.has_value());
  CHECK(*rotated->token_expires_at_ms == h.now + hq::kTokenLifetimeMs);
  const std::string fresh = *rotated->new_token;
  CHECK(fresh != t.token);

  SUBCASE("the answer was lost: the old token still works and brings another new one") {
    auto again = protocol::decode_sync_response(h.sync(t.token).body);
    REQUIRE(again.ok());
    REQUIRE(again->new_token.has_value());
    CHECK(h.sync(*again->new_token).status == 200);
    // Once the terminal used its new token, the old one is done.
    CHECK(h.sync(t.token).status == 401);
  }
  SUBCASE("the terminal switched: the old token stops working") {
    auto with_fresh = protocol::decode_sync_response(h.sync(fresh).body);
    REQUIRE(with_fresh.ok());
    CHECK_FALSE(with_fresh->new_token.has_value());
    auto old = h.sync(t.token);
    CHECK(old.status == 401);
  }
  SUBCASE("a terminal that stayed away past its expiry must re-enroll") {
    h.now += hq::kTokenLifetimeMs + kDay;
    auto r = h.sync(fresh);
    CHECK(r.status == 401);
    CHECK(error_code(r.body) == "token_expired");
    CHECK(error_message(r.body).find("re-enroll") != std::string::npos);
  }
}

TEST_CASE("[hq][token] head office lists and revokes terminals; a revoked one is told why") {
  SteppedHq h;
  h.now = hq::system_now_ms();  // the CLI reads the wall clock
  const auto a = h.enroll("S1");
  const auto b = h.enroll("S2");
  const std::string db = h.dir.file("hq.sqlite");

  auto list = kiosk_hq({"terminals", "list", "--db", db});
  REQUIRE_MESSAGE(list.code == 0, list.err);
  CHECK(list.out.find(a.terminal_id) != std::string::npos);
  CHECK(list.out.find(b.terminal_id) != std::string::npos);
  CHECK(list.out.find("Front counter") != std::string::npos);
  CHECK(list.out.find("active") != std::string::npos);
  auto only_s2 = kiosk_hq({"terminals", "list", "--db", db, "--store", "S2"});
  CHECK(only_s2.out.find(a.terminal_id) == std::string::npos);

  auto revoked = kiosk_hq({"terminals", "revoke", "--db", db, "--terminal", a.terminal_id});
  REQUIRE_MESSAGE(revoked.code == 0, revoked.err);
  CHECK(revoked.out.find("revoked") != std::string::npos);
  auto r = h.sync(a.token);
  CHECK(r.status == 401);
  CHECK(error_code(r.body) == "terminal_revoked");
  CHECK(error_message(r.body).find("revoked at head office") != std::string::npos);
  CHECK(h.sync(b.token).status == 200);
  CHECK(kiosk_hq({"terminals", "list", "--db", db}).out.find("revoked") != std::string::npos);

  auto unknown = kiosk_hq({"terminals", "revoke", "--db", db, "--terminal", "no-such-id"});
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("terminals list") != std::string::npos);
  auto twice = kiosk_hq({"terminals", "revoke", "--db", db, "--terminal", a.terminal_id});
  CHECK(twice.code == 0);
  CHECK(twice.out.find("already revoked") != std::string::npos);
}

TEST_CASE("[hq][token] a token revoked by another process stops working within kTokenCacheMs") {
  SteppedHq h;
  h.now = hq::system_now_ms();  // the CLI reads the wall clock
  const auto a = h.enroll("S1");
  const auto b = h.enroll("S1");
  const std::string db = h.dir.file("hq.sqlite");
  // Each syncs once: this process now believes both tokens for kTokenCacheMs without the
  // database (the woken long-polls of a store and each terminal's next long-poll).
  REQUIRE(h.sync(a.token).status == 200);
  REQUIRE(h.sync(b.token).status == 200);

  // Revoked by another process on the same database (`kiosk-hq terminals revoke`).
  auto revoked = kiosk_hq({"terminals", "revoke", "--db", db, "--terminal", a.terminal_id});
  REQUIRE_MESSAGE(revoked.code == 0, revoked.err);
  h.now += hq::kTokenCacheMs - 1;
  CHECK(h.sync(a.token).status == 200);  // the documented bound: still believed, this long
  h.now += 1;
  auto r = h.sync(a.token);
  CHECK(r.status == 401);
  CHECK(error_code(r.body) == "terminal_revoked");
  CHECK(error_message(r.body).find("revoked at head office") != std::string::npos);
  CHECK(h.sync(b.token).status == 200);  // the other terminal of the store syncs on

  SUBCASE("a token never believed before is refused at once") {
    const auto c = h.enroll("S1");
    REQUIRE(kiosk_hq({"terminals", "revoke", "--db", db, "--terminal", c.terminal_id}).code == 0);
    CHECK(h.sync(c.token).status == 401);
  }
}

TEST_CASE("[hq][token] re-enrolling with the old token revokes it; the new one syncs") {
  SteppedHq h;
  const auto first = h.enroll("S1");
  CHECK(h.sync(first.token).status == 200);         // believed for kTokenCacheMs from here...
  const auto second = h.enroll("S1", first.token);  // ...but handed over here: refused at once
  CHECK(second.terminal_id != first.terminal_id);
  auto old = h.sync(first.token);
  CHECK(old.status == 401);
  CHECK(error_code(old.body) == "terminal_revoked");
  CHECK(error_message(old.body).find("re-enrolled") != std::string::npos);
  CHECK(h.sync(second.token).status == 200);

  SUBCASE("a previous token that is not a terminal's changes nothing") {
    const auto third = h.enroll("S1", "made-up-token");
    CHECK(h.sync(second.token).status == 200);
    CHECK(h.sync(third.token).status == 200);
  }
}

// [SECTION] ids in another letter case
TEST_CASE("[hq][ids] an escalation id in another case is the same escalation") {
  SteppedHq h;
  const auto downtown = h.enroll("S1");
  const auto uptown = h.enroll("S2");
  // Escalations are filed against mentions head office knows at each store.
  REQUIRE(
      h.storage->upsert_mentions("S1", {{"mastodon:1", "", "mastodon", "a", "t", "", 1}}, 1).ok());
  REQUIRE(
      h.storage->upsert_mentions("S2", {{"mastodon:2", "", "mastodon", "b", "t", "", 1}}, 1).ok());
  protocol::SyncRequest first;
  first.events = {escalation_event()};
  REQUIRE(h.sync(downtown.token, first).status == 200);
  const std::string id = first.events[0].escalation.id;

  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  REQUIRE(upper != id);
  protocol::SyncRequest other;
  other.events = {escalation_event("mastodon:2", "from another store")};
  other.events[0].escalation.id = upper;
  other.events[0].escalation.status = kiosk::core::EscalationStatus::resolved;
  auto r = protocol::decode_sync_response(h.sync(uptown.token, other).body);
  REQUIRE(r.ok());
  CHECK(r->acked.empty());
  REQUIRE(r->rejected.size() == 1);
  auto all = h.storage->list_escalations(std::nullopt);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK(all->front().store_id == "S1");
  CHECK(all->front().escalation.note == "customer upset at till 3");
  CHECK(all->front().escalation.status == kiosk::core::EscalationStatus::open);

  SUBCASE("the own store's retry in upper case stays one escalation") {
    protocol::SyncRequest retry;
    retry.events = {escalation_event()};
    retry.events[0].escalation.id = upper;
    REQUIRE(h.sync(downtown.token, retry).status == 200);
    CHECK(h.storage->list_escalations(std::nullopt)->size() == 1);
  }
}

// [SECTION] what errors give away, what the log shows
TEST_CASE("[hq][errors] a 500 answer names no file and no SQL; the log has both and an id") {
  SteppedHq h;
  const auto t = h.enroll("S1");
  exec_sql(h.dir.file("hq.sqlite"), "DROP TABLE changes");
  auto r = h.sync(t.token);
  REQUIRE(r.status == 500);
  const std::string message = error_message(r.body);
  CHECK(r.body.find("hq.sqlite") == std::string::npos);
  CHECK(r.body.find(h.dir.file("")) == std::string::npos);
  CHECK(r.body.find("no such table") == std::string::npos);
  const std::string id = header(r, "X-Request-Id");
  REQUIRE(id.size() >= 8);
  CHECK(message.find(id) != std::string::npos);
  REQUIRE(h.error_log.size() == 1);
  CHECK(h.error_log[0].find(id) != std::string::npos);
  CHECK(h.error_log[0].find("no such table") != std::string::npos);
  CHECK(h.error_log[0].find("hq.sqlite") != std::string::npos);
}

TEST_CASE("[hq][log] a newline in a request path cannot forge an access-log line") {
  TempDir dir;
  std::mutex mutex;
  std::vector<std::string> lines;
  hq::ServerOptions options;
  options.db_path = dir.file("hq.sqlite");
  options.access_log = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back(line);
  };
  auto server = hq::start_server(options);
  REQUIRE_MESSAGE(server.ok(), server.error());
  const std::string forged = "2026-01-01T00:00:00Z POST /v1/sync 200";
  const std::string path = "/probe%0a2026-01-01T00:00:00Z%20POST%20/v1/sync%20200%0d%1b[2J";
  const auto answer = raw_http(
      server.value()->port(), "GET " + path + " HTTP/1.1\r\nHost: hq\r\nConnection: close\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.1 404", 0) == 0);
  server.value()->stop();
  std::lock_guard lock(mutex);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find('\n') == std::string::npos);
  CHECK(lines[0].find('\r') == std::string::npos);
  CHECK(lines[0].find('\x1b') == std::string::npos);
  CHECK(lines[0].find("\\x0a2026-01-01T00:00:00Z") != std::string::npos);
  CHECK(lines[0].rfind(forged, 0) != 0);
}

// [SECTION] the guessing run over real HTTP while a terminal syncs
TEST_CASE("[hq][http] a guessing run is throttled while an enrolled terminal still syncs") {
  TempDir dir;
  hq::ServerOptions options;
  options.db_path = dir.file("hq.sqlite");
  auto started = hq::start_server(options);
  REQUIRE_MESSAGE(started.ok(), started.error());
  auto& server = *started.value();
  REQUIRE(server.storage().add_store({"S1", "Downtown"}).ok());
  auto code = hq::issue_enrollment_code(server.storage(), "S1", 1, hq::system_now_ms());
  REQUIRE(code.ok());
  auto enrolled = http_post({.url = server.url() + "/v1/enroll",
                             .body = protocol::encode(protocol::EnrollRequest{code.value(), "T"}),
                             .bearer_token = ""});
  REQUIRE_MESSAGE(enrolled.status == 200, enrolled.body);
  const auto terminal = protocol::decode_enroll_response(enrolled.body).value();

  std::atomic<bool> guessing{true};
  std::vector<long> statuses;
  std::chrono::milliseconds slowest{0};
  std::thread syncing([&] {
    while (guessing) {
      const auto start = std::chrono::steady_clock::now();
      auto r = http_post({.url = server.url() + "/v1/sync",
                          .body = protocol::encode(protocol::SyncRequest{}),
                          .bearer_token = terminal.token});
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      statuses.push_back(r.status);
      if (took > slowest) slowest = took;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  int refused = 0, throttled = 0;
  std::string retry_after;
  for (int i = 0; i < 300; ++i) {
    const auto answer = raw_http(server.port(),
                                 enroll_request(protocol::encode(
                                     protocol::EnrollRequest{"GUESS-" + std::to_string(i), "x"})),
                                 "127.0.0.2");
    if (answer.rfind("HTTP/1.1 403", 0) == 0) ++refused;
    if (answer.rfind("HTTP/1.1 429", 0) == 0) {
      ++throttled;
      const auto at = answer.find("Retry-After: ");
      if (at != std::string::npos && retry_after.empty())
        retry_after = answer.substr(at + 13, answer.find("\r\n", at) - at - 13);
    }
  }
  guessing = false;
  syncing.join();
  // The free tries, plus at most a few more heard once a delay had passed.
  CHECK(refused >= hq::kFreeEnrollFailuresPerAddress);
  CHECK(refused <= hq::kFreeEnrollFailuresPerAddress + 3);
  CHECK(throttled == 300 - refused);
  CHECK_FALSE(retry_after.empty());
  REQUIRE_FALSE(statuses.empty());
  for (long s : statuses) CHECK(s == 200);
  CHECK(slowest < std::chrono::milliseconds(1000));
  MESSAGE("terminal syncs during the guessing run: ", statuses.size(),
          ", slowest: ", slowest.count(), " ms");
}

// [SECTION] the kiosk's own client: it keeps a rotated token and its re-enrollment revokes
TEST_CASE("[hq][token] the kiosk keeps a rotated token; re-enrolling retires the old one") {
  TempDir dir;
  std::atomic<std::int64_t> now{hq::system_now_ms()};
  hq::ServerOptions options;
  options.db_path = dir.file("hq.sqlite");
  options.clock = [&now] { return now.load(); };
  auto started = hq::start_server(options);
  REQUIRE_MESSAGE(started.ok(), started.error());
  auto& server = *started.value();
  REQUIRE(server.storage().add_store({"S1", "Downtown"}).ok());
  const auto code = [&] {
    return hq::issue_enrollment_code(server.storage(), "S1", 24 * 365, now.load()).value();
  };

  kiosk::store::Store terminal(dir.file("kiosk.sqlite"));
  auto enrolled = kiosk::sync::client::enroll(terminal, {server.url(), code(), "Till 1"});
  REQUIRE_MESSAGE(enrolled.ok, enrolled.error.text());
  const std::string first_token = terminal.enrollment()->token;

  now += hq::kTokenLifetimeMs - hq::kRotateTokenBeforeMs + kDay;
  auto synced = kiosk::sync::client::sync_once(terminal, now.load());
  REQUIRE_MESSAGE(synced.ok, synced.error.text());
  const std::string second_token = terminal.enrollment()->token;
  CHECK(second_token != first_token);
  REQUIRE(kiosk::sync::client::sync_once(terminal, now.load()).ok);  // uses the new token
  CHECK(http_post({.url = server.url() + "/v1/sync",
                   .body = protocol::encode(protocol::SyncRequest{}),
                   .bearer_token = first_token})
            .status == 401);

  // Re-enrolled (e.g. after a repair): the token it held before stops working at once.
  auto again = kiosk::sync::client::enroll(terminal, {server.url(), code(), "Till 1"});
  REQUIRE_MESSAGE(again.ok, again.error.text());
  auto old = http_post({.url = server.url() + "/v1/sync",
                        .body = protocol::encode(protocol::SyncRequest{}),
                        .bearer_token = second_token});
  CHECK(old.status == 401);
  CHECK(error_code(old.body) == "terminal_revoked");
  CHECK(kiosk::sync::client::sync_once(terminal, now.load()).ok);
}
