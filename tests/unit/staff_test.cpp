// Staff policies (kiosk/core/staff.h): PIN format, the growing lockout and the idle lock with
// stepped times, and who may do what.
#include <doctest/doctest.h>

#include "kiosk/core/staff.h"

using namespace kiosk::core;

TEST_CASE("[staff] a PIN is 4 to 8 digits, with a sentence otherwise") {
  CHECK_FALSE(check_pin_format("1234"));
  CHECK_FALSE(check_pin_format("12345678"));
  CHECK(*check_pin_format("123") == "A PIN is 4 to 8 digits; this one has 3.");
  CHECK(*check_pin_format("123456789") == "A PIN is 4 to 8 digits; this one has 9.");
  CHECK(check_pin_format("12a4")->find("digits only") != std::string::npos);
  CHECK(check_pin_format(" 1234")->find("digits only") != std::string::npos);
  CHECK(check_pin_format("")->find("has 0") != std::string::npos);
}

TEST_CASE("[staff] ids and roles") {
  CHECK_FALSE(check_staff_id("ana.b-1_x"));
  CHECK(check_staff_id(""));
  CHECK(check_staff_id("ana b"));
  CHECK(check_staff_id(std::string(65, 'a')));
  CHECK(parse_staff_role("manager") == StaffRole::manager);
  CHECK(parse_staff_role("associate") == StaffRole::associate);
  CHECK_FALSE(parse_staff_role("boss"));
  CHECK(to_string(StaffRole::manager) == "manager");
}

TEST_CASE("[staff] three wrong PINs lock for 30 s, then each lockout doubles, capped") {
  const LockoutPolicy policy;  // 3 tries, 30 s, doubling, 15 min cap
  PinAttempts a;
  std::int64_t now = 1'700'000'000'000;

  auto w = after_wrong_pin(a, now, policy);
  CHECK_FALSE(w.locked_now);
  CHECK(w.tries_left == 2);
  w = after_wrong_pin(w.after, now += 1000, policy);
  CHECK(w.tries_left == 1);
  w = after_wrong_pin(w.after, now += 1000, policy);
  CHECK(w.locked_now);
  CHECK(w.lock_ms == 30'000);
  a = w.after;
  CHECK(is_locked(a, now));
  CHECK(lock_remaining_seconds(a, now) == 30);
  CHECK(lock_remaining_seconds(a, now + 29'001) == 1);  // rounded up, never "0 s"
  CHECK(is_locked(a, now + 29'999));
  CHECK_FALSE(is_locked(a, now + 30'000));
  CHECK(tries_left(a, policy) == 3);

  // The next three wrong PINs after the lockout: 60 s.
  now += 30'000;
  for (int i = 0; i < 2; ++i) a = after_wrong_pin(a, now += 1000, policy).after;
  w = after_wrong_pin(a, now += 1000, policy);
  CHECK(w.locked_now);
  CHECK(w.lock_ms == 60'000);
  CHECK(lock_duration_ms(2, policy) == 120'000);
  CHECK(lock_duration_ms(4, policy) == 480'000);
  CHECK(lock_duration_ms(5, policy) == 900'000);   // capped at 15 min
  CHECK(lock_duration_ms(60, policy) == 900'000);  // no overflow however many

  // A right PIN clears it all.
  CHECK(after_right_pin() == PinAttempts{});
}

TEST_CASE("[staff] the idle lock falls due exactly idle_ms after the last touch") {
  const std::int64_t touched = 1'700'000'000'000;
  CHECK(idle_lock_at(touched, 120'000) == touched + 120'000);
  CHECK_FALSE(idle_lock_due(touched, touched + 119'999, 120'000));
  CHECK(idle_lock_due(touched, touched + 120'000, 120'000));
  // A touch later moves it.
  CHECK_FALSE(idle_lock_due(touched + 60'000, touched + 120'000, 120'000));
  CHECK_FALSE(check_idle_lock_ms(kDefaultIdleLockMs));
  CHECK(check_idle_lock_ms(0));
  CHECK(check_idle_lock_ms(kMaxIdleLockMs + 1));
}

TEST_CASE("[staff] who may do what: tap in to act, a manager for settings and leaving") {
  const StaffMember ana{"ana", "Ana", StaffRole::associate, "es"};
  const StaffMember max{"max", "Max", StaffRole::manager, "en"};
  CHECK(access_for(std::nullopt, StaffAction::escalate) == Access::needs_tap_in);
  CHECK(access_for(ana, StaffAction::escalate) == Access::allowed);
  CHECK(access_for(ana, StaffAction::share_praise) == Access::allowed);
  CHECK(access_for(ana, StaffAction::open_settings) == Access::needs_manager);
  CHECK(access_for(ana, StaffAction::leave_app) == Access::needs_manager);
  CHECK(access_for(std::nullopt, StaffAction::leave_app) == Access::needs_manager);
  CHECK(access_for(max, StaffAction::leave_app) == Access::allowed);
  CHECK(access_for(max, StaffAction::escalate) == Access::allowed);
}
