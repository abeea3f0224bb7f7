#pragma once
// What kiosk-hq keeps: stores, enrollment codes, terminals, the events terminals sent, the
// escalations and mentions of each store, and one changefeed per store. An interface with two
// backends, SQLite (sqlite_hq_storage.h) and PostgreSQL (pg_hq_storage.h); every method is pure,
// so a backend cannot leave one out and still build.
//
// Rules every backend keeps:
// - Nothing is cached in memory: several kiosk-hq processes (and the CLI) share one database,
//   so every call reads what it needs from the database.
// - Only keyed hashes of tokens and enrollment codes are stored (hash_secret() below, with a
//   server secret kept outside the database).
// - Failures are Result errors written for an HQ operator; "not found" is not a failure but
//   an empty optional.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/escalation_policy.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"
#include "kiosk/core/triage.h"
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

// One action merged into head office's copy by the core rules (kiosk/core/escalation_actions.h)
// and what head office keeps around it, the same in every backend: a reopening restarts the
// ladder from its first level, counted from now_ms; the first step past open (in this
// generation) stamps acknowledged_at_ms, which stops the ladder. False, and nothing changes,
// when the history already held the action. The backend then writes the row and the change.
bool apply_action_to_stored(StoredEscalation& e, const core::EscalationAction& a,
                            std::int64_t now_ms);

struct StatusRaise {
  StoredEscalation after;  // the escalation after the call
  bool changed = false;    // false when it already was at that status or further along
};

// A mention as head office keeps it: every field the wire carries, and its triage (run as it
// was stored, by the same core code as the kiosk's; category_words are not kept).
struct StoredMention {
  core::Mention mention;
  core::Triage triage;
};

// One batch of `kiosk-hq mentions retriage`: how many stored mentions were triaged again under
// the current core::kTriageVersion, and how many of them came out differently (each of those
// went to its store's changefeed as a mention update).
struct RetriageBatch {
  std::int64_t examined = 0;
  std::int64_t changed = 0;
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

// [staff] A member of staff as head office keeps them: the record that goes down the
// changefeed, and the store they belong to.
struct StoredStaff {
  std::string store_id;
  protocol::StaffRecord record;
};

// A staff.lockout event as head office keeps it.
struct StoredStaffLockout {
  std::string store_id;
  std::string terminal_id;
  protocol::StaffLockout lockout;
};

// [training packs] One publication of a lesson pack (the files are in the change it made).
struct PublishedPack {
  std::string pack;
  std::int64_t version = 0;  // 1, 2, ... per pack name, given at publication
  std::int64_t published_at_ms = 0;
  int lessons = 0;  // lesson ids in it
  int stores = 0;   // changefeeds it was appended to (publish only)
};

// [replies] A reply.suggested event and what head office decided about it.
struct StoredReplySuggestion {
  std::string store_id;
  std::string terminal_id;
  protocol::ReplySuggested suggestion;
  std::string outcome = "pending";  // or "approved", "edited", "rejected"
  std::string final_text;           // the approved or edited reply
  std::string comment;
  std::string decided_by;
  std::int64_t decided_at_ms = 0;
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

// What a ladder step changes in head office's copy, the same in every backend: the level,
// who holds it, the response target and the next climb. True when the escalation as the
// store sees it changed (the backend then appends it to the store's changefeed).
bool apply_ladder_advance_to_stored(StoredEscalation& e, const LadderAdvance& a);

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

// [sources] One row per polling connector (by its configured name): where its next poll
// resumes, its health line, and its lease (the one process allowed to poll it now).
struct SourceState {
  std::string name;
  std::string cursor;  // since-id kept between polls (Mastodon, X); empty: from the newest
  std::int64_t last_success_ms = 0;
  std::int64_t last_error_ms = 0;
  std::string last_error;          // in words, never with a credential
  std::int64_t items_seen = 0;     // mentions read, all polls together
  std::int64_t items_skipped = 0;  // items and bodies that could not be read
  std::int64_t next_poll_ms = 0;   // not before this (interval, backoff, Retry-After, quota)
  int failures = 0;                // failed polls in a row (backoff)
  std::string quota_day;           // UTC day "2026-11-23" that quota_used counts
  std::int64_t quota_used = 0;     // requests sent that day
  std::string lease_holder;        // the process polling it now, or empty
  std::int64_t lease_until_ms = 0;
};

// [matching] A post seen before, by id or by fingerprint: the mention that holds it and its
// store (empty while it waits in the unmatched queue).
struct PostKey {
  std::string mention_id;
  std::string store_id;
};

// A mention no store could be matched to with confidence, waiting to be assigned by hand.
struct UnmatchedMention {
  std::string mention_id;
  std::string mention_json;  // the whole mention (sources::mention_json_line)
  std::string reason;        // why it was not matched, in words
  std::string candidates;    // the stores it could be, comma-separated; may be empty
  std::int64_t received_at_ms = 0;
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
  // terminal's store's changes after request.cursor. Each change comes as its stored JSON
  // (protocol::Change::stored), not decoded: the sync answer sends those bytes as they are.
  virtual Result<protocol::SyncResponse> sync_stored(const TerminalIdentity& terminal,
                                                     const protocol::SyncRequest& request,
                                                     std::int64_t now_ms) = 0;
  // The same, with each change decoded into its typed fields (checked like the wire); fails
  // if a stored change does not decode. For head office's own readers and tests.
  Result<protocol::SyncResponse> sync(const TerminalIdentity& terminal,
                                      const protocol::SyncRequest& request, std::int64_t now_ms);

