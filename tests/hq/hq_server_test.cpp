// kiosk-hq over real HTTP: the server runs in-process on 127.0.0.1 with a free port, and the
// test talks to it with the kiosk's own HTTP client (libcurl).
#include <doctest/doctest.h>

#include <mutex>

#include <memory>

#include "sync/client/http_client.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/http/hq_server.h"
#include "sync/protocol/json_codec.h"
#include "tests/hq/hq_test_support.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::http_get;
using kiosk::sync::client::http_post;
using kiosk::sync::client::HttpResponse;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::TempDir;

namespace {

struct LiveHq {
  TempDir dir;
  std::unique_ptr<hq::RunningServer> server;
  std::mutex log_mutex;
  std::vector<std::string> access_log;  // lines the server logged

  LiveHq() {
    auto started = hq::start_server({dir.file("hq.sqlite"), "127.0.0.1:0", 2, hq::system_now_ms,
                                     [this](const std::string& line) {
                                       std::lock_guard lock(log_mutex);
                                       access_log.push_back(line);
                                     }});
    REQUIRE_MESSAGE(started.ok(), started.error());
    server = std::move(started.value());
    REQUIRE(server->port() != 0);
    REQUIRE(server->storage().add_store({"S1", "Downtown"}).ok());
    // Escalations are filed against mentions head office knows.
    REQUIRE(server->storage()
                .upsert_mentions("S1",
                                 {{"mastodon:1", "", "mastodon", "ann", "long line", "", 1},
                                  {"google:9", "", "google", "bo", "door broken", "", 2}},
                                 hq::system_now_ms())
                .ok());
  }

  // The cursor after the seeded mentions, as a terminal has it after its first sync.
  std::int64_t caught_up_cursor(const std::string& token) {
    auto r = protocol::decode_sync_response(
        post("/v1/sync", protocol::encode(protocol::SyncRequest{}), token).body);
    REQUIRE(r.ok());
    return r->cursor;
  }

  HttpResponse post(const std::string& path, const std::string& body,
                    const std::string& token = "") {
    return http_post({.url = server->url() + path, .body = body, .bearer_token = token});
  }

  protocol::EnrollResponse enroll() {
    auto code = hq::issue_enrollment_code(server->storage(), "S1", 1, hq::system_now_ms());
    REQUIRE(code.ok());
    auto r = post("/v1/enroll", protocol::encode(protocol::EnrollRequest{code.value(), "Till 1"}));
    REQUIRE_MESSAGE(r.status == 200, r.body, r.transport_error);
    auto e = protocol::decode_enroll_response(r.body);
    REQUIRE_MESSAGE(e.ok(), e.error());
    return e.value();
  }
};

HttpResponse get(const std::string& url) {
  kiosk::sync::client::HttpRequest request;
  request.url = url;
  return http_get(request);
}

std::string error_code(const HttpResponse& r) {
  auto e = protocol::decode_error(r.body);
  REQUIRE_MESSAGE(e.ok(), "not an error body: ", r.body, r.transport_error);
  CHECK_FALSE(e->message.empty());
  return e->code;
}

}  // namespace

TEST_CASE("[hq][http] a terminal enrolls and syncs; a retried batch is applied once") {
  LiveHq h;
  CHECK(get(h.server->url() + "/healthz").body == R"({"ok":true})");

  const auto terminal = h.enroll();
  CHECK(terminal.store_id == "S1");
  CHECK(terminal.store_name == "Downtown");

  protocol::SyncRequest req;
  req.cursor = h.caught_up_cursor(terminal.token);
  req.events = {escalation_event(), escalation_event("google:9", "broken door")};
  const std::string body = protocol::encode(req);

  auto first = h.post("/v1/sync", body, terminal.token);
  REQUIRE_MESSAGE(first.status == 200, first.body);
  auto r1 = protocol::decode_sync_response(first.body);
  REQUIRE(r1.ok());
  CHECK(r1->acked.size() == 2);
  CHECK(r1->changes.size() == 2);
  CHECK(r1->cursor == r1->changes.back().seq);
  CHECK(r1->server_time_ms > 0);

  // The answer was lost on the way: the terminal sends the very same request again.
  auto retry = h.post("/v1/sync", body, terminal.token);
  auto r2 = protocol::decode_sync_response(retry.body);
  REQUIRE(r2.ok());
  CHECK(r2->acked == r1->acked);
  CHECK(r2->changes.size() == 2);
  CHECK(h.server->storage().count_events().value() == 2);
  CHECK(h.server->storage().list_escalations("S1")->size() == 2);

  SUBCASE("an acknowledgement at HQ reaches the terminal on its next sync") {
    REQUIRE(h.server->storage()
                .raise_escalation_status(req.events[0].escalation.id,
                                         kiosk::core::EscalationStatus::acknowledged, "HQ ops",
                                         hq::system_now_ms())
                .ok());
    protocol::SyncRequest next;
    next.cursor = r2->cursor;
    auto r3 = protocol::decode_sync_response(
        h.post("/v1/sync", protocol::encode(next), terminal.token).body);
    REQUIRE(r3.ok());
    REQUIRE(r3->changes.size() == 1);
    CHECK(r3->changes[0].escalation->acknowledged_by == "HQ ops");
  }
  SUBCASE("a second server on the same database serves the same feed") {
    auto other =
        hq::start_server({h.dir.file("hq.sqlite"), "127.0.0.1:0", 1, hq::system_now_ms, {}});
    REQUIRE(other.ok());
    CHECK(other.value()->port() != h.server->port());
    auto via_other = http_post(
        {.url = other.value()->url() + "/v1/sync", .body = body, .bearer_token = terminal.token});
    auto r3 = protocol::decode_sync_response(via_other.body);
    REQUIRE_MESSAGE(r3.ok(), via_other.body);
    CHECK(r3->changes.size() == 2);
    CHECK(h.server->storage().count_events().value() == 2);
  }
}

