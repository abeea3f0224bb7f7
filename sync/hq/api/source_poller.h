#pragma once
// Head office's polling connectors: for each configured connector (sources::ConnectorConfig)
// that is due, take its lease in the database (so one kiosk-hq process polls it at a time),
// fetch its pages through the project's HTTP client, parse them (sources::parse_payload),
// and hand the mentions to take_in_mentions (matching, dedup, unmatched queue). Its health
// line (last success, last error, items seen, next poll) is written back with the lease.
//
// What comes back decides the next poll:
//   2xx: next page (cursor, Link header or offset) up to max_pages, then the interval;
//   429 (or 503 with Retry-After): Retry-After or x-rate-limit-reset, else backoff;
//   5xx, timeouts, refused connections: capped exponential backoff with jitter;
//   401/403: the credential is refused; retried at the interval, the error says which
//   environment variable to check; a body that cannot be read: skipped and counted, the
//   poll ends there and the next one comes at the interval;
//   the daily quota used up: the next poll after midnight UTC.
// Credentials go only into the Authorization header, never into a log line or an error.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "kiosk/core/backoff.h"
#include "sync/hq/api/mention_intake.h"
#include "sync/hq/storage/hq_storage.h"
#include "sync/sources/connector.h"

namespace kiosk::sync::hq {

struct PollerOptions {
  std::string holder;  // this process in the lease rows, e.g. "host:1234:ab12"
  std::function<std::int64_t()> clock;
  std::function<double()> random01;                  // jitter for the backoff, [0, 1)
  std::function<void(const std::string&)> log = {};  // one line per poll and per problem
  core::BackoffPolicy backoff = {30'000, 30 * 60'000};
  std::int64_t lease_ms = 10 * 60'000;  // a process that dies mid-poll holds it this long
};

struct PollReport {
  std::string name;
  bool polled = false;
  std::string not_polled_because;  // "not due", "another kiosk-hq process holds its lease"
  int requests = 0;
  int pages = 0;
  int mentions = 0;  // read from the pages
  int skipped = 0;   // items and bodies that could not be read
  IntakeCounts counts;
  std::string error;  // what went wrong this time, in words, or empty
  std::int64_t next_poll_ms = 0;
};

// "holder" for PollerOptions: host name, process id and a random part.
std::string make_poller_holder();

class SourcePoller {
 public:
  SourcePoller(HqStorage& storage, std::vector<sources::ConnectorConfig> connectors,
               PollerOptions options);
  ~SourcePoller();
  SourcePoller(const SourcePoller&) = delete;
  SourcePoller& operator=(const SourcePoller&) = delete;

  // Polls each enabled connector that is due now and whose lease this process gets.
  std::vector<PollReport> poll_due();
  PollReport poll(const sources::ConnectorConfig& connector);
  // poll_due() in a loop until stop(); sleeps until the next connector is due (at most
  // max_sleep_ms, so connectors another process released are picked up).
  void run(std::int64_t max_sleep_ms = 1000);
  void stop();
  const std::vector<sources::ConnectorConfig>& connectors() const { return connectors_; }

 private:
  HqStorage& storage_;
  std::vector<sources::ConnectorConfig> connectors_;
  PollerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace kiosk::sync::hq
