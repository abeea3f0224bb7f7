#pragma once
// Tapping in on the terminal: a PIN typed on the pad (or given to `kiosk staff verify`) is
// checked offline against the Argon2id hash head office sent, under the growing lockout of
// core/staff.h. Wrong PINs are kept in the store, and a lockout queues its staff.lockout
// event in the same transaction. The window's session (who is tapped in, since when idle)
// lives in WindowLoop; this file decides.
#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/core/staff.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::app {

struct TapInResult {
  enum class Outcome {
    tapped_in,
    wrong_pin,      // tries_left says how many before a lockout
    locked,         // locked_until_ms says until when (this attempt may have started it)
    unknown_staff,  // no such person on this terminal (not synced yet?)
    disabled,       // head office disabled them
    unusable_hash,  // the stored hash is not one this terminal verifies
  };
  Outcome outcome = Outcome::wrong_pin;
  std::optional<core::StaffMember> member;  // set when tapped_in
  int tries_left = 0;
  std::int64_t locked_until_ms = 0;
  // One sentence for store IT (the CLI prints it; the pad shows its own catalog texts).
  std::string message;
};

// One attempt at now_ms. Throws store::StoreError when the store cannot save the attempt.
TapInResult try_tap_in(store::Store& store, const std::string& staff_id, const std::string& pin,
                       std::int64_t now_ms, const core::LockoutPolicy& policy = {});

}  // namespace kiosk::app