TEST_CASE("[hq][http] bad requests get JSON errors a person can act on") {
  LiveHq h;
  const auto terminal = h.enroll();
  const std::string empty_sync = protocol::encode(protocol::SyncRequest{});

  SUBCASE("401 without a token or with a wrong one") {
    auto none = h.post("/v1/sync", empty_sync);
    CHECK(none.status == 401);
    CHECK(error_code(none) == "unauthorized");
    auto wrong = h.post("/v1/sync", empty_sync, "not-a-real-token");
    CHECK(wrong.status == 401);
  }
  SUBCASE("403 for a used enrollment code") {
    auto code = hq::issue_enrollment_code(h.server->storage(), "S1", 1, hq::system_now_ms());
    const auto body = protocol::encode(protocol::EnrollRequest{code.value(), "Till 2"});
    CHECK(h.post("/v1/enroll", body).status == 200);
    auto again = h.post("/v1/enroll", body);
    CHECK(again.status == 403);
    CHECK(error_code(again) == "bad_enrollment_code");
  }
  SUBCASE("413 for a body over the limit, and the server keeps serving") {
    const std::string huge(protocol::kMaxRequestBytes + 100'000, ' ');
    auto r = h.post("/v1/sync", huge, terminal.token);
    CHECK(r.status == 413);
    CHECK(error_code(r) == "payload_too_large");
    CHECK(h.post("/v1/sync", empty_sync, terminal.token).status == 200);
  }
  SUBCASE("400 for malformed JSON") {
    auto r = h.post("/v1/sync", R"({"protocol":1,"cursor":)", terminal.token);
    CHECK(r.status == 400);
    CHECK(error_code(r) == "bad_request");
  }
  SUBCASE("400 for bytes that are not UTF-8") {
    auto r = h.post("/v1/sync", "{\"protocol\":1,\"cursor\":0,\"events\":[],\"x\":\"\xff\xfe\"}",
                    terminal.token);
    CHECK(r.status == 400);
    CHECK(error_code(r) == "bad_request");
  }
  SUBCASE("400 names the field that is wrong") {
    auto r = h.post("/v1/sync", R"({"protocol":1,"cursor":"zero","events":[]})", terminal.token);
    CHECK(r.status == 400);
    CHECK(r.body.find("cursor") != std::string::npos);
  }
  SUBCASE("404 and 405") {
    auto missing = get(h.server->url() + "/v1/nothing-here");
    CHECK(missing.status == 404);
    CHECK(error_code(missing) == "not_found");
    auto wrong_method = get(h.server->url() + "/v1/sync");
    CHECK(wrong_method.status == 405);
    CHECK(error_code(wrong_method) == "method_not_allowed");
  }
  CHECK(h.server->storage().count_events().value() == 0);
}

TEST_CASE("[hq][http] a port in use is reported, not ignored") {
  LiveHq h;
  auto second = hq::start_server({h.dir.file("hq.sqlite"),
                                  "127.0.0.1:" + std::to_string(h.server->port()),
                                  1,
                                  hq::system_now_ms,
                                  {}});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().find("already in use") != std::string::npos);
}

TEST_CASE("[hq][http] every request leaves one access-log line for head-office IT") {
  LiveHq h;
  h.enroll();
  h.post("/v1/enroll", R"({"code":"WRONG"})");
  std::lock_guard lock(h.log_mutex);
  REQUIRE(h.access_log.size() == 2);
  CHECK(h.access_log[0].find(" POST /v1/enroll 200 ") != std::string::npos);
  CHECK(h.access_log[1].find(" POST /v1/enroll 403 ") != std::string::npos);
  CHECK(h.access_log[1].find("in=16B") != std::string::npos);
  // The token never appears in the log.
  for (const auto& line : h.access_log) CHECK(line.find("Bearer") == std::string::npos);
}