  // [head office operations]
  // Mentions are stored under store_id whatever their own store_id says.
  virtual Result<MentionUpsertCounts> upsert_mentions(const std::string& store_id,
                                                      const std::vector<core::Mention>& mentions,
                                                      std::int64_t now_ms) = 0;
  // A store's mentions in the feed's order: priority, then newest first. At most limit.
  virtual Result<std::vector<StoredMention>> list_mentions(const std::string& store_id,
                                                           std::int64_t limit) = 0;
  // Re-runs the current triage (core::kTriageVersion, this storage's lexicon) on at most limit
  // mentions stored under an older version, of one store or of every store when empty, in one
  // transaction. A mention whose triage changed is appended to its store's changefeed as a
  // mention update (terminals triage what they receive with the same core code); every
  // examined one is marked with the current version, so calling it again goes on from there
  // and examined 0 means done.
  virtual Result<RetriageBatch> retriage_mentions(const std::optional<std::string>& store_id,
                                                  std::int64_t limit, std::int64_t now_ms) = 0;
  // The lexicon upsert_mentions triages with; without one, stars and punctuation alone.
  void set_lexicon(std::shared_ptr<const core::Lexicon> lexicon) { lexicon_ = std::move(lexicon); }
  virtual Result<std::vector<StoredEscalation>> list_escalations(
      const std::optional<std::string>& store_id) = 0;
  // One escalation by id (lower case), with its notes and history; empty when unknown.
  virtual Result<std::optional<StoredEscalation>> find_escalation(
      const std::string& escalation_id) = 0;
  // Moves the status forward as a join (never back) and, when it moved, appends the
  // escalation to its store's changefeed. Empty when the id is unknown.
  virtual Result<std::optional<StatusRaise>> raise_escalation_status(
      const std::string& escalation_id, core::EscalationStatus status, const std::string& by,
      std::int64_t now_ms) = 0;
  virtual Result<std::int64_t> count_events() = 0;

