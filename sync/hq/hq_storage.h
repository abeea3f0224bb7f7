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
#include "kiosk/core/escalation_policy.h"
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
  std::int64_t received_at_ms = 0;  // head office's clock: where the ladder starts
  std::optional<std::int64_t> acknowledged_at_ms = {};  // head office's clock
  int ladder_phase = 0;
  int ladder_step = 0;
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

// A training.answered event as head office keeps it.
struct StoredTrainingAnswer {
  std::string store_id;
  std::string terminal_id;
  protocol::TrainingAnswered answer;
};

// A praise.shared event as head office keeps it.
struct StoredPraise {
  std::string store_id;
  std::string terminal_id;
  protocol::PraiseShared praise;
};

// [ladder] An unresolved escalation with its store's policy file, for the ladder to evaluate.
struct LadderCandidate {
  StoredEscalation stored;
  core::LadderState state;  // raised_at_ms is when head office received it
  std::string policy_text;  // the store's policy file as set (docs/escalation.md)
};

// What one evaluation decided for one escalation: applied only if the escalation's ladder
// state is still `expected` (another kiosk-hq process may have got there first).
struct LadderAdvance {
  std::string escalation_id;
  core::LadderState expected;
  core::LadderState next;
  int level = -1;
  std::string holder;
  std::vector<core::LadderAction> actions;  // each becomes one outgoing notification
  std::int64_t respond_by_ms = 0;           // the response target; 0: none
  std::int64_t next_climb_at_ms = 0;        // 0: it will not climb again by itself
};

// A row of the outgoing-notification table: to whom, when, why, and how sending went.
struct OutgoingNotification {
  std::int64_t id = 0;
  std::string escalation_id;
  std::string store_id;
  core::Severity severity = core::Severity::medium;
  std::string recipient;  // the level's name
  int level = 0;
  int phase = 0;
  int step = 0;
  std::string kind;    // "notify" or "reclimb"
  std::string reason;  // why, in words
  std::int64_t created_at_ms = 0;
  std::string state;  // "pending", "sent", "failed" (gave up)
  int attempts = 0;
  std::string last_error;
  std::int64_t next_attempt_at_ms = 0;
  std::int64_t sent_at_ms = 0;  // 0 until sent
  std::string sender;           // "log", "webhook"
};

inline constexpr std::size_t kMaxHqNotes = 50;  // notes from head office per escalation

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
  // One escalation by id (lower case), with its notes and history; empty when unknown.
  virtual Result<std::optional<StoredEscalation>> find_escalation(const std::string& escalation_id);
  virtual Result<std::optional<StatusRaise>> raise_escalation_status(
      const std::string& escalation_id, core::EscalationStatus status, const std::string& by,
      std::int64_t now_ms) = 0;
  virtual Result<std::int64_t> count_events() = 0;

  // [events of other kinds] What terminals reported, oldest first; all stores when empty.
  virtual Result<std::vector<StoredTrainingAnswer>> training_answers(
      const std::optional<std::string>& store_id) = 0;
  virtual Result<std::vector<StoredPraise>> shared_praise(
      const std::optional<std::string>& store_id) = 0;
  // [notes and reassignment] Each appends the whole escalation to its store's changefeed.
  // Empty when the id is unknown. At most kMaxHqNotes notes per escalation.
  virtual Result<std::optional<StoredEscalation>> add_escalation_note(
      const std::string& escalation_id, const std::string& by, const std::string& text,
      std::int64_t now_ms);
  // Sets who holds it now (shown at the store) and records "Reassigned to ..." as a note.
  virtual Result<std::optional<StoredEscalation>> reassign_escalation(
      const std::string& escalation_id, const std::string& holder, const std::string& by,
      std::int64_t now_ms);

  // [actions] Acknowledge, note, reassign, resolve or reopen, merged by the rules of
  // kiosk/core/escalation_actions.h (status as a join on (generation, status), free text
  // last-writer-wins by HLC, the history append-only); a reopening restarts the ladder. The
  // whole escalation goes to its store's changefeed. Empty when the id is unknown; an action
  // id already applied changes nothing. Terminals' actions arrive through sync().
  virtual Result<std::optional<StoredEscalation>> apply_escalation_action(
      const std::string& escalation_id, const core::EscalationAction& action, std::int64_t now_ms);

  // [ladder] Not pure, so a backend without them still builds; it says it cannot.
  // The store's policy file (already checked by the caller); replaces the one before.
  virtual Result<bool> set_store_policy(const std::string& store_id, const std::string& text,
                                        std::int64_t now_ms);
  virtual Result<std::optional<std::string>> store_policy(const std::string& store_id);
  // Unresolved escalations of stores that have a policy.
  virtual Result<std::vector<LadderCandidate>> ladder_candidates();
  // One transaction: moves the escalation's ladder state from expected to next, records each
  // action as a pending outgoing notification, and (when the level changed) appends the
  // escalation to its store's changefeed. False, with nothing written, when the state was no
  // longer `expected`: evaluating twice, or in two processes, notifies once.
  virtual Result<bool> advance_ladder(const LadderAdvance& advance, std::int64_t now_ms);
  // Pending notifications due at now_ms, oldest first, each claimed for lease_ms so that no
  // other process sends it meanwhile.
  virtual Result<std::vector<OutgoingNotification>> claim_due_notifications(std::int64_t now_ms,
                                                                            std::int64_t lease_ms,
                                                                            int limit);
  // After an attempt: state "sent", "failed" (gave up) or "pending" (retry at next_attempt).
  virtual Result<bool> finish_notification(std::int64_t id, const std::string& state,
                                           const std::string& error, const std::string& sender,
                                           std::int64_t next_attempt_at_ms, std::int64_t now_ms);
  virtual Result<std::vector<OutgoingNotification>> list_notifications(
      const std::optional<std::string>& escalation_id);
  // [live] The highest change seq of a store (0 when it has none), read often and cheaply
  // so waiting terminals wake when their store's changefeed moves, also by another process.
  // A storage without it answers with a failure: waiting terminals are then answered at
  // the end of their wait, and poll.
  virtual Result<std::int64_t> latest_seq(const std::string& /*store_id*/) {
    return Result<std::int64_t>::failure("this storage cannot report its latest change");
  }
};

}  // namespace kiosk::sync::hq
