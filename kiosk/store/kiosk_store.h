#pragma once
// The terminal's local database: the single source of truth for everything the kiosk shows.
// Every user action commits its row and its outbox event in one transaction; a sync batch
// commits its changes and the new cursor in one transaction. One Store per thread (SQLite
// connections are not shared); the UI thread and the sync worker each open their own.
//
// [SECTION] value types      [SECTION] Store: open, terminal identity
// [SECTION] Store: feed      [SECTION] Store: escalations and outbox  [SECTION] Store: sync
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/chime.h"
#include "kiosk/core/error.h"
#include "kiosk/core/escalation.h"
#include "kiosk/core/hlc.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/staff.h"
#include "kiosk/core/training_pack.h"
#include "kiosk/core/training_schedule.h"
#include "kiosk/core/triage.h"
#include "kiosk/store/migrations.h"

namespace kiosk::store {

// [SECTION] value types

struct Enrollment {
  std::string hq_url;  // e.g. http://127.0.0.1:8080
  std::string terminal_id;
  std::string store_id;
  std::string store_name;
  std::string token;  // secret, sent on every request
  // TLS to head office (docs/sync-protocol.md#tls): trust this CA file instead of the system's,
  // require this public key ("sha256//BASE64", ';' between several), and whether plain
  // http:// to a host that is not this machine was allowed on purpose.
  std::string hq_ca_file = {};
  std::string hq_pin = {};
  bool allow_plain_http = false;
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

// A mention as the feed shows it: with its triage (as stored with it) and its newest
// escalation, if any. triage.category_words is not kept (the card does not show it).
struct FeedRow {
  core::Mention mention;
  core::Triage triage;
  std::optional<core::Escalation> latest_escalation;
  std::optional<std::int64_t> praise_shared_at_ms;  // when staff last shared it with the team
};

// The feed's filter chips. needs_attention: priority 400 and up (complaints, safety);
// negative: negative sentiment; praise: needs a thank-you (priority 200-399); reviews: has a
// star rating; escalated: escalated from this terminal or another; all: everything.
enum class FeedFilter { needs_attention, negative, praise, reviews, escalated, all };
inline constexpr std::size_t kFeedFilterCount = 6;

// What the feed shows: one filter, and text to find (in the post or its author, any case for
// ASCII letters; empty finds everything).
struct FeedQuery {
  FeedFilter filter = FeedFilter::all;
  std::string search;
};

// Where a row sits in the feed's order (priority, newest first, then arrival): a page can
// start right after a key, so reading on costs the same however deep the feed goes.
struct FeedKey {
  int priority = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t row = 0;  // arrival order (the table's rowid)
};

// How many mentions each chip would show for the same search, by FeedFilter.
using FeedCounts = std::array<std::int64_t, kFeedFilterCount>;

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

// A member of staff as head office sent them: who, the Argon2id hash of their PIN, and
// whether they may still tap in.
struct StaffRow {
  core::StaffMember member;
  std::string pin_hash;
  bool active = true;
  std::int64_t pin_set_at_ms = 0;
  std::int64_t changed_at_ms = 0;
};

// A lesson pack head office published, whole (a "training_pack" change).
struct ReceivedPack {
  std::string pack;          // e.g. "frontline-basics"
  std::int64_t version = 0;  // head office's publication count
  std::int64_t published_at_ms = 0;
  std::vector<core::PackFile> files;
};

// The last pack version this terminal refused, and why (its first problems).
struct PackRefusal {
  std::string pack;
  std::int64_t version = 0;
  std::string reason;
  std::int64_t at_ms = 0;
};

// A reply staff drafted for a mention and asked head office to approve, with the outcome.
struct ReplySuggestion {
  std::string id;  // UUID, also in the reply.suggested event
  std::string mention_id;
  std::string staff_id;
  std::string text;
  std::int64_t suggested_at_ms = 0;
  std::string outcome = "pending";  // "approved", "edited", "rejected"
  std::string final_text;           // what head office approved (the draft or its edit)
  std::string comment;
  std::string decided_by;
  std::int64_t decided_at_ms = 0;
};

// What one successful sync round trip brought back, in store terms.
struct SyncBatch {
  std::vector<std::string> acked_event_ids;
  std::vector<std::pair<std::string, std::string>> rejected;  // event id, reason
  std::vector<core::Mention> mentions;
  std::vector<core::Escalation> escalations;
  std::vector<StaffRow> staff;
  std::vector<ReceivedPack> packs;              // checked again here before they are kept
  std::vector<ReplySuggestion> reply_outcomes;  // id and outcome fields set
  std::optional<std::string> policy_text;       // the store's policy, when head office sent one
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
  // One page of the feed for the screen: the query's mentions [offset, offset + limit) in
  // feed order (priority first, newest first within a priority, mentions posted at the same
  // millisecond in the order they arrived), each with its triage and newest escalation. The
  // rows to skip are read off an index (mentions_feed*) without their table rows; a search
  // reads the rows it must look into.
  std::vector<FeedRow> feed_page(const FeedQuery& query, std::int64_t offset, std::int64_t limit);
  // The page that follows a row already shown (its key_of), in one index seek.
  std::vector<FeedRow> feed_page_after(const FeedQuery& query, const FeedKey& after,
                                       std::int64_t limit);
  FeedKey key_of(const std::string& mention_id);
  // One mention as a feed row (triage, newest escalation, praise shared), for the card's
  // detail view: one query, whatever the feed holds. Empty when the terminal does not have it.
  std::optional<FeedRow> feed_row(const std::string& mention_id);
  std::int64_t feed_count(const FeedQuery& query);
  // Every chip's count for one search, in one pass over the mentions.
  FeedCounts feed_counts(const std::string& search);
  std::int64_t mention_count();
  // Triage runs as each mention is stored, with this lexicon. Without one (a CLI run that has
  // no assets folder) stars alone decide and the mention is marked for triage; setting a
  // lexicon triages those, so every mention the window shows is fully triaged.
  void set_lexicon(std::shared_ptr<const core::Lexicon> lexicon);
  // Mentions stored before the full lexicon ran on them; set_lexicon triages them.
  std::int64_t untriaged_count();
  std::optional<core::Mention> mention(const std::string& id);
  // Adds or replaces mentions (an ingest, or a batch from HQ outside sync).
  void upsert_mentions(const std::vector<core::Mention>& mentions, std::int64_t now_ms);
  // Mentions that reached this terminal after after_ms (oldest arrival first), each with when
  // it arrived: what is new since a screen last looked.
  std::vector<std::pair<core::Mention, std::int64_t>> mentions_received_after(std::int64_t after_ms,
                                                                              int limit);
  std::int64_t latest_received_ms();  // 0 when there are no mentions
  // The urgent mentions (priority kChimeMinPriority and up, core/chime.h), newest arrivals
  // first, at most limit: what the chime looks at.
  std::vector<core::ChimeMention> urgent_mentions(std::size_t limit);
  // The newest escalation of each of the given mentions.
  std::map<std::string, core::Escalation> latest_escalations(const std::vector<std::string>& ids);

