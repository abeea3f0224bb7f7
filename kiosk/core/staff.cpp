#include "kiosk/core/staff.h"

#include <algorithm>

namespace kiosk::core {

std::string_view to_string(StaffRole role) {
  return role == StaffRole::manager ? "manager" : "associate";
}

std::optional<StaffRole> parse_staff_role(std::string_view s) {
  if (s == "associate") return StaffRole::associate;
  if (s == "manager") return StaffRole::manager;
  return std::nullopt;
}

std::optional<std::string> check_staff_id(std::string_view id) {
  if (id.empty()) return "A staff id must not be empty.";
  if (id.size() > 64) return "A staff id is at most 64 characters.";
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok)
      return "A staff id may hold only letters a-z, digits, '.', '_' and '-' (\"" +
             std::string(id) + "\" does not).";
  }
  return std::nullopt;
}

std::optional<std::string> check_pin_format(std::string_view pin) {
  if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::string("A PIN is digits only (0-9), 4 to 8 of them.");
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits)
    return "A PIN is 4 to 8 digits; this one has " + std::to_string(pin.size()) + ".";
  return std::nullopt;
}

bool is_locked(const PinAttempts& a, std::int64_t now_ms) {
  return now_ms < a.locked_until_ms;
}

std::int64_t lock_remaining_ms(const PinAttempts& a, std::int64_t now_ms) {
  return is_locked(a, now_ms) ? a.locked_until_ms - now_ms : 0;
}

std::int64_t lock_remaining_seconds(const PinAttempts& a, std::int64_t now_ms) {
  return (lock_remaining_ms(a, now_ms) + 999) / 1000;
}

int tries_left(const PinAttempts& a, const LockoutPolicy& policy) {
  return std::max(policy.free_attempts - a.failures, 0);
}

std::int64_t lock_duration_ms(int earlier_lockouts, const LockoutPolicy& policy) {
  std::int64_t ms = policy.first_lock_ms;
  for (int i = 0; i < earlier_lockouts && ms < policy.max_lock_ms; ++i) ms *= 2;
  return std::min(ms, policy.max_lock_ms);
}

WrongPinOutcome after_wrong_pin(const PinAttempts& before, std::int64_t now_ms,
                                const LockoutPolicy& policy) {
  WrongPinOutcome out;
  out.after = before;
  out.after.failures = before.failures + 1;
  if (out.after.failures < policy.free_attempts) {
    out.tries_left = tries_left(out.after, policy);
    return out;
  }
  out.locked_now = true;
  out.lock_ms = lock_duration_ms(before.lockouts, policy);
  out.after.failures = 0;
  out.after.lockouts = before.lockouts + 1;
  out.after.locked_until_ms = now_ms + out.lock_ms;
  out.tries_left = 0;
  return out;
}

std::int64_t idle_lock_at(std::int64_t last_activity_ms, std::int64_t idle_ms) {
  return last_activity_ms + idle_ms;
}

bool idle_lock_due(std::int64_t last_activity_ms, std::int64_t now_ms, std::int64_t idle_ms) {
  return now_ms >= idle_lock_at(last_activity_ms, idle_ms);
}

std::optional<std::string> check_idle_lock_ms(std::int64_t idle_ms) {
  if (idle_ms < kMinIdleLockMs || idle_ms > kMaxIdleLockMs)
    return "The idle lock must be from 1 second to 24 hours (got " + std::to_string(idle_ms) +
           " ms).";
  return std::nullopt;
}

bool needs_manager(StaffAction action) {
  return action == StaffAction::manage_escalation || action == StaffAction::open_settings ||
         action == StaffAction::leave_app;
}

Access access_for(const std::optional<StaffMember>& tapped_in, StaffAction action) {
  if (!tapped_in) return needs_manager(action) ? Access::needs_manager : Access::needs_tap_in;
  if (needs_manager(action) && tapped_in->role != StaffRole::manager) return Access::needs_manager;
  return Access::allowed;
}

}  // namespace kiosk::core
