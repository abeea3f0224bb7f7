#pragma once
// The terminal's local database: the single source of truth for everything the kiosk shows.
// Every user action commits its row and its outbox event in one transaction; a sync batch
// commits its changes and the new cursor in one transaction. One Store per thread (SQLite
// connections are not shared); the UI thread and the sync worker each open their own.
//
// [SECTION] value types      [SECTION] Store: open, terminal identity
// [SECTION] Store: feed      [SECTION] Store: escalations and outbox  [SECTION] Store: sync
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/error.h"
#include "kiosk/core/escalation.h"
#include "kiosk/core/hlc.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/training_schedule.h"
#include "kiosk/store/sqlite_db.h"

namespace kiosk::store {

// [SECTION] value types

struct Enrollment {
  std::string hq_url;  // e.g. http://127.0.0.1:8080
  std::string terminal_id;
  std::string store_id;
  std::string store_name;
  std::string token;  // secret, sent on every request
};

struct SyncState {
  std::int64_t cursor = 0;  // last change seq applied from HQ
  std::optional<std::int64_t> last_success_ms;
  std::optional<std::int64_t> last_attempt_ms;
  std::string last_error;       // empty after a success
  std::string last_error_kind;  // core::ErrorKind's name, empty after a success
  std::string worker_state;     // the window's sync worker: "idle", "backing_off", ...
  std::optional<std::int64_t> next_attempt_ms;  // when that worker tries next
  std::int64_t events_waiting = 0;              // outbox rows not yet acknowledged by HQ
  std::int64_t events_rejected = 0;             // rows HQ refused for good (kept, see reason)
};

// A mention as the feed shows it: with its newest escalation, if any.
struct FeedRow {
  core::Mention mention;
  std::optional<core::Escalation> latest_escalation;
};

// An escalation as the Escalations screen shows it: whole (history included), what it is
// about, and which of its actions this terminal has not yet delivered to head office.
struct EscalationRecord {
  core::Escalation escalation;
  std::string mention_text;                      // empty for an issue reported with no post
  std::vector<std::string> unsynced_action_ids;  // actions still in the outbox
};

// One outbox row, joined with the entity it announces, ready for the wire.
struct PendingEvent {
  std::string event_id;
  std::string kind;  // "escalation.created", "training.answered", ...
  std::string hlc;
  core::Escalation escalation;  // kind "escalation.created"
  std::string body;             // every other kind: its JSON object, checked when queued
};

// An event of a kind other than escalation.created, made by the app after its contract
// (sync/protocol/contracts.h) accepted the body.
struct NewEvent {
  std::string kind;
  std::string entity_id;  // what it is about (a lesson, a mention), for store IT
  std::string body;
};

// What one successful sync round trip brought back, in store terms.
struct SyncBatch {
  std::vector<std::string> acked_event_ids;
  std::vector<std::pair<std::string, std::string>> rejected;  // event id, reason
  std::vector<core::Mention> mentions;
  std::vector<core::Escalation> escalations;
  std::optional<std::string> policy_text;  // the store's policy, when head office sent one
  std::int64_t new_cursor = 0;
  std::int64_t now_ms = 0;
};

// Bumped by every commit made through any Store sharing it, so the UI can tell cheaply
// whether its view state is stale.
using ChangeCounter = std::shared_ptr<std::atomic<std::uint64_t>>;

class Store {
 public:
  // [SECTION] Store: open, terminal identity
  // Opens or creates the file, switches on WAL and migrates. Throws StoreError with a
  // sentence for store IT (newer schema, damaged file, no space, read-only).
  explicit Store(const std::string& path, ChangeCounter counter = nullptr);

  std::optional<Enrollment> enrollment();
  // The same store again (a new token, a new address): everything local is kept.
  void save_enrollment(const Enrollment& e);
  // Another store: the old store's mentions, escalations, outbox and cursor are erased (and
  // overwritten on disk) in the same transaction that saves the new enrollment, so nothing
  // of one store is ever shown or filed under another.
  void enroll_at_new_store(const Enrollment& e);
  // HQ rotated the token (a sync answer's new_token): keep only the new one from now on.
  void replace_token(const std::string& token);

