#pragma once
// Staff on a shared terminal: who they are, and the pure policies of tapping in with a PIN.
// Nothing here reads a clock or a file: times are passed in, so tests step them.
//
// [SECTION] who          [SECTION] PIN format
// [SECTION] wrong-PIN lockout  [SECTION] idle lock  [SECTION] who may do what
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

// [SECTION] who
enum class StaffRole { associate, manager };

struct StaffMember {
  std::string id;    // chosen at head office, e.g. "ana"; unique within a store
  std::string name;  // shown on the PIN pad and in the status bar
  StaffRole role = StaffRole::associate;
  std::string language;  // screen texts for this person, e.g. "en", "es"
  bool operator==(const StaffMember&) const = default;
};

std::string_view to_string(StaffRole role);
std::optional<StaffRole> parse_staff_role(std::string_view s);

// A staff id as head office and the wire accept it: 1 to 64 of a-z, A-Z, 0-9, '.', '_', '-'.
// Empty when acceptable, otherwise one sentence.
std::optional<std::string> check_staff_id(std::string_view id);

// [SECTION] PIN format
inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 8;
// Empty when pin is 4 to 8 digits, otherwise one sentence ("A PIN is 4 to 8 digits; this one
// has 3.").
std::optional<std::string> check_pin_format(std::string_view pin);

// [SECTION] wrong-PIN lockout
// After free_attempts wrong PINs in a row a person is locked out for first_lock_ms; each
// later lockout (without a right PIN in between) lasts twice as long, up to max_lock_ms.
struct LockoutPolicy {
  int free_attempts = 3;
  std::int64_t first_lock_ms = 30'000;
  std::int64_t max_lock_ms = 15 * 60'000;
};

// One person's wrong PINs on this terminal.
struct PinAttempts {
  int failures = 0;                  // wrong PINs since the last right one or the last lockout
  int lockouts = 0;                  // lockouts since the last right PIN
  std::int64_t locked_until_ms = 0;  // 0: not locked
  bool operator==(const PinAttempts&) const = default;
};

// What a wrong PIN did.
struct WrongPinOutcome {
  PinAttempts after;
  bool locked_now = false;   // this PIN started a lockout (record it as an event)
  std::int64_t lock_ms = 0;  // how long, when locked_now
  int tries_left = 0;        // before the next lockout; 0 when locked_now
};

bool is_locked(const PinAttempts& a, std::int64_t now_ms);
// Milliseconds until the lockout ends; 0 when not locked.
std::int64_t lock_remaining_ms(const PinAttempts& a, std::int64_t now_ms);
// Seconds shown to the person ("Locked for 30 s"), rounded up so it never reads 0 while locked.
std::int64_t lock_remaining_seconds(const PinAttempts& a, std::int64_t now_ms);
int tries_left(const PinAttempts& a, const LockoutPolicy& policy = {});
// How long the lockout after `lockouts` earlier ones lasts.
std::int64_t lock_duration_ms(int earlier_lockouts, const LockoutPolicy& policy = {});
// A wrong PIN at now_ms (the caller does not check PINs while is_locked()).
WrongPinOutcome after_wrong_pin(const PinAttempts& before, std::int64_t now_ms,
                                const LockoutPolicy& policy = {});
// A right PIN clears everything.
inline PinAttempts after_right_pin() {
  return {};
}

// [SECTION] idle lock
// The terminal goes back to the anonymous read-only feed after idle_ms without a touch.
inline constexpr std::int64_t kDefaultIdleLockMs = 120'000;
inline constexpr std::int64_t kMinIdleLockMs = 1'000;
inline constexpr std::int64_t kMaxIdleLockMs = 24LL * 3'600'000;
// When the session of someone last active at last_activity_ms locks.
std::int64_t idle_lock_at(std::int64_t last_activity_ms, std::int64_t idle_ms);
bool idle_lock_due(std::int64_t last_activity_ms, std::int64_t now_ms, std::int64_t idle_ms);
// Empty when idle_ms is within [kMinIdleLockMs, kMaxIdleLockMs], otherwise one sentence.
std::optional<std::string> check_idle_lock_ms(std::int64_t idle_ms);

// [SECTION] who may do what
// Every action a person takes on the terminal. Screens ask access_for() before acting.
enum class StaffAction {
  escalate,
  mark_handled,
  share_praise,
  answer_quiz,
  draft_reply,
  manage_escalation,  // manager only: acknowledge, note, reassign, resolve, reopen
  open_settings,      // manager only
  leave_app,          // manager only
};

enum class Access {
  allowed,
  needs_tap_in,   // nobody is tapped in: ask for a PIN first
  needs_manager,  // the person tapped in is not a manager: ask for a manager's PIN
};

bool needs_manager(StaffAction action);
// The one check every screen calls before an action.
Access access_for(const std::optional<StaffMember>& tapped_in, StaffAction action);

}  // namespace kiosk::core
