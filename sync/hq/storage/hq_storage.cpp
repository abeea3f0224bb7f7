// The defaults of HqStorage's optional parts: a backend without the escalation ladder says so
// in words instead of failing to build. SqliteHqStorage overrides them all.
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

namespace {
const char* kNoLadder =
    "this head-office storage backend does not keep escalation policies, notes or "
    "notifications yet; use the SQLite database for the ladder";
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