  // [events of other kinds] What terminals reported, oldest first; all stores when empty.
  virtual Result<std::vector<StoredTrainingAnswer>> training_answers(
      const std::optional<std::string>& store_id) = 0;
  virtual Result<std::vector<StoredPraise>> shared_praise(
      const std::optional<std::string>& store_id) = 0;
  // [staff] Each write appends the whole record to the store's changefeed (kind "staff"),
  // in the same transaction. Only Argon2id hashes of PINs reach storage.
  // False when the store already has a member of staff with that id (nothing written).
  virtual Result<bool> add_staff(const std::string& store_id, const protocol::StaffRecord& r) = 0;
  // Disable (active = false) or enable again. Empty when there is no such member of staff.
  virtual Result<std::optional<StoredStaff>> set_staff_active(const std::string& store_id,
                                                              const std::string& staff_id,
                                                              bool active, std::int64_t now_ms) = 0;
  // A new PIN hash. Empty when there is no such member of staff.
  virtual Result<std::optional<StoredStaff>> set_staff_pin(const std::string& store_id,
                                                           const std::string& staff_id,
                                                           const std::string& pin_hash,
                                                           std::int64_t now_ms) = 0;
  // By store, then id; all stores when empty.
  virtual Result<std::vector<StoredStaff>> list_staff(
      const std::optional<std::string>& store_id) = 0;
  // staff.lockout events terminals reported, oldest first; all stores when empty.
  virtual Result<std::vector<StoredStaffLockout>> staff_lockouts(
      const std::optional<std::string>& store_id) = 0;

  // [notes and reassignment] Each appends the whole escalation to its store's changefeed.
  // Empty when the id is unknown. At most kMaxHqNotes notes per escalation.
  virtual Result<std::optional<StoredEscalation>> add_escalation_note(
      const std::string& escalation_id, const std::string& by, const std::string& text,
      std::int64_t now_ms) = 0;
  // Sets who holds it now (shown at the store) and records "Reassigned to ..." as a note.
  virtual Result<std::optional<StoredEscalation>> reassign_escalation(
      const std::string& escalation_id, const std::string& holder, const std::string& by,
      std::int64_t now_ms) = 0;

  // [training packs] Stores a pack already checked by the caller (core::check_pack) as the
  // next version of its name, and appends it, whole, as a "training_pack" change to every
  // store's changefeed in the same transaction. A store added later gets the newest version
  // of each pack when it is added.
  virtual Result<PublishedPack> publish_training_pack(const protocol::TrainingPackChange& pack,
                                                      int lessons, std::int64_t now_ms) = 0;
  // The newest version of each pack, by name.
  virtual Result<std::vector<PublishedPack>> training_packs() = 0;

  // [replies] Suggested replies, oldest first; all stores when empty.
  virtual Result<std::vector<StoredReplySuggestion>> reply_suggestions(
      const std::optional<std::string>& store_id) = 0;
  // Decides a pending suggestion ("approved", "edited" with text, or "rejected") and appends
  // a "reply_outcome" change to its store's changefeed. Empty when the id is unknown; a
  // failure when it was already decided (nothing changes).
  virtual Result<std::optional<StoredReplySuggestion>> decide_reply(
      const std::string& suggestion_id, const std::string& outcome, const std::string& text,
      const std::string& comment, const std::string& by, std::int64_t now_ms) = 0;
  // [actions] Acknowledge, note, reassign, resolve or reopen, merged by the rules of
  // kiosk/core/escalation_actions.h (status as a join on (generation, status), free text
  // last-writer-wins by HLC, the history append-only); a reopening restarts the ladder. The
  // whole escalation goes to its store's changefeed. Empty when the id is unknown; an action
  // id already applied changes nothing. Terminals' actions arrive through sync().
  virtual Result<std::optional<StoredEscalation>> apply_escalation_action(
      const std::string& escalation_id, const core::EscalationAction& action,
      std::int64_t now_ms) = 0;

