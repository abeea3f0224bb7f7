// Two real kiosk-hq processes on one database (a SQLite file, or in multi_hq_pg_test a
// PostgreSQL database), with terminals of two stores syncing through both at once and a third
// process loading mentions meanwhile: every event is applied once, and each terminal follows
// its store's changefeed without a gap or a change out of order.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/protocol/json_codec.h"
#include "tests/integration/hq_fixture.h"
#include "tests/support/process.h"

namespace protocol = kiosk::sync::protocol;
using kiosk::sync::client::http_post;
using kiosk::testing::ChildProcess;
using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;

namespace {

// A second kiosk-hq process on the fixture's database and secret.
struct SecondHq {
  std::unique_ptr<ChildProcess> process;
  std::string url;

  SecondHq(const TempDir& dir, const HqFixture& first) {
    const std::string port_file = dir.file("second.port");
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{HqFixture::binary(), "--db", first.db(), "--secret-file",
                                 first.secret(), "--listen", "127.0.0.1:0", "--port-file",
                                 port_file, "--quiet"},
        dir.file("second.log"));
    for (int i = 0; i < 400 && url.empty(); ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0)
        url = "http://127.0.0.1:" + std::to_string(port);
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE_MESSAGE(!url.empty(), "the second kiosk-hq did not start; see second.log");
  }
};

struct Terminal {
  std::string store_id;
  std::string token;
  std::string mention_id;          // what its escalations are filed against
  std::vector<std::int64_t> seqs;  // changefeed positions it received, in order
  std::set<std::string> sent;      // escalation ids it made
  std::string problem;             // the first thing that went wrong, for the report
};

// A UUID-shaped id (version 4, variant 1) that names what it is: kind 0 for events, 1 for
// escalations, then terminal, round and position.
std::string test_uuid(int kind, int terminal, int round, int k) {
  char out[40];
  std::snprintf(out, sizeof out, "%08x-0000-4000-8000-%04x%04x%04x", kind, terminal, round, k);
  return out;
}

protocol::SyncResponse sync_through(const std::string& hq_url, Terminal& t, std::int64_t cursor,
                                    const std::vector<protocol::Event>& events) {
  protocol::SyncRequest req;
  req.cursor = cursor;
  req.events = events;
  kiosk::sync::client::HttpRequest request;
  request.url = hq_url + "/v1/sync";
  request.body = protocol::encode(req);
  request.bearer_token = t.token;
  auto r = http_post(request);
  auto decoded = protocol::decode_sync_response(r.body);
  if (r.status != 200 || !decoded) {
    if (t.problem.empty())
      t.problem = "sync answered " + std::to_string(r.status) + ": " + r.body + r.transport_error;
    return {};
  }
  return decoded.value();
}

// Takes a page: its changes must continue from the cursor in increasing order (and, on
// PostgreSQL where seq counts per store, with no gap at all).
std::int64_t take(Terminal& t, std::int64_t cursor, const protocol::SyncResponse& r) {
  for (const auto& c : r.changes) {
    const std::int64_t last = t.seqs.empty() ? 0 : t.seqs.back();
#ifdef KIOSK_TEST_POSTGRESQL
    const bool in_order = c.seq == last + 1;
#else
    const bool in_order = c.seq > last;
#endif
    if (!in_order && t.problem.empty())
      t.problem = "change " + std::to_string(c.seq) + " came after " + std::to_string(last);
    t.seqs.push_back(c.seq);
  }
  return r.changes.empty() ? cursor : r.cursor;
}

}  // namespace

