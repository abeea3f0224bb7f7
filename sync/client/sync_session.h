#pragma once
// One conversation with head office: enroll once, then sync rounds. Used by the worker
// thread and by the `kiosk enroll` / `kiosk sync --once` commands, so both take one path.
// Every failure comes back as a core::Error whose kind says what the caller should do:
// retry later, re-enroll, look at the local disk, or upgrade one side.
#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/error.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/protocol/messages.h"

namespace kiosk::sync::client {

struct SyncOutcome {
  bool ok = false;
  core::Error error;             // when !ok: its kind, a sentence for store IT and a hint
  std::int64_t events_sent = 0;  // outbox events HQ acknowledged
  std::int64_t events_rejected = 0;
  std::int64_t changes_applied = 0;
  // What head office announced in its last answer (protocol::kFeature...): whether it reads
  // gzip request bodies and holds a long-poll (wait_ms). Empty from an older HQ.
  bool hq_reads_gzip = false;
  bool hq_can_wait = false;
  int rounds = 0;                   // requests answered
  long connections = 0;             // TCP connections opened (1 for a healthy catch-up)
  std::int64_t bytes_sent = 0;      // request bodies as sent (after gzip)
  std::int64_t bytes_received = 0;  // answer bodies as received (before gunzip)
  std::int64_t apply_us = 0;        // time spent writing answers to this terminal's store
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
  // TLS to head office, kept with the enrollment for every later sync (store::Enrollment):
  // a CA file to trust instead of the system's, a pinned public key ("sha256//BASE64"), and
  // plain http:// to a host that is not this machine (refused without it).
  std::string ca_file = {};
  std::string pin = {};
  bool allow_plain_http = false;
};

// Whether this terminal may reach head office at url: an http:// or https:// address; plain
// http:// only to this machine (127.0.0.0/8, ::1, localhost) unless allow_plain_http.
// A bad_input Error with a sentence for store IT when not; pin, when given, must be
// "sha256//BASE64" (';' between several) and ca_file a readable file. Without the sync
// module (http_module.h) a retry_later Error saying it is missing or broken, first.
std::optional<core::Error> check_hq_address(const std::string& url, bool allow_plain_http,
                                            const std::string& ca_file = {},
                                            const std::string& pin = {});

// Trades a one-time code for this terminal's token and saves it in the store.
EnrollOutcome enroll(store::Store& store, const EnrollOptions& options);

// A failure of this terminal's own database as the status bar and `kiosk status` show it:
// "This terminal's database <doing>: " and the store's own sentence and hint (a StoreError is
// a core::Error of kind local_storage), or a generic hint for any other exception.
core::Error local_storage_error(const std::exception& e, std::string_view doing);

// How a sync pages through head office's changes. The defaults are what the kiosk uses; the
// benchmark turns them off to measure the wire as it was.
struct CatchUpOptions {
  // Changes asked for per answer (SyncRequest::max_changes; head office caps it). 0: not
  // asked, so head office sends its version 1 page of 500.
  std::int64_t page_changes = static_cast<std::int64_t>(protocol::kMaxChangesPerLargePage);
  // While a page is applied, the next one is already asked for (its cursor is in the
  // answer), so the link and the disk work at the same time; the cursor still moves only
  // with a committed page. It holds at most two pages (docs/performance.md, Sync).
  bool fetch_ahead = true;
};

// Sends the whole outbox and pulls every pending change, in batches bounded by count and
// bytes, until both are empty, something fails, or *cancel becomes true (then the outcome
// is a retry_later error: what arrived so far is kept). Each batch is committed with its
// cursor, so a failure midway keeps what already arrived and repeats nothing twice.
//
// All rounds share one keep-alive connection. With wait_ms > 0 and nothing to send, the first
// request asks head office to hold its answer until the store's changefeed moves (the live
// channel, docs/sync-protocol.md); an HQ that does not know it answers at once.
SyncOutcome sync_once(store::Store& store, std::int64_t now_ms,
                      const std::atomic<bool>* cancel = nullptr, std::int64_t wait_ms = 0,
                      const CatchUpOptions& options = {});

}  // namespace kiosk::sync::client
