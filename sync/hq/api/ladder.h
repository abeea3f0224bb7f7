#pragma once
// Head office's side of the escalation ladder (docs/escalation.md): checking a store's policy
// file, evaluating every unresolved escalation on a timer, and sending the notifications that
// decides through a pluggable sender, each on its own thread so that a slow or failing
// receiver never holds up the ladder, and neither of them the sync.
//
//   LadderRunner ladder(storage, clock);        ladder.tick();      // climbs, records
//   NotificationDispatcher out(storage, clock, sender);  out.run_once();  // sends, retries
//   LadderService service(storage, clock, sender, {});  // both on threads (kiosk-hq serve)
//
// Several kiosk-hq processes may share one database: advance_ladder only applies a step
// from the state it was computed from, and notifications are claimed before sending, so
// each is recorded once and sent by one process.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/core/escalation_policy.h"
#include "kiosk/core/result.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

// [SECTION] policies and time zones
// A store's UTC offsets from the system's zoneinfo (TZif files), e.g. "Europe/London".
core::Result<core::UtcOffsets> load_zone_offsets(
    const std::string& zone, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
// Parses the file and checks its time zone exists: what `policy set` stores.
core::Result<core::StorePolicy> check_policy_file(
    const std::string& text, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
// The business hours evaluate_ladder needs, offsets resolved.
core::Result<core::BusinessHours> business_hours_of(
    const core::StorePolicy& policy, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

// [SECTION] the ladder
struct LadderTick {
  int evaluated = 0;      // unresolved escalations with a policy
  int advanced = 0;       // whose ladder moved
  int notifications = 0;  // recorded for sending
  int lost_races = 0;     // another process applied the same step first
};

class LadderRunner {
 public:
  LadderRunner(HqStorage& storage, Clock clock) : storage_(storage), clock_(std::move(clock)) {}
  // Evaluates every candidate once at clock(); errors on one escalation (a policy that no
  // longer parses) go to `log` and the rest continue.
  core::Result<LadderTick> tick(const std::function<void(const std::string&)>& log = {});

 private:
  HqStorage& storage_;
  Clock clock_;
};

// [SECTION] senders
struct SendOutcome {
  bool sent = false;
  std::string error;  // why not, in words for head-office IT
};

class NotificationSender {
 public:
  virtual ~NotificationSender() = default;
  virtual std::string name() const = 0;  // "log", "webhook": recorded with each notification
  virtual SendOutcome send(const OutgoingNotification& n) = 0;
};

// The default: one line per notification to a log function (kiosk-hq's stderr).
class LogSender final : public NotificationSender {
 public:
  explicit LogSender(std::function<void(const std::string&)> log) : log_(std::move(log)) {}
  std::string name() const override { return "log"; }
  SendOutcome send(const OutgoingNotification& n) override;

 private:
  std::function<void(const std::string&)> log_;
};

// An HTTP POST of webhook_body(n) to url, signed: "X-Kiosk-Signature: sha256=<hex HMAC-SHA-256
// of the body under the shared secret>". Any 2xx is sent; anything else, or no answer within
// timeout_ms, is an error the dispatcher retries with backoff.
class WebhookSender final : public NotificationSender {
 public:
  WebhookSender(std::string url, std::string secret, long timeout_ms = 5000)
      : url_(std::move(url)), secret_(std::move(secret)), timeout_ms_(timeout_ms) {}
  std::string name() const override { return "webhook"; }
  SendOutcome send(const OutgoingNotification& n) override;

 private:
  std::string url_;
  std::string secret_;
  long timeout_ms_;
};

// The documented JSON a webhook receives (docs/escalation.md).
std::string webhook_body(const OutgoingNotification& n);
inline constexpr const char* kSignatureHeader = "X-Kiosk-Signature";

// [SECTION] the dispatcher
struct DispatchPolicy {
  int max_attempts = 8;               // then the notification is marked failed, with the reason
  std::int64_t retry_base_ms = 1000;  // backoff: doubled each failure (full jitter), capped
  std::int64_t retry_cap_ms = 5 * 60'000;
  std::int64_t lease_ms = 60'000;  // a claimed notification is left to its claimer this long
  int batch = 20;
};

class NotificationDispatcher {
 public:
  NotificationDispatcher(HqStorage& storage, Clock clock, NotificationSender& sender,
                         DispatchPolicy policy = {})
      : storage_(storage), clock_(std::move(clock)), sender_(sender), policy_(policy) {}
  // Sends what is due now; returns how many were sent.
  core::Result<int> run_once(const std::function<void(const std::string&)>& log = {});

 private:
  HqStorage& storage_;
  Clock clock_;
  NotificationSender& sender_;
  DispatchPolicy policy_;
};

// [SECTION] both on threads
struct LadderServiceOptions {
  std::int64_t ladder_interval_ms = 15'000;
  std::int64_t dispatch_interval_ms = 500;
  DispatchPolicy dispatch;
  std::function<void(const std::string&)> log;  // errors and the log sender's lines
};

// The ladder and the dispatcher on two threads of their own; stops (and joins) on destruction.
class LadderService {
 public:
  LadderService(HqStorage& storage, Clock clock, std::unique_ptr<NotificationSender> sender,
                LadderServiceOptions options);
  ~LadderService();
  LadderService(const LadderService&) = delete;
  LadderService& operator=(const LadderService&) = delete;
  void stop();
  // Wakes the ladder thread now (a new escalation arrived) instead of at its next interval.
  void poke();

 private:
  void loop(bool ladder);

  HqStorage& storage_;
  Clock clock_;
  std::unique_ptr<NotificationSender> sender_;
  LadderServiceOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  bool poked_ = false;     // guarded by mutex_: evaluate the ladder now
  bool to_send_ = false;   // guarded by mutex_: the ladder recorded notifications
  std::thread ladder_thread_;
  std::thread dispatch_thread_;
};

}  // namespace kiosk::sync::hq
