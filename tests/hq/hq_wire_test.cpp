// kiosk-hq's wire over real HTTP on 127.0.0.1: gzip both ways (a compressed "bomb" refused
// without inflating it), one kept-alive connection for many requests, and the long-poll that
// holds a sync until the store's changefeed moves.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "sync/client/http_client.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/http/hq_server.h"
#include "sync/protocol/json_codec.h"
#include "tests/hq/hq_test_support.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::HttpRequest;
using kiosk::sync::client::HttpResponse;
using kiosk::sync::client::HttpSession;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

struct WireHq {
  TempDir dir;
  std::unique_ptr<hq::RunningServer> server;
  std::string token;

  explicit WireHq(int mentions = 2) {
    auto started =
        hq::start_server({dir.file("hq.sqlite"), "127.0.0.1:0", 2, hq::system_now_ms, {}});
    REQUIRE_MESSAGE(started.ok(), started.error());
    server = std::move(started.value());
    REQUIRE(server->storage().add_store({"S1", "Downtown"}).ok());
    add_mentions(0, mentions);
    auto code = hq::issue_enrollment_code(server->storage(), "S1", 1, hq::system_now_ms());
    REQUIRE(code.ok());
    HttpSession s;
    HttpRequest enroll;
    enroll.url = url("/v1/enroll");
    enroll.body = protocol::encode(protocol::EnrollRequest{code.value(), "Till 1"});
    auto r = s.post(enroll);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    token = protocol::decode_enroll_response(r.body)->token;
  }

  void add_mentions(int from, int count) {
    std::vector<kiosk::core::Mention> batch;
    for (int i = from; i < from + count; ++i)
      batch.push_back(
          {"google:" + std::to_string(i), "", "google", "@guest" + std::to_string(i),
           "Waited twenty minutes at the till and nobody came, number " + std::to_string(i), "",
           1'732'320'000'000 + i});
    REQUIRE(server->storage().upsert_mentions("S1", batch, hq::system_now_ms()).ok());
  }

  std::string url(const std::string& path) const { return server->url() + path; }

  HttpRequest sync_request(const protocol::SyncRequest& body, bool gzip = false) const {
    HttpRequest r;
    r.url = url("/v1/sync");
    r.body = protocol::encode(body);
    r.bearer_token = token;
    r.gzip_body = gzip;
    return r;
  }
};

}  // namespace

TEST_CASE("[hq][wire] sync answers go gzip-compressed on one kept-alive connection") {
  WireHq h(400);
  HttpSession session;
  protocol::SyncRequest req;
  auto first = session.post(h.sync_request(req));
  REQUIRE_MESSAGE(first.status == 200, first.body);
  auto r = protocol::decode_sync_response(first.body);
  REQUIRE(r.ok());
  CHECK(r->changes.size() == 400);
  // The kiosk asked for gzip: what crossed the wire is a fraction of the JSON it read.
  MESSAGE("400 mentions: ", first.body.size(), " bytes of JSON, ", first.body_bytes_received,
          " on the wire");
  CHECK(first.body_bytes_received * 4 < static_cast<std::int64_t>(first.body.size()));
  CHECK(std::find(r->features.begin(), r->features.end(), "gzip_requests") != r->features.end());
  CHECK(std::find(r->features.begin(), r->features.end(), "wait") != r->features.end());

  req.cursor = r->cursor;
  for (int i = 0; i < 5; ++i) REQUIRE(session.post(h.sync_request(req)).status == 200);
  CHECK(session.connections_opened() == 1);  // six requests, one TCP handshake
}

TEST_CASE("[hq][wire] a gzip request body is read; one that inflates past 1 MiB is refused") {
  WireHq h;
  HttpSession session;
  protocol::SyncRequest req;
  for (int i = 0; i < 20; ++i) req.events.push_back(escalation_event("google:1"));
  auto sent = session.post(h.sync_request(req, /*gzip=*/true));
  REQUIRE_MESSAGE(sent.status == 200, sent.body);
  CHECK(sent.body_bytes_sent < static_cast<std::int64_t>(protocol::encode(req).size()));
  CHECK(protocol::decode_sync_response(sent.body)->acked.size() == 20);
  CHECK(h.server->storage().count_events().value() == 20);

  // 64 MiB of spaces in a JSON body compress to about 64 KiB: refused with 413 as soon as
  // the inflated text passes the limit, never held whole in memory.
  HttpRequest bomb = h.sync_request(req, true);
  bomb.body.insert(1, std::string(64u << 20, ' '));
  auto refused = session.post(bomb);
  CHECK(refused.body_bytes_sent < (1 << 20));
  CHECK(refused.status == 413);
  CHECK(protocol::decode_error(refused.body)->code == "payload_too_large");
}

TEST_CASE("[hq][wire] a waiting sync is answered as soon as its store's changefeed moves") {
  WireHq h;
  HttpSession session;
  protocol::SyncRequest req;
  auto caught_up = protocol::decode_sync_response(session.post(h.sync_request(req)).body);
  REQUIRE(caught_up.ok());
  req.cursor = caught_up->cursor;

  SUBCASE("nothing new: an empty answer when the wait runs out") {
    req.wait_ms = 600;
    const auto t0 = Clock::now();
    auto r = session.post(h.sync_request(req));
    const auto took = Clock::now() - t0;
    REQUIRE(r.status == 200);
    CHECK(protocol::decode_sync_response(r.body)->changes.empty());
    CHECK(took >= std::chrono::milliseconds(480));  // the wait, less its jitter of 20 %
    CHECK(took < std::chrono::milliseconds(3000));
  }
  SUBCASE("a new mention: answered within moments, not at the end of the wait") {
    req.wait_ms = 20000;
    std::thread later([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      h.add_mentions(100, 1);
    });
    const auto t0 = Clock::now();
    auto r = session.post(h.sync_request(req));
    const auto took = Clock::now() - t0;
    later.join();
    REQUIRE(r.status == 200);
    auto decoded = protocol::decode_sync_response(r.body);
    REQUIRE(decoded.ok());
    REQUIRE(decoded->changes.size() == 1);
    CHECK(decoded->changes[0].mention->id == "google:100");
    CHECK(took < std::chrono::milliseconds(2000));
  }
  SUBCASE("events to send are answered at once, whatever the wait") {
    req.wait_ms = 20000;
    req.events = {escalation_event("google:1")};
    const auto t0 = Clock::now();
    auto r = session.post(h.sync_request(req));
    CHECK(Clock::now() - t0 < std::chrono::milliseconds(2000));
    CHECK(protocol::decode_sync_response(r.body)->acked.size() == 1);
  }
  SUBCASE("a server stopping answers its waiting terminals instead of hanging") {
    req.wait_ms = 20000;
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      h.server->stop();
    });
    const auto t0 = Clock::now();
    session.post(h.sync_request(req));
    stopper.join();
    CHECK(Clock::now() - t0 < std::chrono::milliseconds(5000));
  }
}
