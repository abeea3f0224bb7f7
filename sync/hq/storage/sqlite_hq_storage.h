#pragma once
// HqStorage on one SQLite file (WAL, busy timeout 5 s), the default backend, through the
// SQLite wrapper and migration runner the kiosk uses too (kiosk/store/sqlite/). The only HQ
// file that includes sqlite3.h is its .cpp.
//
// Threads and processes: each call borrows a connection from a small pool, so every server
// worker thread has its own connection and none is shared between threads at once. Several
// kiosk-hq processes may open the same file; writes take the database lock with
// BEGIN IMMEDIATE, so change sequence numbers are handed out in commit order.
//
// Schema: versioned with PRAGMA user_version and a list of migrations applied in order on
// open. A file written by a newer kiosk-hq is refused rather than guessed at.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sqlite {
class Database;
}

namespace kiosk::sync::hq {

class SqliteHqStorage final : public HqStorage {
 public:
  enum class OpenMode {
    create_if_missing,  // serve, store add: a new head office starts from nothing
    must_exist,         // every other command: a typo in --db must not make an empty file
  };

  // Opens (and if needed creates and migrates) the database at path, and the server secret
  // at secret_path (default "<path>.secret", made with mode 0600 on first use; tokens.h).
  // Errors name the file and say what to do.
  static Result<std::unique_ptr<SqliteHqStorage>> open(const std::string& path, OpenMode mode,
                                                       const std::string& secret_path = "");
  // The schema version this build writes.
  static int latest_schema_version();

  ~SqliteHqStorage() override;
  SqliteHqStorage(const SqliteHqStorage&) = delete;
  SqliteHqStorage& operator=(const SqliteHqStorage&) = delete;

