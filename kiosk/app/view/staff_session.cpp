#include "kiosk/app/view/staff_session.h"

#include "sync/protocol/contracts.h"
#include "sync/protocol/pin_hash.h"

namespace kiosk::app {

namespace {

// Who may try now: the answer when not (unknown, disabled, locked), else nothing.
std::optional<TapInResult> refusal(const std::optional<store::StaffRow>& row,
                                   const std::string& staff_id, const core::PinAttempts& before,
                                   std::int64_t now_ms) {
  using Outcome = TapInResult::Outcome;
  TapInResult r;
  if (!row) {
    r.outcome = Outcome::unknown_staff;
    r.message = "There is no member of staff \"" + staff_id +
                "\" on this terminal; head office adds staff (kiosk-hq staff add) and they "
                "arrive with the next sync.";
    return r;
  }
  if (!row->active) {
    r.outcome = Outcome::disabled;
    r.message = row->member.name + " was disabled by head office and cannot tap in.";
    return r;
  }
  if (core::is_locked(before, now_ms)) {
    r.outcome = Outcome::locked;
    r.locked_until_ms = before.locked_until_ms;
    r.message = row->member.name + " is locked out for " +
                std::to_string(core::lock_remaining_seconds(before, now_ms)) +
                " s after too many wrong PINs.";
    return r;
  }
  return std::nullopt;
}

}  // namespace

TapInStart begin_tap_in(store::Store& store, const std::string& staff_id, std::int64_t now_ms) {
  TapInStart start;
  const auto row = store.staff_member(staff_id);
  const core::PinAttempts before = row ? store.pin_attempts(staff_id) : core::PinAttempts{};
  start.settled = refusal(row, staff_id, before, now_ms);
  if (!start.settled) start.pin_hash = row->pin_hash;
  return start;
}

sync::protocol::PinVerdict verify_typed_pin(const std::string& pin_hash, const std::string& pin) {
  // A PIN of the wrong shape is a wrong PIN too: it must not be a free probe.
  return core::check_pin_format(pin) ? sync::protocol::PinVerdict::mismatch
                                     : sync::protocol::verify_pin(pin_hash, pin);
}

TapInResult try_tap_in(store::Store& store, const std::string& staff_id, const std::string& pin,
                       std::int64_t now_ms, const core::LockoutPolicy& policy) {
  TapInStart start = begin_tap_in(store, staff_id, now_ms);
  if (start.settled) return *start.settled;
  return finish_tap_in(store, staff_id, verify_typed_pin(start.pin_hash, pin), now_ms, policy);
}

TapInResult finish_tap_in(store::Store& store, const std::string& staff_id,
                          sync::protocol::PinVerdict verdict, std::int64_t now_ms,
                          const core::LockoutPolicy& policy) {
  using Outcome = TapInResult::Outcome;
  // Read again: the answer counts against the store as it is now (a sync may have disabled
  // the person while the PIN was being checked).
  const auto row = store.staff_member(staff_id);
  const core::PinAttempts before = row ? store.pin_attempts(staff_id) : core::PinAttempts{};
  if (auto refused = refusal(row, staff_id, before, now_ms)) return *refused;
  TapInResult r;
  if (verdict == sync::protocol::PinVerdict::unusable_hash) {
    r.outcome = Outcome::unusable_hash;
    r.message = "The PIN of " + row->member.name + " cannot be checked on this terminal (" +
                sync::protocol::check_pin_hash(row->pin_hash).value_or("unknown reason") +
                "); head office can set a new one with kiosk-hq staff reset-pin.";
    return r;
  }
  if (verdict == sync::protocol::PinVerdict::match) {
    if (!(before == core::PinAttempts{}))
      store.save_pin_attempts(staff_id, core::after_right_pin());
    r.outcome = Outcome::tapped_in;
    r.member = row->member;
    r.message = row->member.name + " is tapped in.";
    return r;
  }
  const core::WrongPinOutcome wrong = core::after_wrong_pin(before, now_ms, policy);
  std::optional<store::NewEvent> event;
  if (wrong.locked_now) {
    sync::protocol::StaffLockout lockout{staff_id, before.failures + 1, wrong.after.lockouts,
                                         wrong.lock_ms, now_ms};
    const std::string body = sync::protocol::body_of(lockout);
    // Checked against the contract head office applies; a terminal never queues a bad event.
    if (!sync::protocol::check_body("staff.lockout", body))
      event = store::NewEvent{"staff.lockout", staff_id, body};
  }
  store.save_pin_attempts(staff_id, wrong.after, event, now_ms);
  if (wrong.locked_now) {
    r.outcome = Outcome::locked;
    r.locked_until_ms = wrong.after.locked_until_ms;
    r.message = "Wrong PIN. " + row->member.name + " is locked out for " +
                std::to_string(wrong.lock_ms / 1000) + " s.";
  } else {
    r.outcome = Outcome::wrong_pin;
    r.tries_left = wrong.tries_left;
    r.message = "Wrong PIN, " + std::to_string(wrong.tries_left) +
                (wrong.tries_left == 1 ? " try" : " tries") + " left.";
  }
  return r;
}

}  // namespace kiosk::app
