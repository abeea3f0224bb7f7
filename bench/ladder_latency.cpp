// From an escalation arriving at head office to its notification leaving through the webhook
// sender, on loopback. A real kiosk-hq (in process: HTTP server, SQLite file, ladder and
// dispatcher threads) with many enrolled terminals; one terminal posts sync requests, each
// carrying one new high escalation, and a loopback receiver counts the webhook POSTs.
//
//   ladder_latency [--escalations 200] [--terminals 200] [--interval-ms 15000]
//
// Baseline, measured in the same run: the sync request's own round trip. "Notified" is from
// just before the sync request is sent to the moment the receiver has the POST.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/hq/api/admin.h"
#include "sync/hq/api/ladder.h"
#include "sync/hq/http/hq_server.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/json_codec.h"
#include "tests/support/canned_http_server.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int fail(const std::string& why) {
  std::fprintf(stderr, "ladder_latency: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int escalations = 200;
  int terminals = 200;
  long interval_ms = 15000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--escalations") == 0) escalations = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--terminals") == 0) terminals = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--interval-ms") == 0) interval_ms = std::atol(argv[i + 1]);
  }
  const auto dir = std::filesystem::temp_directory_path() / ("ladder-bench-" + hq::make_uuid());
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() { std::filesystem::remove_all(p); }
  } cleanup{dir};

  // Wired as kiosk-hq serve wires it: a sync that brought escalations wakes the ladder.
  auto ladder_ptr = std::make_shared<std::atomic<hq::LadderService*>>(nullptr);
  hq::ServerOptions server_options;
  server_options.db_path = (dir / "hq.sqlite").string();
  server_options.after_sync_with_events = [ladder_ptr] {
    if (auto* l = ladder_ptr->load()) l->poke();
  };
  auto server = hq::start_server(server_options);
  if (!server) return fail(server.error());
  hq::HqStorage& storage = (*server)->storage();
  if (!storage.add_store({"S1", "Downtown"}).ok()) return fail("cannot add the store");
  if (!storage.upsert_mentions("S1", {{"m1", "", "google", "a", "text", "", 1}}, 1).ok())
    return fail("cannot add the mention");
  if (!storage
           .set_store_policy("S1",
                             "severity high\n  level Store manager 15m\n  level District 1h\n", 1)
           .ok())
    return fail("cannot set the policy");

  kiosk::testing::CannedHttpServer receiver({{200, 0}});
  hq::LadderServiceOptions options;
  options.ladder_interval_ms = interval_ms;
  options.dispatch_interval_ms = 500;
  hq::LadderService ladder(storage, hq::system_now_ms,
                           std::make_unique<hq::WebhookSender>(receiver.url(), "bench-secret-0123"),
                           options);
  ladder_ptr->store(&ladder);

  std::string token;
  for (int t = 0; t < terminals; ++t) {
    auto code = hq::issue_enrollment_code(storage, "S1", 1, hq::system_now_ms());
    if (!code) return fail(code.error());
    kiosk::sync::client::HttpRequest enroll;
    enroll.url = (*server)->url() + "/v1/enroll";
    enroll.body = protocol::encode(protocol::EnrollRequest{code.value(), "Till"});
    const auto r = kiosk::sync::client::http_post(enroll);
    auto e = protocol::decode_enroll_response(r.body);
    if (!e) return fail("enrollment failed: " + r.body);
    token = e->token;
  }

  std::vector<double> round_trip, notified, after_answer;
  for (int i = 0; i < escalations; ++i) {
    protocol::SyncRequest req;
    protocol::Event e;
    e.id = hq::make_uuid();
    e.kind = "escalation.created";
    e.hlc = "1795431600000-0001";
    e.escalation.id = hq::make_uuid();
    e.escalation.mention_id = "m1";
    e.escalation.severity = kiosk::core::Severity::high;
    e.escalation.created_at_ms = hq::system_now_ms();
    e.escalation.status_changed_at_ms = e.escalation.created_at_ms;
    req.events = {e};
    const std::string body = protocol::encode(req);
    const int before = receiver.requests();
    const auto t0 = Clock::now();
    kiosk::sync::client::HttpRequest sync;
    sync.url = (*server)->url() + "/v1/sync";
    sync.body = body;
    sync.bearer_token = token;
    const auto r = kiosk::sync::client::http_post(sync);
    round_trip.push_back(ms_since(t0));
    if (r.status != 200) return fail("sync answered " + std::to_string(r.status) + ": " + r.body);
    while (receiver.requests() == before) {
      if (ms_since(t0) > 60'000) return fail("no webhook POST within 60 s");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    notified.push_back(ms_since(t0));
    after_answer.push_back(notified.back() - round_trip.back());
  }
  ladder_ptr->store(nullptr);
  ladder.stop();
  std::printf("ladder_latency: %d escalations, %d terminals enrolled, loopback, SQLite\n",
              escalations, terminals);
  std::printf("  baseline sync round trip: median %.2f ms, p99 %.2f ms\n",
              percentile(round_trip, 0.5), percentile(round_trip, 0.99));
  std::printf("  arrival -> webhook POST:  median %.2f ms, p99 %.2f ms (%.1fx the sync)\n",
              percentile(notified, 0.5), percentile(notified, 0.99),
              percentile(notified, 0.5) / percentile(round_trip, 0.5));
  std::printf(
      "  of which after the sync answered (ladder + dispatcher + POST): median %.2f ms, "
      "p99 %.2f ms\n",
      percentile(after_answer, 0.5), percentile(after_answer, 0.99));
  return 0;
}
