#include "sync/hq/change_payload.h"

#include <nlohmann/json.hpp>

#include "sync/protocol/json_codec.h"

namespace kiosk::sync::hq {
namespace {
using json = nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}
}  // namespace

std::string mention_payload(const core::Mention& m) {
  const json wrapped = json::parse(protocol::encode_mentions({m}));
  return dump(wrapped.at("mentions").at(0));
}

std::string escalation_payload(const core::Escalation& e) {
  protocol::SyncResponse r;
  protocol::Change c;
  c.kind = "escalation";
  c.escalation = e;
  r.changes.push_back(std::move(c));
  const json wrapped = json::parse(protocol::encode(r));
  return dump(wrapped.at("changes").at(0).at("escalation"));
}

core::Result<protocol::Change> change_from_payload(std::int64_t seq, const std::string& kind,
                                                   const std::string& payload) {
  // Rebuild a one-change response around the stored entity and let the codec check it.
  json entity = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (entity.is_discarded())
    return core::Result<protocol::Change>::failure("change " + std::to_string(seq) +
                                                   " holds a payload that is not JSON");
  json change{{"seq", seq}, {"kind", kind}};
  change[kind] = std::move(entity);
  const json wrapped{{"acked", json::array()}, {"cursor", 0}, {"changes", json::array({change})}};
  auto decoded = protocol::decode_sync_response(dump(wrapped));
  if (!decoded)
    return core::Result<protocol::Change>::failure(
        "change " + std::to_string(seq) + " holds a payload HQ cannot read: " + decoded.error());
  return decoded->changes.at(0);
}

}  // namespace kiosk::sync::hq
