// kiosk staff list | verify: the staff this terminal holds, and a tap-in without the window.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/app/cli/commands.h"
#include "kiosk/app/view/clock.h"
#include "kiosk/app/view/staff_session.h"
#include "kiosk/core/time_format.h"

namespace kiosk::app {

int command_staff_list(const std::string& db, bool as_json) {
  try {
    store::Store s(db);
    const auto staff = s.staff();
    const std::int64_t now = wall_clock_ms();
    if (as_json) {
      auto array = nlohmann::json::array();
      for (const auto& r : staff) {
        const auto attempts = s.pin_attempts(r.member.id);
        nlohmann::json j{{"id", r.member.id},
                         {"name", r.member.name},
                         {"role", core::to_string(r.member.role)},
                         {"language", r.member.language},
                         {"active", r.active},
                         {"locked", core::is_locked(attempts, now)},
                         {"wrong_pins", attempts.failures}};
        if (core::is_locked(attempts, now)) j["locked_until_ms"] = attempts.locked_until_ms;
        array.push_back(std::move(j));
      }
      std::printf("%s\n",
                  array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      return 0;
    }
    if (staff.empty()) {
      std::printf(
          "No staff on this terminal yet (head office adds them with kiosk-hq staff add; "
          "they arrive with the next sync).\n");
      return 0;
    }
    for (const auto& r : staff) {
      const auto attempts = s.pin_attempts(r.member.id);
      std::printf(
          "%-16s %-24s %-9s %-3s %s\n", r.member.id.c_str(), r.member.name.c_str(),
          std::string(core::to_string(r.member.role)).c_str(), r.member.language.c_str(),
          !r.active ? "disabled"
          : core::is_locked(attempts, now)
              ? ("locked " + std::to_string(core::lock_remaining_seconds(attempts, now)) + " s")
                    .c_str()
              : "active");
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 1;
  }
}

int command_staff_verify(const std::string& db, const std::string& staff_id) {
  std::string pin;
  if (!std::getline(std::cin, pin)) {
    std::fprintf(stderr, "kiosk: no PIN on stdin (echo 4821 | kiosk staff verify --id ana)\n");
    return 1;
  }
  while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
  try {
    store::Store s(db);
    const TapInResult r = try_tap_in(s, staff_id, pin, wall_clock_ms());
    if (r.outcome == TapInResult::Outcome::tapped_in) {
      std::printf("%s\n", r.message.c_str());
      return 0;
    }
    std::fprintf(stderr, "kiosk: %s\n", r.message.c_str());
    return r.outcome == TapInResult::Outcome::wrong_pin || r.outcome == TapInResult::Outcome::locked
               ? 3
               : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 1;
  }
}

}  // namespace kiosk::app