  // [SECTION] Store: feed
  // Newest first. limit bounds the work: the UI shows a window of the feed.
  std::vector<core::Mention> recent_mentions(int limit);
  // One page of the feed for the screen: mentions [offset, offset + limit) in feed order
  // (newest first; mentions posted at the same millisecond in the order they arrived), each
  // with its newest escalation, in one query whose cost does not grow with offset's rows.
  std::vector<FeedRow> feed_page(std::int64_t offset, std::int64_t limit);
  std::int64_t mention_count();
  std::optional<core::Mention> mention(const std::string& id);
  // Adds or replaces mentions (an ingest, or a batch from HQ outside sync).
  void upsert_mentions(const std::vector<core::Mention>& mentions, std::int64_t now_ms);
  // The newest escalation of each of the given mentions.
  std::map<std::string, core::Escalation> latest_escalations(const std::vector<std::string>& ids);

  // [SECTION] Store: escalations and outbox
  // Records the escalation and its outbox event in one transaction. Throws StoreError when
  // the mention is unknown or the disk refuses; nothing half-written remains either way.
  // mention_id may be empty for an issue reported with no post; it then needs a category.
  core::Escalation escalate(const std::string& mention_id, core::Severity severity,
                            const std::string& note, std::int64_t now_ms,
                            std::optional<core::Category> category = std::nullopt,
                            const std::string& raised_by = {});
  // One escalation, whole (its history included); empty when unknown.
  std::optional<core::Escalation> escalation(const std::string& id);
  // Open ones first (oldest first), then acknowledged, then resolved (newest first); at most
  // limit.
  std::vector<EscalationRecord> escalation_board(std::size_t limit);
  // A manager's action, applied here at once (kiosk/core/escalation_actions.h) and queued for
  // head office in the same transaction. The store fills in the action's id (also its event's
  // id), HLC, terminal, time and generation; body_of makes the event's body from it. Throws
  // StoreError when the escalation is unknown or the action is not possible now (e.g.
  // acknowledging a resolved one), saving nothing.
  core::Escalation record_action(
      const std::string& escalation_id, core::EscalationAction action,
      const std::function<std::string(const core::EscalationAction&)>& body_of,
      std::int64_t now_ms);
  // The store's escalation policy file as head office last sent it; empty when none.
  std::string store_policy_text();
  std::vector<core::Escalation> escalations();
  // Oldest first, escalations before every other kind: they are what a manager waits on.
  std::vector<PendingEvent> pending_events(std::size_t limit);
  // Queues one event in its own transaction (its tick of the clock included).
  void queue_event(const NewEvent& event, std::int64_t now_ms);

  // [SECTION] Store: training progress (training_progress.cpp)
  // Every lesson this member of staff has answered, by lesson id.
  core::StaffProgress training_progress(const std::string& staff_id);
  // Replaces one lesson's progress (the value record_answer returned) and, when given, queues
  // the answer's event for head office in the same transaction.
  void save_training_progress(const std::string& staff_id, const std::string& lesson_id,
                              const core::LessonProgress& progress,
                              const std::optional<NewEvent>& answered = std::nullopt,
                              std::int64_t now_ms = 0);

  // [SECTION] Store: sync
  SyncState sync_state();
  // Applies a round trip's result and the new cursor atomically.
  void apply_sync_batch(const SyncBatch& batch);
  // Remembers that an attempt failed and why (shown in the status bar and `status`).
  void record_sync_failure(const core::Error& error, std::int64_t now_ms);
  // The sync worker's state after a round, so `kiosk status` in another process can tell.
  void record_worker_schedule(std::string_view state, std::optional<std::int64_t> next_attempt_ms);
  void count_attempt(const std::vector<std::string>& event_ids);

  // Moves whenever data this Store can see changed: its own commits, or another
  // connection's (PRAGMA data_version), e.g. the sync worker or a CLI call.
  std::uint64_t change_counter();
  // Caps how large this connection may grow the file, in database pages: past it every
  // write fails exactly as on a full disk. For terminals with a small disk shared with other
  // software, and for reproducing a full disk in tests.
  void cap_file_pages(std::int64_t pages);
  const std::string& path() const { return db_.path(); }

 private:
  void bump();
  core::HlcTimestamp tick_hlc(std::int64_t now_ms);
  // Inside a caller's transaction.
  void insert_outbox(const NewEvent& event, std::int64_t now_ms);
  void merge_escalation(const core::Escalation& incoming, std::int64_t now_ms);
  // Inside a caller's transaction: the columns beyond the first version's, and new history.
  void save_escalation_state(const core::Escalation& e);
  void load_escalation_state(core::Escalation& e);

  Database db_;
  ChangeCounter counter_;
};

}  // namespace kiosk::store
