#pragma once
// One conversation with head office: enroll once, then sync rounds. Used by the worker
// thread and by the `kiosk enroll` / `kiosk sync --once` commands, so both take one path.
#include <cstdint>
#include <string>

#include "kiosk/store/kiosk_store.h"

namespace kiosk::sync::client {

struct SyncOutcome {
  bool ok = false;
  std::string error;              // one sentence for store IT when !ok
  bool needs_enrollment = false;  // retrying will not help: the terminal must enroll
  std::int64_t events_sent = 0;   // outbox events HQ acknowledged
  std::int64_t events_rejected = 0;
  std::int64_t changes_applied = 0;
};

struct EnrollOutcome {
  bool ok = false;
  std::string error;
  store::Enrollment enrollment;
};

// Trades a one-time code for this terminal's token and saves it in the store.
EnrollOutcome enroll(store::Store& store, const std::string& hq_url, const std::string& code,
                     const std::string& terminal_name);

// Sends the whole outbox and pulls every pending change, in batches, until both are empty
// or something fails. Each batch is committed with its cursor, so a failure midway keeps
// what already arrived and repeats nothing twice.
SyncOutcome sync_once(store::Store& store, std::int64_t now_ms);

}  // namespace kiosk::sync::client
