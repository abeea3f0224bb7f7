#pragma once
// HqStorage on PostgreSQL (libpq), for chains that outgrow one machine: several kiosk-hq
// processes share one database. Chosen when --db is a postgresql:// or postgres:// URL
// (open_hq_storage.h). The only HQ file that includes libpq-fe.h is its .cpp.
//
// Several processes at once:
// - Each event id is applied at most once: the events row is inserted first with
//   ON CONFLICT DO NOTHING, so a second process sending the same id waits for the first to
//   commit and then sees it as already applied.
// - Each store's changefeed is in commit order: a change's seq comes from its store's counter
//   row (stores.last_change_seq), incremented in the same transaction, so the row lock makes
//   a later seq wait until the earlier one has committed and a reader never skips a change
//   that commits later with a lower seq. Seqs count per store, from 1.
// - Each ladder step and each outgoing notification is handled by one process: a step is a
//   conditional UPDATE of the escalation's row, and due notifications are claimed with
//   FOR UPDATE SKIP LOCKED (pg_hq_storage.cpp, "the ladder and its notifications"). A source
//   connector's lease is a conditional upsert of its row.
// - Deadlocks and serialization failures are retried a few times, then reported; so is a
//   pooled connection found dropped (PostgreSQL restarted) before its first statement.
//
// Schema: versioned in a schema_version table, migrations applied in order on open under an
// advisory lock (two processes starting at once migrate once). A database written by a newer
// kiosk-hq, or one holding tables kiosk-hq did not create, is refused.
//
// Secret: PostgreSQL has no file beside which to keep the server secret, so --secret-file is
// required, the same file for every kiosk-hq process sharing the database. The database keeps
// a fingerprint of the secret and refuses a different one, so a wrong file never silently
// turns every terminal's token invalid.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sync/hq/storage/hq_storage.h"

struct pg_conn;

namespace kiosk::sync::hq {

class PgHqStorage final : public HqStorage {
 public:
  enum class OpenMode {
    create_if_missing,  // serve, store add: creates kiosk-hq's tables in an empty database
    must_exist,         // every other command: the tables must be there already
  };

  // Connects to url (a libpq connection URI), creates or migrates the schema, and loads the
  // server secret from secret_path (made on first use; tokens.h). Errors never show the
  // password of the URL.
  static Result<std::unique_ptr<PgHqStorage>> open(const std::string& url, OpenMode mode,
                                                   const std::string& secret_path);
  static int latest_schema_version();
  // True for postgresql:// and postgres:// URLs.
  static bool is_url(const std::string& db);
  // The URL with any password replaced by "***", for messages and logs.
  static std::string redacted(const std::string& url);

  ~PgHqStorage() override;
  PgHqStorage(const PgHqStorage&) = delete;
  PgHqStorage& operator=(const PgHqStorage&) = delete;

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
  Result<std::optional<StoredEscalation>> find_escalation(
      const std::string& escalation_id) override;
  Result<std::optional<StoredEscalation>> apply_escalation_action(
      const std::string& escalation_id, const core::EscalationAction& action,
      std::int64_t now_ms) override;
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
  // [ladder] safe with several processes: pg_hq_storage.cpp, "the ladder and its notifications"
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
  explicit PgHqStorage(std::string url);
  pg_conn* acquire(bool& pooled);  // an idle connection (pooled), or a new one
  void release(pg_conn* db, bool healthy);
  template <typename T, typename F>
  Result<T> with_connection(F&& f);

  std::string url_;             // the connection URL, as given with --db
  std::string key_;             // the server secret (tokens.h), never written to the database
  std::mutex mutex_;            // guards idle_
  std::vector<pg_conn*> idle_;  // open connections no thread is using now
};

}  // namespace kiosk::sync::hq
