#pragma once
// The kiosk's background sync thread, as an explicit state machine. It owns its own Store
// connection, runs sync rounds (while idle on a long-poll that head office answers as soon as
// the store's changefeed moves, or on a timer against an HQ without it), backs off (capped,
// jittered) while head office is unreachable, stops calling head office once the terminal must be
// re-enrolled, and can be woken early ("Sync now", a new escalation). Time comes from an injected
// WorkerClock, so tests step it; stop() aborts an in-flight transfer at once. Nothing here ever
// blocks the UI thread, which reads a published WorkerStatus snapshot.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "kiosk/core/backoff.h"
#include "kiosk/core/error.h"
#include "kiosk/core/triage.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/client/worker_clock.h"

namespace kiosk::sync::client {

enum class WorkerState {
  stopped,           // not running
  syncing,           // a round is in flight
  idle,              // the last round succeeded; the next one is due at next_attempt_ms
  backing_off,       // the last round failed; retrying at next_attempt_ms
  needs_enrollment,  // head office refused this terminal's token: no calls until it changes
};
std::string_view to_string(WorkerState s);

// What the status bar and `kiosk status` show. A copy: reading it never waits for a round.
struct WorkerStatus {
  WorkerState state = WorkerState::stopped;
  std::optional<core::Error> last_error;  // the last round's failure, exceptions included
  std::optional<std::int64_t> next_attempt_ms;
  std::optional<std::int64_t> last_success_ms;
  int failures_in_a_row = 0;
  std::uint64_t rounds = 0;  // rounds finished since start
  // Online with a long-poll open at head office: changes arrive as they happen, not on the
  // interval. False against an HQ without the live channel (the worker then polls).
  bool live = false;
};

struct SyncWorkerOptions {
  std::string db_path;
  store::ChangeCounter counter;      // shared with the UI's Store
  std::int64_t interval_ms = 10000;  // between rounds while all is well
  core::BackoffPolicy backoff{1000, 60000};
  // How often a terminal that must re-enroll looks (locally) for a new token.
  std::int64_t enrollment_check_ms = 30000;
  std::shared_ptr<WorkerClock> clock;  // the system clock when empty
  std::function<double()> random01;    // jitter source in [0,1); a real one when empty
  std::function<void()> on_change;     // called after each round, e.g. to wake the UI
  // Triages the mentions each round brings (Store::set_lexicon); stars alone when empty.
  std::shared_ptr<const core::Lexicon> lexicon;
  // While idle against an HQ that offers it, wait for changes on a long-poll (held at most
  // live_wait_ms, then asked again) instead of the interval timer.
  bool live = true;
  std::int64_t live_wait_ms = 25000;
};

class SyncWorker {
 public:
  explicit SyncWorker(SyncWorkerOptions options);
  ~SyncWorker();  // stops and joins
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  void start();
  // Aborts a transfer in flight and joins the thread; returns within moments.
  void stop();
  // Runs a round as soon as possible, cutting short any backoff or interval wait (also
  // after re-enrollment).
  void request_sync_now();
  WorkerStatus status() const;

 private:
  void run();
  // One round and the state it leads to. With wait_ms > 0 it is a long-poll; false when
  // that was cut short on purpose ("Sync now", a new escalation, stop): nothing to publish.
  bool round(std::unique_ptr<store::Store>& store, std::int64_t wait_ms = 0);
  void publish(const std::function<void(WorkerStatus&)>& change);

  SyncWorkerOptions options_;
  core::Backoff backoff_;
  std::string refused_token_;  // the token head office refused; skip rounds while unchanged
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;  // guarded by mutex_
  bool sync_requested_ = false;  // guarded by mutex_
  WorkerStatus status_;          // guarded by mutex_
  std::atomic<bool> cancel_{false};
  std::atomic<bool> interrupt_{false};  // ends a long-poll early (set under mutex_)
  bool hq_can_wait_ = false;            // the last answer announced the live channel
  std::thread thread_;
};

}  // namespace kiosk::sync::client
