// The defaults of HqStorage's optional parts: a backend without the escalation ladder says so
// in words instead of failing to build. SqliteHqStorage overrides them all.
#include "sync/hq/storage/hq_storage.h"

#include "kiosk/core/escalation_actions.h"

namespace kiosk::sync::hq {

namespace {
const char* kNoLadder =
    "this head-office storage backend does not keep escalation policies, notes or "
    "notifications yet; use the SQLite database for the ladder";
const char* kNoSources =
    "this head-office storage backend does not keep source connectors, store profiles or "
    "the unmatched queue";
template <typename T>
Result<T> no_sources() {
  return Result<T>::failure(kNoSources, core::ErrorKind::local_storage);
}
}  // namespace

bool apply_action_to_stored(StoredEscalation& e, const core::EscalationAction& a,
                            std::int64_t now_ms) {
  core::Escalation& x = e.escalation;
  const int generation_before = x.generation;
  const core::EscalationStatus status_before = x.status;
  if (!core::apply_action(x, a)) return false;
  if (x.generation != generation_before) {
    // Reopened: the ladder starts again from its first level, counted from now. Who holds it
    // after a reassignment stays (level 0, as a reassignment applied after the reopening would
    // leave it), so the order the two arrive in changes nothing.
    e.received_at_ms = now_ms;
    e.acknowledged_at_ms.reset();
    e.ladder_phase = 0;
    e.ladder_step = 0;
    x.respond_by_ms.reset();
    x.next_climb_at_ms.reset();
    x.ladder_level = x.holder_key.empty() ? -1 : 0;
    if (x.holder_key.empty()) x.ladder_holder.clear();
  }
  if (x.status != core::EscalationStatus::open && !e.acknowledged_at_ms &&
      (status_before == core::EscalationStatus::open || x.generation != generation_before))
    e.acknowledged_at_ms = now_ms;
  return true;
}

Result<bool> HqStorage::take_source_lease(const std::string&, const std::string&, std::int64_t,
                                          std::int64_t) {
  return no_sources<bool>();
}
Result<bool> HqStorage::save_source_state(const SourceState&, const std::string&, bool) {
  return no_sources<bool>();
}
Result<std::optional<SourceState>> HqStorage::source_state(const std::string&) {
  return no_sources<std::optional<SourceState>>();
}
Result<std::vector<SourceState>> HqStorage::source_states() {
  return no_sources<std::vector<SourceState>>();
}
Result<bool> HqStorage::set_store_profile(const std::string&, const std::string&, std::int64_t) {
  return no_sources<bool>();
}
Result<std::vector<std::pair<std::string, std::string>>> HqStorage::store_profiles() {
  return no_sources<std::vector<std::pair<std::string, std::string>>>();
}
Result<std::optional<PostKey>> HqStorage::find_post_key(const std::string&) {
  return no_sources<std::optional<PostKey>>();
}
Result<bool> HqStorage::put_post_key(const std::string&, const PostKey&, std::int64_t) {
  return no_sources<bool>();
}
Result<bool> HqStorage::set_post_store(const std::string&, const std::string&) {
  return no_sources<bool>();
}
Result<bool> HqStorage::add_unmatched_mention(const UnmatchedMention&) {
  return no_sources<bool>();
}
Result<std::vector<UnmatchedMention>> HqStorage::unmatched_mentions() {
  return no_sources<std::vector<UnmatchedMention>>();
}
Result<std::optional<UnmatchedMention>> HqStorage::take_unmatched_mention(const std::string&) {
  return no_sources<std::optional<UnmatchedMention>>();
}

Result<std::optional<StoredEscalation>> HqStorage::add_escalation_note(const std::string&,
                                                                       const std::string&,
                                                                       const std::string&,
                                                                       std::int64_t) {
  return Result<std::optional<StoredEscalation>>::failure(kNoLadder,
                                                          core::ErrorKind::local_storage);
}
Result<std::optional<StoredEscalation>> HqStorage::reassign_escalation(const std::string&,
                                                                       const std::string&,
                                                                       const std::string&,
                                                                       std::int64_t) {
  return Result<std::optional<StoredEscalation>>::failure(kNoLadder,
                                                          core::ErrorKind::local_storage);
}
Result<std::optional<StoredEscalation>> HqStorage::find_escalation(const std::string& id) {
  auto all = list_escalations(std::nullopt);
  if (!all) return Result<std::optional<StoredEscalation>>::failure(all.failure_info());
  for (auto& e : all.value())
    if (e.escalation.id == id) return std::optional<StoredEscalation>(std::move(e));
  return std::optional<StoredEscalation>();
}
Result<std::optional<StoredEscalation>> HqStorage::apply_escalation_action(
    const std::string&, const core::EscalationAction&, std::int64_t) {
  return Result<std::optional<StoredEscalation>>::failure(kNoLadder,
                                                          core::ErrorKind::local_storage);
}
Result<bool> HqStorage::set_store_policy(const std::string&, const std::string&, std::int64_t) {
  return Result<bool>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::optional<std::string>> HqStorage::store_policy(const std::string&) {
  return Result<std::optional<std::string>>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::vector<LadderCandidate>> HqStorage::ladder_candidates() {
  return Result<std::vector<LadderCandidate>>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<bool> HqStorage::advance_ladder(const LadderAdvance&, std::int64_t) {
  return Result<bool>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::vector<OutgoingNotification>> HqStorage::claim_due_notifications(std::int64_t,
                                                                             std::int64_t, int) {
  return Result<std::vector<OutgoingNotification>>::failure(kNoLadder,
                                                            core::ErrorKind::local_storage);
}
Result<bool> HqStorage::finish_notification(std::int64_t, const std::string&, const std::string&,
                                            const std::string&, std::int64_t, std::int64_t) {
  return Result<bool>::failure(kNoLadder, core::ErrorKind::local_storage);
}
Result<std::vector<OutgoingNotification>> HqStorage::list_notifications(
    const std::optional<std::string>&) {
  return Result<std::vector<OutgoingNotification>>::failure(kNoLadder,
                                                            core::ErrorKind::local_storage);
}

}  // namespace kiosk::sync::hq
