#pragma once
// What kiosk-hq keeps: stores, enrollment codes, terminals, the events terminals sent, the
// escalations and mentions of each store, and one changefeed per store. An interface so a
// PostgreSQL backend can sit beside SQLite later; sqlite_hq_storage.h is the first one.
//
// Rules every backend keeps:
// - Nothing is cached in memory: several kiosk-hq processes (and the CLI) share one database,
//   so every call reads what it needs from the database.
// - Only hashes of tokens and enrollment codes are stored (tokens.h makes them).
// - Failures are Result errors written for an HQ operator; "not found" is not a failure but
//   an empty optional.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"
#include "sync/protocol/messages.h"

namespace kiosk::sync::hq {

using core::Result;

struct Store {
  std::string id;    // chosen by HQ, e.g. "S1"
  std::string name;  // shown on terminals, e.g. "Downtown"
};

enum class AddStoreOutcome { created, already_existed, name_differs };

// Who is calling: found from the bearer token, never from the request body.
struct TerminalIdentity {
  std::string terminal_id;
  std::string store_id;
};

struct NewTerminal {
  std::string terminal_id;  // UUID made by the caller
  std::string name;         // from the enrollment request
  std::string token_hash;   // tokens.h hash_secret() of the token handed to the terminal
};

struct EnrolledTerminal {
  std::string terminal_id;
  std::string store_id;
  std::string store_name;
};

// An escalation as HQ holds it: the wire value plus where it belongs.
struct StoredEscalation {
  std::string store_id;
  std::string origin_terminal_id;  // empty if it did not come from a terminal
  core::Escalation escalation;
};

struct StatusRaise {
  StoredEscalation after;  // the escalation after the call
  bool changed = false;    // false when it already was at that status or further along
};

struct MentionUpsertCounts {
  int added = 0;
  int changed = 0;
  int unchanged = 0;
};

class HqStorage {
 public:
  virtual ~HqStorage() = default;

  // [stores]
  virtual Result<AddStoreOutcome> add_store(const Store& store) = 0;
  virtual Result<std::optional<Store>> find_store(const std::string& store_id) = 0;

  // [enrollment] The code itself never reaches storage, only its hash.
  virtual Result<bool> add_enrollment_code(const std::string& code_hash,
                                           const std::string& store_id,
                                           std::int64_t expires_at_ms) = 0;
  // Uses the code once: empty when it is unknown, already used or expired at now_ms.
  virtual Result<std::optional<EnrolledTerminal>> redeem_enrollment_code(
      const std::string& code_hash, const NewTerminal& terminal, std::int64_t now_ms) = 0;
  virtual Result<std::optional<TerminalIdentity>> find_terminal_by_token_hash(
      const std::string& token_hash) = 0;

  // [sync] One transaction: applies the events (each id at most once), then reads the
  // terminal's store's changes after request.cursor.
  virtual Result<protocol::SyncResponse> sync(const TerminalIdentity& terminal,
                                              const protocol::SyncRequest& request,
                                              std::int64_t now_ms) = 0;

  // [head office operations]
  // Mentions are stored under store_id whatever their own store_id says.
  virtual Result<MentionUpsertCounts> upsert_mentions(const std::string& store_id,
                                                      const std::vector<core::Mention>& mentions,
                                                      std::int64_t now_ms) = 0;
  virtual Result<std::vector<StoredEscalation>> list_escalations(
      const std::optional<std::string>& store_id) = 0;
  // Moves the status forward as a join (never back) and, when it moved, appends the
  // escalation to its store's changefeed. Empty when the id is unknown.
  virtual Result<std::optional<StatusRaise>> raise_escalation_status(
      const std::string& escalation_id, core::EscalationStatus status, const std::string& by,
      std::int64_t now_ms) = 0;
  virtual Result<std::int64_t> count_events() = 0;
};

}  // namespace kiosk::sync::hq
