#include "sync/hq/storage/change_payload.h"

#include "sync/hq/storage/hq_storage.h"
#include "sync/protocol/json_codec.h"

namespace kiosk::sync::hq {

std::string mention_payload(const core::Mention& m) {
  return protocol::encode_entity(m);
}

core::Result<core::Mention> mention_from_payload(const std::string& payload) {
  auto change = protocol::decode_change(0, "mention", payload);
  if (!change) return core::Result<core::Mention>::failure(change.error());
  if (!change->mention)
    return core::Result<core::Mention>::failure("the stored payload holds no mention");
  return *change->mention;
}

core::Triage HqStorage::triage_for(const core::Mention& m) const {
  static const core::Lexicon kNoWords;  // immutable: safe to share between threads
  return core::triage(lexicon_ ? *lexicon_ : kNoWords, {m.text, m.rating, m.reach});
}

std::string escalation_payload(const core::Escalation& e) {
  return protocol::encode_entity(e);
}

std::string staff_payload(const protocol::StaffRecord& r) {
  return protocol::encode_entity(r);
}

protocol::Change stored_change(std::int64_t seq, std::string kind, std::string payload) {
  protocol::Change c;
  c.seq = seq;
  c.kind = std::move(kind);
  c.stored = std::move(payload);
  return c;
}

Result<protocol::SyncResponse> HqStorage::sync(const TerminalIdentity& terminal,
                                               const protocol::SyncRequest& request,
                                               std::int64_t now_ms) {
  auto out = sync_stored(terminal, request, now_ms);
  if (!out) return out;
  for (auto& c : out->changes) {
    if (c.stored.empty()) continue;
    auto decoded = change_from_payload(c.seq, c.kind, c.stored);
    if (!decoded) return Result<protocol::SyncResponse>::failure(decoded.error());
    c = std::move(decoded.value());
  }
  return out;
}

core::Result<protocol::Change> change_from_payload(std::int64_t seq, const std::string& kind,
                                                   const std::string& payload) {
  auto decoded = protocol::decode_change(seq, kind, payload);
  if (!decoded)
    return core::Result<protocol::Change>::failure(
        "change " + std::to_string(seq) + " holds a payload HQ cannot read: " + decoded.error());
  return decoded;
}

}  // namespace kiosk::sync::hq