  // [SECTION] Store: escalations and outbox
  // Records the escalation and its outbox event in one transaction. Throws StoreError when
  // the mention is unknown or the disk refuses; nothing half-written remains either way.
  // staff_id: who is tapped in (carried in the event); empty for an anonymous escalation.
  // mention_id may be empty for an issue reported with no post; it then needs a category.
  core::Escalation escalate(const std::string& mention_id, core::Severity severity,
                            const std::string& note, std::int64_t now_ms,
                            std::optional<core::Category> category = std::nullopt,
                            const std::string& staff_id = {});
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

  // [SECTION] Store: staff (staff_store.cpp)
  // Everyone head office sent, active or not, by name.
  std::vector<StaffRow> staff();
  std::optional<StaffRow> staff_member(const std::string& staff_id);
  core::PinAttempts pin_attempts(const std::string& staff_id);
  // Saves a person's wrong PINs (or clears them after a right one) and, when a lockout began,
  // queues its staff.lockout event in the same transaction.
  void save_pin_attempts(const std::string& staff_id, const core::PinAttempts& attempts,
                         const std::optional<NewEvent>& lockout = std::nullopt,
                         std::int64_t now_ms = 0);
  // [SECTION] Store: training packs and replies (training_progress.cpp)
  // The newest valid pack of that name head office sent, if any.
  std::optional<ReceivedPack> received_pack(const std::string& pack);
  std::optional<PackRefusal> pack_refusal(const std::string& pack);
  // Records the suggestion and its reply.suggested event in one transaction.
  void suggest_reply(const ReplySuggestion& suggestion, const NewEvent& event);
  // Newest first; only this mention's when given.
  std::vector<ReplySuggestion> reply_suggestions(const std::optional<std::string>& mention_id);
  // The newest suggestion of each of the given mentions (for the cards).
  std::map<std::string, ReplySuggestion> latest_replies(const std::vector<std::string>& ids);
  // Small values the app keeps between runs (the contextual prompts' state), by key.
  std::optional<std::string> setting(const std::string& key);
  void save_setting(const std::string& key, const std::string& value);
  // The window's session for crash-restore (kiosk/app/window/ui_session.h): one record, the
  // app's own text. Saving it changes no data the screens show (no change-counter bump).
  std::optional<std::string> ui_session();
  void save_ui_session(const std::string& record, std::int64_t now_ms);
  void clear_ui_session();
  // A fresh lowercase UUID (ids the app hands to events before queueing them).
  static std::string make_id();

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
  // How a search finds its rows: automatic reads the trigram index (mentions_search) for a
  // search of 3 characters or more and every row's text below that; scan always reads every
  // row. Both find the same rows in the same order; benchmarks and tests compare the two.
  enum class SearchPath { automatic, scan };
  void set_search_path(SearchPath path) { search_path_ = path; }
  const std::string& path() const { return db_.path(); }

 private:
  void bump();
  bool search_indexed(const std::string& search) const;
  core::HlcTimestamp tick_hlc(std::int64_t now_ms);
  // Inside a caller's transaction.
  void insert_outbox(const NewEvent& event, std::int64_t now_ms);
  void merge_escalation(const core::Escalation& incoming, std::int64_t now_ms);
  void merge_staff(const StaffRow& incoming);
  void apply_pack(const ReceivedPack& pack, std::int64_t now_ms);
  void apply_reply_outcome(const ReplySuggestion& outcome);

  void triage_pending();
  // Inside a caller's transaction: the columns beyond the first version's, and new history.
  void save_escalation_state(const core::Escalation& e);
  void load_escalation_state(core::Escalation& e);

  Database db_;
  ChangeCounter counter_;
  std::shared_ptr<const core::Lexicon> lexicon_;  // null: stars alone (see set_lexicon)
  SearchPath search_path_ = SearchPath::automatic;
};

}  // namespace kiosk::store
