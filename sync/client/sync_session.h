#pragma once
// One conversation with head office: enroll once, then sync rounds. Used by the worker
// thread and by the `kiosk enroll` / `kiosk sync --once` commands, so both take one path.
// Every failure comes back as a core::Error whose kind says what the caller should do:
// retry later, re-enroll, look at the local disk, or upgrade one side.
#include <atomic>
#include <cstdint>
#include <string>

#include "kiosk/core/error.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::sync::client {

struct SyncOutcome {
  bool ok = false;
  core::Error error;             // when !ok: its kind, a sentence for store IT and a hint
  std::int64_t events_sent = 0;  // outbox events HQ acknowledged
  std::int64_t events_rejected = 0;
  std::int64_t changes_applied = 0;
};

struct EnrollOutcome {
  bool ok = false;
  core::Error error;
  store::Enrollment enrollment;
  bool moved_store = false;  // the terminal now belongs to another store; old data is gone
};

struct EnrollOptions {
  std::string hq_url;
  std::string code;
  std::string terminal_name;
  // Moving to another store starts from a clean local store; with events still queued for
  // the old one that is refused unless they are given up on purpose.
  bool discard_queued = false;
};

// Trades a one-time code for this terminal's token and saves it in the store.
EnrollOutcome enroll(store::Store& store, const EnrollOptions& options);

// Sends the whole outbox and pulls every pending change, in batches bounded by count and
// bytes, until both are empty, something fails, or *cancel becomes true (then the outcome
// is a retry_later error: what arrived so far is kept). Each batch is committed with its
// cursor, so a failure midway keeps what already arrived and repeats nothing twice.
SyncOutcome sync_once(store::Store& store, std::int64_t now_ms,
                      const std::atomic<bool>* cancel = nullptr);

}  // namespace kiosk::sync::client
