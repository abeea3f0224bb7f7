#pragma once
// The kiosk's background sync thread. It owns its own Store connection, runs sync rounds
// on a timer, backs off (capped, jittered) while head office is unreachable, and can be
// woken early ("Sync now", a new escalation). Nothing here ever blocks the UI thread.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/core/backoff.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::sync::client {

struct SyncWorkerOptions {
  std::string db_path;
  store::ChangeCounter counter;      // shared with the UI's Store
  std::int64_t interval_ms = 10000;  // between rounds while all is well
  core::BackoffPolicy backoff{1000, 60000};
  std::function<std::int64_t()> now_ms;  // wall clock (injected)
  std::function<void()> on_change;       // called after each round, e.g. to wake the UI
};

class SyncWorker {
 public:
  explicit SyncWorker(SyncWorkerOptions options);
  ~SyncWorker();  // stops and joins
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  void start();
  void stop();
  // Runs a round as soon as possible, cutting short any backoff wait.
  void request_sync_now();

 private:
  void run();

  SyncWorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;  // guarded by mutex_
  bool sync_requested_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace kiosk::sync::client