  // [ladder] Several kiosk-hq processes run the ladder and send notifications on one database:
  // each backend keeps every step and every notification to one of them (its comments say how).
  // The store's policy file (already checked by the caller); replaces the one before.
  virtual Result<bool> set_store_policy(const std::string& store_id, const std::string& text,
                                        std::int64_t now_ms) = 0;
  virtual Result<std::optional<std::string>> store_policy(const std::string& store_id) = 0;
  // Unresolved escalations of stores that have a policy.
  virtual Result<std::vector<LadderCandidate>> ladder_candidates() = 0;
  // One transaction: moves the escalation's ladder state from expected to next, records each
  // action as a pending outgoing notification, and (when the level changed) appends the
  // escalation to its store's changefeed. False, with nothing written, when the state was no
  // longer `expected`: evaluating twice, or in two processes, notifies once.
  virtual Result<bool> advance_ladder(const LadderAdvance& advance, std::int64_t now_ms) = 0;
  // Pending notifications due at now_ms, oldest first, each claimed for lease_ms so that no
  // other process sends it meanwhile.
  virtual Result<std::vector<OutgoingNotification>> claim_due_notifications(std::int64_t now_ms,
                                                                            std::int64_t lease_ms,
                                                                            int limit) = 0;
  // After an attempt: state "sent", "failed" (gave up) or "pending" (retry at next_attempt).
  virtual Result<bool> finish_notification(std::int64_t id, const std::string& state,
                                           const std::string& error, const std::string& sender,
                                           std::int64_t next_attempt_at_ms,
                                           std::int64_t now_ms) = 0;
  virtual Result<std::vector<OutgoingNotification>> list_notifications(
      const std::optional<std::string>& escalation_id) = 0;
  // [live] The highest change seq of a store (0 when it has none), read often and cheaply
  // so waiting terminals wake when their store's changefeed moves, also by another process.
  virtual Result<std::int64_t> latest_seq(const std::string& store_id) = 0;
  // Called after a call of this object that appended to a store's changefeed returned, once
  // per store it changed, with the store's id (a hint for the long-poll watcher: it may also come
  // after a transaction that rolled back). On the thread that made the call; set before use.
  void set_change_listener(std::function<void(const std::string&)> listener) {
    change_listener_ = std::move(listener);
  }

 protected:
  // Tells the listener about the stores in `stores`, then empties it.
  void tell_changed(std::vector<std::string>& stores) const {
    if (change_listener_)
      for (const auto& store : stores) change_listener_(store);
    stores.clear();
  }

 private:
  std::function<void(const std::string&)> change_listener_;

 public:
  // [sources] One process polls a connector at a time: the lease is taken in the database.
  // Takes (or renews) the connector's lease until until_ms when nobody else holds an
  // unexpired one; true when `holder` holds it after the call. Creates the row if needed.
  virtual Result<bool> take_source_lease(const std::string& name, const std::string& holder,
                                         std::int64_t now_ms, std::int64_t until_ms) = 0;
  // Writes everything but the lease, and clears the lease when `release`; only while
  // `holder` holds it (false, nothing written, when it lost it meanwhile).
  virtual Result<bool> save_source_state(const SourceState& state, const std::string& holder,
                                         bool release) = 0;
  virtual Result<std::optional<SourceState>> source_state(const std::string& name) = 0;
  virtual Result<std::vector<SourceState>> source_states() = 0;

  // [matching] A store's profile for the matcher (JSON, checked by the caller); replaces the
  // one before.
  virtual Result<bool> set_store_profile(const std::string& store_id, const std::string& json,
                                         std::int64_t now_ms) = 0;
  // Every store's profile: (store id, JSON), by store id.
  virtual Result<std::vector<std::pair<std::string, std::string>>> store_profiles() = 0;
  virtual Result<std::optional<PostKey>> find_post_key(const std::string& key) = 0;
  // Records the key unless it is already there (then nothing changes); true when recorded.
  virtual Result<bool> put_post_key(const std::string& key, const PostKey& value,
                                    std::int64_t now_ms) = 0;
  // The mention was assigned: every key it holds now points at the store.
  virtual Result<bool> set_post_store(const std::string& mention_id,
                                      const std::string& store_id) = 0;
  // False when it is already queued.
  virtual Result<bool> add_unmatched_mention(const UnmatchedMention& mention) = 0;
  // Oldest first.
  virtual Result<std::vector<UnmatchedMention>> unmatched_mentions() = 0;
  // Removes and returns it; empty when it is not queued.
  virtual Result<std::optional<UnmatchedMention>> take_unmatched_mention(
      const std::string& mention_id) = 0;

 protected:
  // The triage of a mention as it is stored (see set_lexicon).
  core::Triage triage_for(const core::Mention& m) const;

 private:
  std::shared_ptr<const core::Lexicon> lexicon_;
};

}  // namespace kiosk::sync::hq
