#pragma once
// What kiosk-hq keeps: stores, enrollment codes, terminals, the events terminals sent, the
// escalations and mentions of each store, and one changefeed per store. An interface so a
// PostgreSQL backend can sit beside SQLite later; sqlite_hq_storage.h is the first one.
//
// Rules every backend keeps:
// - Nothing is cached in memory: several kiosk-hq processes (and the CLI) share one database,
//   so every call reads what it needs from the database.
// - Only keyed hashes of tokens and enrollment codes are stored (hash_secret() below, with a
//   server secret kept outside the database).
// - Failures are Result errors written for an HQ operator; "not found" is not a failure but
//   an empty optional.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
  std::string token_hash;   // hash_secret() of the token handed to the terminal
  std::int64_t token_expires_at_ms = 0;
  // hash_secret() of the token the terminal held before, or empty: the terminal that token
  // belongs to is revoked in the same transaction (re-enrollment).
  std::string replaces_token_hash;
};

// What a presented token is worth (check_token).
struct TokenCheck {
  enum class State {
    unknown,   // no terminal has it
    current,   // the terminal's token now
    previous,  // the token it had before the last rotation; still valid until its expiry
    expired,
    revoked,
    outdated,  // stored under the unkeyed hash of databases from before the server secret
  };
  State state = State::unknown;
  TerminalIdentity terminal;       // set unless unknown
  std::int64_t expires_at_ms = 0;  // of the presented token
  bool has_previous = false;       // the terminal still has a previous token on record
  std::int64_t revoked_at_ms = 0;  // when revoked
  std::string revoked_reason;      // why, in words for store IT
};

// A terminal as head office lists it.
struct TerminalRecord {
  std::string terminal_id;
  std::string store_id;
  std::string name;
  std::int64_t enrolled_at_ms = 0;
  std::int64_t token_expires_at_ms = 0;  // 0: a token from before expiry existed
  std::optional<std::int64_t> revoked_at_ms;
  std::string revoked_reason;
};

enum class RevokeOutcome { revoked, already_revoked };

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

  // [secrets] Keyed hash of a token or enrollment code with this database's server secret.
  virtual std::string hash_secret(std::string_view secret) const = 0;

  // [enrollment] The code itself never reaches storage, only its hash.
  virtual Result<bool> add_enrollment_code(const std::string& code_hash,
                                           const std::string& store_id,
                                           std::int64_t expires_at_ms) = 0;
  // Uses the code once: empty when it is unknown, already used or expired at now_ms. A code
  // that matches nothing takes no write lock.
  virtual Result<std::optional<EnrolledTerminal>> redeem_enrollment_code(
      const std::string& code_hash, const NewTerminal& terminal, std::int64_t now_ms) = 0;
  // The terminal whose current, unexpired, unrevoked token this is.
  virtual Result<std::optional<TerminalIdentity>> find_terminal_by_token_hash(
      const std::string& token_hash) = 0;

  // [tokens] Reads only. token_hash is hash_secret(token), legacy_hash unkeyed_hash(token).
  virtual Result<TokenCheck> check_token(const std::string& token_hash,
                                         const std::string& legacy_hash, std::int64_t now_ms) = 0;
  // Gives the terminal a new current token. presented_hash was its current token (which then
  // becomes the previous one, valid until its own expiry) or its previous one (which stays).
  // False when presented_hash is neither any more (another rotation won).
  virtual Result<bool> rotate_token(const std::string& terminal_id,
                                    const std::string& presented_hash, const std::string& new_hash,
                                    std::int64_t new_expires_at_ms) = 0;
  // The terminal used its current token: the previous one stops working.
  virtual Result<bool> forget_previous_token(const std::string& terminal_id) = 0;
  virtual Result<std::vector<TerminalRecord>> list_terminals(
      const std::optional<std::string>& store_id) = 0;
  // Empty when there is no such terminal.
  virtual Result<std::optional<RevokeOutcome>> revoke_terminal(const std::string& terminal_id,
                                                               const std::string& reason,
                                                               std::int64_t now_ms) = 0;

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

  // [live] The highest change seq of a store (0 when it has none), read often and cheaply
  // so waiting terminals wake when their store's changefeed moves, also by another process.
  // A storage without it answers with a failure: waiting terminals are then answered at
  // the end of their wait, and poll.
  virtual Result<std::int64_t> latest_seq(const std::string& /*store_id*/) {
    return Result<std::int64_t>::failure("this storage cannot report its latest change");
  }
};

}  // namespace kiosk::sync::hq
