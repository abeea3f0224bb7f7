#pragma once
// The changefeed stores each change as the JSON of one entity (a mention, an escalation or a
// member of staff), in exactly the form the wire uses, so the field rules stay in the
// protocol codec.
#include <cstdint>
#include <string>

#include "kiosk/core/escalation.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/result.h"
#include "kiosk/core/triage.h"
#include "sync/protocol/messages.h"

namespace kiosk::sync::hq {

std::string mention_payload(const core::Mention& m);
// A mention's stored payload back to the mention (every field the wire carries).
core::Result<core::Mention> mention_from_payload(const std::string& payload);

std::string escalation_payload(const core::Escalation& e);
std::string staff_payload(const protocol::StaffRecord& r);

// A stored change row as the sync answer sends it: its payload as it is, not decoded.
protocol::Change stored_change(std::int64_t seq, std::string kind, std::string payload);

// A stored change row back to its wire form; fails if the payload does not decode.
core::Result<protocol::Change> change_from_payload(std::int64_t seq, const std::string& kind,
                                                   const std::string& payload);

}  // namespace kiosk::sync::hq
