#include "sync/client/sync_worker.h"

#include <chrono>
#include <random>

#include "sync/client/sync_session.h"

namespace kiosk::sync::client {

SyncWorker::SyncWorker(SyncWorkerOptions options) : options_(std::move(options)) {}

SyncWorker::~SyncWorker() {
  stop();
}

void SyncWorker::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void SyncWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SyncWorker::request_sync_now() {
  {
    std::lock_guard lock(mutex_);
    sync_requested_ = true;
  }
  wake_.notify_all();
}

void SyncWorker::run() {
  std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  core::Backoff backoff(options_.backoff);
  std::unique_ptr<store::Store> store;

  while (true) {
    std::int64_t wait_ms = options_.interval_ms;
    try {
      if (!store) store = std::make_unique<store::Store>(options_.db_path, options_.counter);
      const SyncOutcome outcome = sync_once(*store, options_.now_ms());
      if (outcome.ok) {
        backoff.reset();
      } else {
        wait_ms = backoff.next_delay_ms(jitter(rng));
      }
    } catch (const std::exception& e) {
      // A database problem (disk full, damaged file) must not kill the thread: the UI
      // shows the last error and we retry later.
      store.reset();
      wait_ms = backoff.next_delay_ms(jitter(rng));
    }
    if (options_.on_change) options_.on_change();

    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                   [this] { return stop_requested_ || sync_requested_; });
    if (stop_requested_) return;
    sync_requested_ = false;
  }
}

}  // namespace kiosk::sync::client
