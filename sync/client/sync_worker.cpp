#include "sync/client/sync_worker.h"

#include <array>
#include <random>

#include "sync/client/sync_session.h"

namespace kiosk::sync::client {

std::string_view to_string(WorkerState s) {
  static constexpr std::array<std::string_view, 5> kNames = {"stopped", "syncing", "idle",
                                                             "backing_off", "needs_enrollment"};
  return kNames[static_cast<std::size_t>(s)];
}

SyncWorker::SyncWorker(SyncWorkerOptions options)
    : options_(std::move(options)), backoff_(options_.backoff) {
  if (!options_.clock) options_.clock = std::make_shared<SystemWorkerClock>();
  if (!options_.random01) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    options_.random01 = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
  }
}

SyncWorker::~SyncWorker() {
  stop();
}

void SyncWorker::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = false;
  }
  cancel_ = false;
  thread_ = std::thread([this] { run(); });
}

void SyncWorker::stop() {
  cancel_ = true;  // aborts a curl transfer in flight
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    interrupt_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  publish([](WorkerStatus& s) {
    s.state = WorkerState::stopped;
    s.next_attempt_ms.reset();
  });
}

void SyncWorker::request_sync_now() {
  {
    std::lock_guard lock(mutex_);
    sync_requested_ = true;
    interrupt_ = true;  // a long-poll in flight ends at once: the round runs now
  }
  wake_.notify_all();
}

WorkerStatus SyncWorker::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void SyncWorker::publish(const std::function<void(WorkerStatus&)>& change) {
  std::lock_guard lock(mutex_);
  change(status_);
}

bool SyncWorker::round(std::unique_ptr<store::Store>& store, std::int64_t wait_ms) {
  const std::int64_t started = options_.clock->now_ms();
  SyncOutcome outcome;
  try {
    if (!store) {
      store = std::make_unique<store::Store>(options_.db_path, options_.counter);
      store->set_lexicon(options_.lexicon);
    }
    // Re-enrolled since head office refused the token? Only then is a call worth making.
    if (!refused_token_.empty()) {
      const auto enrollment = store->enrollment();
      if (enrollment && enrollment->token == refused_token_) {
        publish([&](WorkerStatus& s) {
          s.state = WorkerState::needs_enrollment;
          s.next_attempt_ms = started + options_.enrollment_check_ms;
        });
        return true;
      }
      refused_token_.clear();
    }
    if (wait_ms > 0) {
      publish([](WorkerStatus& s) { s.live = true; });
      outcome = sync_once(*store, started, &interrupt_, wait_ms);
      if (!outcome.ok && interrupt_.load()) return false;  // cut short on purpose
    } else {
      publish([](WorkerStatus& s) { s.state = WorkerState::syncing; });
      outcome = sync_once(*store, started, &cancel_);
    }
    if (outcome.ok) hq_can_wait_ = outcome.hq_can_wait;
    if (!outcome.ok && outcome.error.kind == core::ErrorKind::reenroll) {
      const auto enrollment = store->enrollment();
      refused_token_ = enrollment ? enrollment->token : std::string("(none)");
    }
  } catch (const std::exception& e) {
    // Opening the database failed (disk full, damaged file): the thread lives on, the
    // status says why, and the next round tries a fresh connection.
    store.reset();
    outcome.ok = false;
    outcome.error = local_storage_error(e, "could not be opened");
  }

  const std::int64_t now = options_.clock->now_ms();
  publish([&](WorkerStatus& s) {
    ++s.rounds;
    if (outcome.ok) {
      backoff_.reset();
      s.state = WorkerState::idle;
      s.last_error.reset();
      s.last_success_ms = now;
      s.failures_in_a_row = 0;
      s.next_attempt_ms = now + options_.interval_ms;
      s.live = options_.live && hq_can_wait_;
      return;
    }
    s.live = false;
    s.last_error = outcome.error;
    ++s.failures_in_a_row;
    if (outcome.error.kind == core::ErrorKind::reenroll) {
      s.state = WorkerState::needs_enrollment;
      s.next_attempt_ms = now + options_.enrollment_check_ms;
    } else {
      s.state = WorkerState::backing_off;
      s.next_attempt_ms = now + backoff_.next_delay_ms(options_.random01());
    }
  });
  return true;
}

void SyncWorker::run() {
  std::unique_ptr<store::Store> store;
  std::optional<WorkerState> recorded;  // what the database says the worker is doing
  bool listen = false;                  // the next round is a long-poll
  while (true) {
    const bool counted = round(store, listen ? options_.live_wait_ms : 0);
    listen = false;
    if (!counted) {
      // A long-poll cut short by "Sync now", a new escalation or stop: run the round now.
      std::lock_guard lock(mutex_);
      if (stop_requested_) return;
      if (sync_requested_) refused_token_.clear();
      sync_requested_ = false;
      continue;
    }
    const WorkerStatus now = status();
    // Written when the state changes or a retry is scheduled; a healthy idle terminal does
    // not write every interval.
    if (store && (recorded != now.state || now.state == WorkerState::backing_off)) {
      try {
        store->record_worker_schedule(to_string(now.state), now.next_attempt_ms);
        recorded = now.state;
      } catch (const std::exception&) {
        // Best effort: the in-memory status already says what went wrong.
      }
    }
    if (options_.on_change) options_.on_change();

    std::unique_lock lock(mutex_);
    if (stop_requested_) return;
    // Online against an HQ with the live channel: wait there, not on the timer.
    if (options_.live && hq_can_wait_ && status_.state == WorkerState::idle && !sync_requested_) {
      interrupt_ = false;
      listen = true;
      continue;
    }
    const std::int64_t deadline = status_.next_attempt_ms.value_or(options_.clock->now_ms());
    options_.clock->wait_until(lock, wake_, deadline,
                               [this] { return stop_requested_ || sync_requested_; });
    if (stop_requested_) return;
    if (sync_requested_) refused_token_.clear();  // re-enrolled, or staff asked: try again
    sync_requested_ = false;
  }
}

}  // namespace kiosk::sync::client