TEST_CASE("[integration][hq] two kiosk-hq processes on one database: once, in order") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions("s1");
  hq.load_demo_mentions("s2");
  hq.start();
  SecondHq second(dir, hq);
  const std::vector<std::string> hqs{hq.url(), second.url};

  // Four terminals at Downtown, two at Uptown, enrolled through either process.
  std::vector<Terminal> terminals;
  for (int i = 0; i < 6; ++i) {
    const std::string store = i < 4 ? "s1" : "s2";
    kiosk::sync::client::HttpRequest enroll;
    enroll.url = hqs[static_cast<std::size_t>(i % 2)] + "/v1/enroll";
    enroll.body = protocol::encode(
        protocol::EnrollRequest{hq.enroll_code(store), "Till " + std::to_string(i)});
    auto r = http_post(enroll);
    REQUIRE_MESSAGE(r.status == 200, r.body, r.transport_error);
    auto e = protocol::decode_enroll_response(r.body);
    REQUIRE(e.ok());
    terminals.push_back(
        {store, e->token, store == "s1" ? "demo:downtown:1" : "demo:uptown:1", {}, {}, {}});
  }

  constexpr int kRounds = 15;
  constexpr int kPerRound = 4;
  const auto work = [&](Terminal& t, int index) {
    std::int64_t cursor = 0;
    for (int round = 0; round < kRounds; ++round) {
      std::vector<protocol::Event> batch;
      for (int k = 0; k < kPerRound; ++k) {
        protocol::Event e;
        e.id = test_uuid(0, index, round, k);
        e.kind = "escalation.created";
        e.hlc = "1732320000000-0001";
        e.escalation.id = test_uuid(1, index, round, k);
        e.escalation.mention_id = t.mention_id;
        e.escalation.severity = kiosk::core::Severity::high;
        e.escalation.note = "round " + std::to_string(round);
        e.escalation.status = kiosk::core::EscalationStatus::open;
        e.escalation.created_at_ms = 1'732'320'000'000;
        e.escalation.status_changed_at_ms = 1'732'320'000'000;
        t.sent.insert(e.escalation.id);
        batch.push_back(std::move(e));
      }
      // The same batch through both processes at once, as a terminal retrying on another
      // process behind a load balancer would: both must acknowledge it, one must apply it.
      Terminal shadow{t.store_id, t.token, t.mention_id, {}, {}, {}};
      auto other = std::async(std::launch::async, [&] {
        return sync_through(hqs[static_cast<std::size_t>((round + 1) % 2)], shadow, cursor, batch);
      });
      auto mine = sync_through(hqs[static_cast<std::size_t>(round % 2)], t, cursor, batch);
      auto theirs = other.get();
      if (t.problem.empty() && !shadow.problem.empty()) t.problem = shadow.problem;
      if ((mine.acked.size() != batch.size() || theirs.acked.size() != batch.size()) &&
          t.problem.empty())
        t.problem = "a batch of " + std::to_string(batch.size()) + " was not all acknowledged";
      cursor = take(t, cursor, mine);
    }
    // Catch up through both, alternately, until nothing is left.
    for (int page = 0; page < 1000; ++page) {
      auto r = sync_through(hqs[static_cast<std::size_t>(page % 2)], t, cursor, {});
      cursor = take(t, cursor, r);
      if (!r.more && page > 0) break;
    }
  };

  // Head office loads mentions for Downtown through a third process meanwhile.
  auto loader = std::async(std::launch::async, [&] {
    for (int i = 0; i < 10; ++i)
      hq.admin({"mentions", "add", "--store", "s1", "--source", "mastodon", "--author", "a",
                "--text", "live " + std::to_string(i)});
  });
  {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < terminals.size(); ++i)
      threads.emplace_back(work, std::ref(terminals[i]), static_cast<int>(i));
    for (auto& th : threads) th.join();
  }
  loader.get();

  // Every event applied exactly once.
  const long sent = static_cast<long>(terminals.size()) * kRounds * kPerRound;
  CHECK(hq.events() == sent);
  const auto escalations = hq.escalations();
  CHECK(static_cast<long>(escalations.size()) == sent);
  std::map<std::string, int> seen;
  for (const auto& e : escalations) ++seen[e["id"].get<std::string>()];
  for (const auto& [id, n] : seen) CHECK_MESSAGE(n == 1, id);

  // Each terminal saw its store's whole feed, in order, as a fresh reader sees it now. A last
  // pass picks up what the loader committed after a terminal's final page.
  for (auto& t : terminals) {
    CHECK_MESSAGE(t.problem.empty(), t.problem);
    std::int64_t cursor = t.seqs.empty() ? 0 : t.seqs.back();
    for (bool more = true; more;) {
      auto r = sync_through(hq.url(), t, cursor, {});
      cursor = take(t, cursor, r);
      more = r.more;
    }
    Terminal fresh{t.store_id, t.token, t.mention_id, {}, {}, {}};
    std::int64_t from = 0;
    for (bool more = true; more;) {
      auto r = sync_through(second.url, fresh, from, {});
      from = take(fresh, from, r);
      more = r.more;
    }
    CHECK(t.seqs == fresh.seqs);
    // Demo mentions, the store's escalations and (Downtown) the live mentions.
    const std::size_t escalations_of_store = (t.store_id == "s1" ? 4u : 2u) * kRounds * kPerRound;
    CHECK(fresh.seqs.size() > escalations_of_store);
    for (const auto& id : t.sent) CHECK_MESSAGE(seen.count(id) == 1, id);
  }
}
