#pragma once
// Tapping in on the terminal: a PIN typed on the pad (or given to `kiosk staff verify`) is
// checked offline against the Argon2id hash head office sent, under the growing lockout of
// core/staff.h. Wrong PINs are kept in the store, and a lockout queues its staff.lockout
// event in the same transaction. The window's session (who is tapped in, since when idle)
// lives in WindowLoop; this file decides.
//
// An attempt has three steps so the window can check the PIN off its UI thread while the
// store stays single-writer: begin_tap_in reads the store (who, locked?), verify_typed_pin
// runs Argon2id and touches nothing else (any thread), finish_tap_in counts the attempt in
// the store. try_tap_in runs all three in a row (the CLI).
#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/core/staff.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/protocol/pin_hash.h"

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

// The first step, on the thread that owns the store: settled holds the answer when no PIN
// check is needed (unknown, disabled, locked); otherwise pin_hash is what to verify against.
struct TapInStart {
  std::optional<TapInResult> settled;
  std::string pin_hash;
};
TapInStart begin_tap_in(store::Store& store, const std::string& staff_id, std::int64_t now_ms);

// The slow step (Argon2id, tens of milliseconds to seconds): no store, safe on any thread.
sync::protocol::PinVerdict verify_typed_pin(const std::string& pin_hash, const std::string& pin);

// The last step, on the thread that owns the store: counts a wrong PIN (queueing the lockout
// event when it locks), clears the count after a right one. Throws store::StoreError.
TapInResult finish_tap_in(store::Store& store, const std::string& staff_id,
                          sync::protocol::PinVerdict verdict, std::int64_t now_ms,
                          const core::LockoutPolicy& policy = {});

// One attempt at now_ms. Throws store::StoreError when the store cannot save the attempt.
TapInResult try_tap_in(store::Store& store, const std::string& staff_id, const std::string& pin,
                       std::int64_t now_ms, const core::LockoutPolicy& policy = {});

}  // namespace kiosk::app