  Result<AddStoreOutcome> add_store(const Store& store) override;
  Result<std::optional<Store>> find_store(const std::string& store_id) override;
  std::string hash_secret(std::string_view secret) const override;
  Result<bool> add_enrollment_code(const std::string& code_hash, const std::string& store_id,
                                   std::int64_t expires_at_ms) override;
  Result<std::optional<EnrolledTerminal>> redeem_enrollment_code(const std::string& code_hash,
                                                                 const NewTerminal& terminal,
                                                                 std::int64_t now_ms) override;
  Result<std::optional<TerminalIdentity>> find_terminal_by_token_hash(
      const std::string& token_hash) override;
  Result<TokenCheck> check_token(const std::string& token_hash, const std::string& legacy_hash,
                                 std::int64_t now_ms) override;
  Result<bool> rotate_token(const std::string& terminal_id, const std::string& presented_hash,
                            const std::string& new_hash, std::int64_t new_expires_at_ms) override;
  Result<bool> forget_previous_token(const std::string& terminal_id) override;
  Result<std::vector<TerminalRecord>> list_terminals(
      const std::optional<std::string>& store_id) override;
  Result<std::optional<RevokeOutcome>> revoke_terminal(const std::string& terminal_id,
                                                       const std::string& reason,
                                                       std::int64_t now_ms) override;
  Result<protocol::SyncResponse> sync_stored(const TerminalIdentity& terminal,
                                             const protocol::SyncRequest& request,
                                             std::int64_t now_ms) override;
  Result<MentionUpsertCounts> upsert_mentions(const std::string& store_id,
                                              const std::vector<core::Mention>& mentions,
                                              std::int64_t now_ms) override;
  Result<std::vector<StoredMention>> list_mentions(const std::string& store_id,
                                                   std::int64_t limit) override;
  Result<RetriageBatch> retriage_mentions(const std::optional<std::string>& store_id,
                                          std::int64_t limit, std::int64_t now_ms) override;
  Result<std::vector<StoredEscalation>> list_escalations(
      const std::optional<std::string>& store_id) override;
  Result<std::optional<StatusRaise>> raise_escalation_status(const std::string& escalation_id,
                                                             core::EscalationStatus status,
                                                             const std::string& by,
                                                             std::int64_t now_ms) override;
  Result<std::int64_t> count_events() override;
  Result<std::vector<StoredTrainingAnswer>> training_answers(
      const std::optional<std::string>& store_id) override;
  Result<bool> add_staff(const std::string& store_id, const protocol::StaffRecord& r) override;
  Result<std::optional<StoredStaff>> set_staff_active(const std::string& store_id,
                                                      const std::string& staff_id, bool active,
                                                      std::int64_t now_ms) override;
  Result<std::optional<StoredStaff>> set_staff_pin(const std::string& store_id,
                                                   const std::string& staff_id,
                                                   const std::string& pin_hash,
                                                   std::int64_t now_ms) override;
  Result<std::vector<StoredStaff>> list_staff(const std::optional<std::string>& store_id) override;
  Result<std::vector<StoredStaffLockout>> staff_lockouts(
      const std::optional<std::string>& store_id) override;
  Result<PublishedPack> publish_training_pack(const protocol::TrainingPackChange& pack, int lessons,
                                              std::int64_t now_ms) override;
  Result<std::vector<PublishedPack>> training_packs() override;
  Result<std::vector<StoredReplySuggestion>> reply_suggestions(
      const std::optional<std::string>& store_id) override;
  Result<std::optional<StoredReplySuggestion>> decide_reply(
      const std::string& suggestion_id, const std::string& outcome, const std::string& text,
      const std::string& comment, const std::string& by, std::int64_t now_ms) override;
  Result<std::vector<StoredPraise>> shared_praise(
      const std::optional<std::string>& store_id) override;
  Result<std::optional<StoredEscalation>> add_escalation_note(const std::string& escalation_id,
                                                              const std::string& by,
                                                              const std::string& text,
                                                              std::int64_t now_ms) override;
  Result<std::optional<StoredEscalation>> reassign_escalation(const std::string& escalation_id,
                                                              const std::string& holder,
                                                              const std::string& by,
                                                              std::int64_t now_ms) override;
  Result<std::optional<StoredEscalation>> find_escalation(
      const std::string& escalation_id) override;
  Result<std::optional<StoredEscalation>> apply_escalation_action(
      const std::string& escalation_id, const core::EscalationAction& action,
      std::int64_t now_ms) override;
  Result<bool> set_store_policy(const std::string& store_id, const std::string& text,
                                std::int64_t now_ms) override;
  Result<std::optional<std::string>> store_policy(const std::string& store_id) override;
  Result<std::vector<LadderCandidate>> ladder_candidates() override;
  Result<bool> advance_ladder(const LadderAdvance& advance, std::int64_t now_ms) override;
  Result<std::vector<OutgoingNotification>> claim_due_notifications(std::int64_t now_ms,
                                                                    std::int64_t lease_ms,
                                                                    int limit) override;
  Result<bool> finish_notification(std::int64_t id, const std::string& state,
                                   const std::string& error, const std::string& sender,
                                   std::int64_t next_attempt_at_ms, std::int64_t now_ms) override;
  Result<std::vector<OutgoingNotification>> list_notifications(
      const std::optional<std::string>& escalation_id) override;
  Result<std::int64_t> latest_seq(const std::string& store_id) override;
  // [sources] connectors' state and leases, store profiles, seen posts, the unmatched queue
  Result<bool> take_source_lease(const std::string& name, const std::string& holder,
                                 std::int64_t now_ms, std::int64_t until_ms) override;
  Result<bool> save_source_state(const SourceState& state, const std::string& holder,
                                 bool release) override;
  Result<std::optional<SourceState>> source_state(const std::string& name) override;
  Result<std::vector<SourceState>> source_states() override;
  Result<bool> set_store_profile(const std::string& store_id, const std::string& json,
                                 std::int64_t now_ms) override;
  Result<std::vector<std::pair<std::string, std::string>>> store_profiles() override;
  Result<std::optional<PostKey>> find_post_key(const std::string& key) override;
  Result<bool> put_post_key(const std::string& key, const PostKey& value,
                            std::int64_t now_ms) override;
  Result<bool> set_post_store(const std::string& mention_id, const std::string& store_id) override;
  Result<bool> add_unmatched_mention(const UnmatchedMention& mention) override;
  Result<std::vector<UnmatchedMention>> unmatched_mentions() override;
  Result<std::optional<UnmatchedMention>> take_unmatched_mention(
      const std::string& mention_id) override;

 private:
  explicit SqliteHqStorage(std::string path);
  std::unique_ptr<sqlite::Database> acquire();         // an idle connection, or a new one
  void release(std::unique_ptr<sqlite::Database> db);  // back to the pool
  template <typename T, typename F>
  Result<T> with_connection(F&& f);

  std::string path_;  // the database file, as given with --db
  std::string key_;   // the server secret (tokens.h), never written to the database
  std::mutex mutex_;  // guards idle_
  std::vector<std::unique_ptr<sqlite::Database>> idle_;  // connections no thread uses now
};

}  // namespace kiosk::sync::hq
