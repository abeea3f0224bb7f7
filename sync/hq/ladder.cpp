#include "sync/hq/ladder.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "kiosk/core/backoff.h"
#include "sync/client/http_client.h"
#include "sync/hq/tokens.h"

// [SECTION] storage without the ladder
// [SECTION] policies and time zones
// [SECTION] the ladder
// [SECTION] senders
// [SECTION] the dispatcher
// [SECTION] both on threads

namespace kiosk::sync::hq {

// [SECTION] storage without the ladder
namespace {
const char* kNoLadder =
    "this head-office storage backend does not keep escalation policies, notes or "
    "notifications yet; use the SQLite database for the ladder";
}

Result<std::optional<StoredEscalation>> HqStorage::add_escalation_note(const std::string&,
                                                                       const std::string&,
                                                                       const std::string&,
                                                                       std::int64_t) {
  return Result<std::optional<StoredEscalation>>::failure(kNoLadder,
                                                          core::ErrorKind::local_storage);
}
Result<std::optional<StoredEscalation>> HqStorage::reassign_escalation(const std::string&,
                                                                       const std::string&,
                                                                       const std::string&,
                                                                       std::int64_t) {
  return Result<std::optional<StoredEscalation>>::failure(kNoLadder,
                                                          core::ErrorKind::local_storage);
}
Result<std::optional<StoredEscalation>> HqStorage::find_escalation(const std::string& id) {
  auto all = list_escalations(std::nullopt);
  if (!all) return Result<std::optional<StoredEscalation>>::failure(all.failure_info());
  for (auto& e : all.value())
    if (e.escalation.id == id) return std::optional<StoredEscalation>(std::move(e));
  return std::optional<StoredEscalation>();
}
Result<std::optional<StoredEscalation>> HqStorage::apply_escalation_action(
    const std::string&, const core::EscalationAction&, std::int64_t) {
  return Result<std::optional<StoredEscalation>>::failure(kNoLadder,
                                                          core::ErrorKind::local_storage);
}
Result<bool> HqStorage::set_store_policy(const std::string&, const std::string&, std::int64_t) {
  return Result<bool>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::optional<std::string>> HqStorage::store_policy(const std::string&) {
  return Result<std::optional<std::string>>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::vector<LadderCandidate>> HqStorage::ladder_candidates() {
  return Result<std::vector<LadderCandidate>>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<bool> HqStorage::advance_ladder(const LadderAdvance&, std::int64_t) {
  return Result<bool>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::vector<OutgoingNotification>> HqStorage::claim_due_notifications(std::int64_t,
                                                                             std::int64_t, int) {
  return Result<std::vector<OutgoingNotification>>::failure(kNoLadder,
                                                            core::ErrorKind::local_storage);
}
Result<bool> HqStorage::finish_notification(std::int64_t, const std::string&, const std::string&,
                                            const std::string&, std::int64_t, std::int64_t) {
  return Result<bool>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::vector<OutgoingNotification>> HqStorage::list_notifications(
    const std::optional<std::string>&) {
  return Result<std::vector<OutgoingNotification>>::failure(kNoLadder,
                                                            core::ErrorKind::local_storage);
}

// [SECTION] policies and time zones
namespace {

std::int64_t big_endian(const std::string& data, std::size_t at, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(data[at + i]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

bool valid_zone_name(const std::string& zone) {
  if (zone.empty() || zone.size() > 64 || zone.front() == '/') return false;
  for (const char c : zone)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+'))
      return false;
  return zone.find("..") == std::string::npos;
}

}  // namespace

core::Result<core::UtcOffsets> load_zone_offsets(const std::string& zone,
                                                 const std::string& zoneinfo_dir) {
  using R = core::Result<core::UtcOffsets>;
  const std::string unknown = "unknown time zone \"" + zone +
                              "\"; use a name from the system's zoneinfo such as Europe/London "
                              "or America/New_York, or utc_offset +HH:MM";
  if (!valid_zone_name(zone)) return R::failure(unknown);
  std::ifstream f(zoneinfo_dir + "/" + zone, std::ios::binary);
  if (!f) return R::failure(unknown);
  std::stringstream buffer;
  buffer << f.rdbuf();
  const std::string data = buffer.str();
  // TZif (RFC 8536): a version-1 block of 32-bit times, then (version 2+) the same with 64-bit.
  const auto counts = [&](std::size_t at) {
    std::array<std::int64_t, 6> c{};
    for (std::size_t i = 0; i < 6; ++i) c[i] = big_endian(data, at + 20 + 4 * i, 4);
    return c;  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  };
  if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) return R::failure(unknown);
  auto c = counts(0);
  std::size_t at = 44;
  std::size_t time_bytes = 4;
  if (data[4] >= '2') {
    at += static_cast<std::size_t>(c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (data.size() < at + 44) return R::failure(unknown);
    c = counts(at);
    at += 44;
    time_bytes = 8;
  }
  const auto timecnt = static_cast<std::size_t>(c[3]);
  const auto typecnt = static_cast<std::size_t>(c[4]);
  const std::size_t types_at = at + timecnt * time_bytes + timecnt;
  if (typecnt == 0 || data.size() < types_at + typecnt * 6) return R::failure(unknown);
  const auto offset_of_type = [&](std::size_t t) {
    return static_cast<int>(big_endian(data, types_at + t * 6, 4));
  };
  core::UtcOffsets out;
  out.initial_offset_s = offset_of_type(0);
  for (std::size_t i = 0; i < timecnt; ++i) {
    const std::int64_t when = big_endian(data, at + i * time_bytes, time_bytes);
    const auto type = static_cast<unsigned char>(data[at + timecnt * time_bytes + i]);
    if (type >= typecnt) return R::failure(unknown);
    out.changes.push_back({when * 1000, offset_of_type(type)});
  }
  return out;
}

core::Result<core::StorePolicy> check_policy_file(const std::string& text,
                                                  const std::string& zoneinfo_dir) {
  auto policy = core::parse_store_policy(text);
  if (!policy) return policy;
  if (!policy->time_zone.empty()) {
    auto zone = load_zone_offsets(policy->time_zone, zoneinfo_dir);
    if (!zone) return core::Result<core::StorePolicy>::failure(zone.error());
  }
  return policy;
}

core::Result<core::BusinessHours> business_hours_of(const core::StorePolicy& policy,
                                                    const std::string& zoneinfo_dir) {
  core::BusinessHours h;
  h.weekly = policy.hours;
  h.offsets.initial_offset_s = policy.fixed_offset_s;
  if (!policy.time_zone.empty()) {
    auto zone = load_zone_offsets(policy.time_zone, zoneinfo_dir);
    if (!zone) return core::Result<core::BusinessHours>::failure(zone.error());
    h.offsets = std::move(zone.value());
  }
  return h;
}

// [SECTION] the ladder

core::Result<LadderTick> LadderRunner::tick(const std::function<void(const std::string&)>& log) {
  auto candidates = storage_.ladder_candidates();
  if (!candidates) return core::Result<LadderTick>::failure(candidates.failure_info());
  LadderTick out;
  const std::int64_t now = clock_();
  // Each store's policy is read (and its zone file loaded) once per tick, not per escalation.
  struct Parsed {
    std::optional<core::StorePolicy> policy;
    core::BusinessHours hours;
  };
  std::map<std::string, Parsed> parsed;  // by store id
  for (const auto& c : candidates.value()) {
    const auto& e = c.stored.escalation;
    auto [it, fresh] = parsed.try_emplace(c.stored.store_id);
    if (fresh) {
      auto policy = core::parse_store_policy(c.policy_text);
      auto hours = policy ? business_hours_of(policy.value())
                          : core::Result<core::BusinessHours>::failure(policy.error());
      if (!hours) {
        if (log) log("store " + c.stored.store_id + "'s policy cannot be used: " + hours.error());
      } else {
        it->second.policy = std::move(policy.value());
        it->second.hours = std::move(hours.value());
      }
    }
    if (!it->second.policy) continue;
    const core::SeverityPolicy* p = it->second.policy->for_severity(e.severity);
    if (!p) continue;  // this severity does not climb at this store
    ++out.evaluated;
    const core::LadderView v = core::evaluate_ladder(c.state, *p, it->second.hours, now);
    if (v.actions.empty() && v.next_state.phase == c.state.phase &&
        v.next_state.step == c.state.step)
      continue;
    LadderAdvance a{e.id,
                    c.state,
                    v.next_state,
                    v.level,
                    v.holder,
                    v.actions,
                    v.respond_by_ms.value_or(0),
                    v.next_deadline_ms.value_or(0)};
    auto applied = storage_.advance_ladder(a, now);
    if (!applied) return core::Result<LadderTick>::failure(applied.failure_info());
    if (!applied.value()) {
      ++out.lost_races;
      continue;
    }
    ++out.advanced;
    out.notifications += static_cast<int>(v.actions.size());
  }
  return out;
}

// [SECTION] senders

std::string webhook_body(const OutgoingNotification& n) {
  const nlohmann::json j{{"notification_id", n.id},
                         {"escalation_id", n.escalation_id},
                         {"store_id", n.store_id},
                         {"severity", core::to_string(n.severity)},
                         {"recipient", n.recipient},
                         {"level", n.level},
                         {"phase", n.phase},
                         {"step", n.step},
                         {"kind", n.kind},
                         {"reason", n.reason},
                         {"created_at_ms", n.created_at_ms},
                         {"attempt", n.attempts + 1}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

SendOutcome LogSender::send(const OutgoingNotification& n) {
  if (log_)
    log_("notify " + n.recipient + " (level " + std::to_string(n.level + 1) + ") about " +
         std::string(core::to_string(n.severity)) + " escalation " + n.escalation_id +
         " at store " + n.store_id + ": " + n.reason);
  return {true, {}};
}

SendOutcome WebhookSender::send(const OutgoingNotification& n) {
  client::HttpRequest request;
  request.url = url_;
  request.body = webhook_body(n);
  request.timeout_ms = timeout_ms_;
  request.connect_timeout_ms = std::min(timeout_ms_, 3000L);
  request.headers.emplace_back(kSignatureHeader,
                               "sha256=" + hmac_sha256_hex(secret_, request.body));
  const client::HttpResponse response = client::http_post(request);
  if (!response.answered())
    return {false, "the webhook did not answer: " + response.transport_error};
  if (response.status < 200 || response.status >= 300)
    return {false, "the webhook answered HTTP " + std::to_string(response.status)};
  return {true, {}};
}

// [SECTION] the dispatcher

core::Result<int> NotificationDispatcher::run_once(
    const std::function<void(const std::string&)>& log) {
  auto due = storage_.claim_due_notifications(clock_(), policy_.lease_ms, policy_.batch);
  if (!due) return core::Result<int>::failure(due.failure_info());
  int sent = 0;
  thread_local std::mt19937 random{std::random_device{}()};
  for (const auto& n : due.value()) {
    const SendOutcome outcome = sender_.send(n);
    const std::int64_t now = clock_();
    std::string state = "sent";
    std::int64_t next = now;
    if (outcome.sent) {
      ++sent;
    } else if (n.attempts + 1 >= policy_.max_attempts) {
      state = "failed";
      if (log)
        log("gave up on notification " + std::to_string(n.id) + " after " +
            std::to_string(n.attempts + 1) + " attempts: " + outcome.error);
    } else {
      state = "pending";
      core::Backoff backoff({policy_.retry_base_ms, policy_.retry_cap_ms});
      const std::int64_t ceiling = backoff.ceiling_ms(n.attempts + 1);
      // Half fixed, half jitter: retries spread out but never come back at once.
      next = now + ceiling / 2 +
             static_cast<std::int64_t>(std::uniform_real_distribution<double>(0, 0.5)(random) *
                                       static_cast<double>(ceiling));
      if (log)
        log("notification " + std::to_string(n.id) + " not sent (" + outcome.error +
            "); retry in " + std::to_string((next - now) / 1000) + " s");
    }
    auto done = storage_.finish_notification(n.id, state, outcome.error, sender_.name(), next, now);
    if (!done) return core::Result<int>::failure(done.failure_info());
  }
  return sent;
}

// [SECTION] both on threads

LadderService::LadderService(HqStorage& storage, Clock clock,
                             std::unique_ptr<NotificationSender> sender,
                             LadderServiceOptions options)
    : storage_(storage),
      clock_(std::move(clock)),
      sender_(std::move(sender)),
      options_(std::move(options)) {
  ladder_thread_ = std::thread([this] { loop(true); });
  dispatch_thread_ = std::thread([this] { loop(false); });
}

LadderService::~LadderService() {
  stop();
}

void LadderService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ladder_thread_.joinable()) ladder_thread_.join();
  if (dispatch_thread_.joinable()) dispatch_thread_.join();
}

void LadderService::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

void LadderService::loop(bool ladder) {
  LadderRunner runner(storage_, clock_);
  NotificationDispatcher dispatcher(storage_, clock_, *sender_, options_.dispatch);
  const auto interval = std::chrono::milliseconds(ladder ? options_.ladder_interval_ms
                                                         : options_.dispatch_interval_ms);
  for (;;) {
    if (ladder) {
      auto t = runner.tick(options_.log);
      if (!t && options_.log) options_.log("escalation ladder: " + t.error());
      // Something new to send: the dispatcher need not wait for its interval.
      if (t && t->notifications > 0) {
        {
          std::lock_guard lock(mutex_);
          to_send_ = true;
        }
        wake_.notify_all();
      }
    } else {
      auto n = dispatcher.run_once(options_.log);
      if (!n && options_.log) options_.log("notifications: " + n.error());
    }
    std::unique_lock lock(mutex_);
    bool& flag = ladder ? poked_ : to_send_;
    wake_.wait_for(lock, interval, [&] { return stopping_ || flag; });
    if (stopping_) return;
    flag = false;
  }
}

}  // namespace kiosk::sync::hq
