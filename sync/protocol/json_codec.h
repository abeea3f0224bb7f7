#pragma once
// JSON encoding of the protocol messages. Decoders never throw: malformed input comes back
// as a Result whose error names the field that was wrong.
#include <string>
#include <string_view>

#include "kiosk/core/result.h"
#include "sync/protocol/messages.h"

namespace kiosk::sync::protocol {

using core::Result;

std::string encode(const EnrollRequest& m);
std::string encode(const EnrollResponse& m);
std::string encode(const SyncRequest& m);
// The bytes one event adds to an encoded SyncRequest: batches are budgeted by it.
std::size_t encoded_size(const Event& e);
std::string encode(const SyncResponse& m);
std::string encode(const ErrorBody& m);
std::string encode_mentions(const std::vector<core::Mention>& mentions);

// One entity as it appears inside a change; HQ stores its changefeed in this form.
std::string encode_entity(const core::Mention& m);
std::string encode_entity(const core::Escalation& e);
std::string encode_entity(const StaffRecord& r);
std::string encode_entity(const StorePolicyChange& p);
// A stored change (seq, kind, entity JSON) back to its wire form, checked like the wire.
Result<Change> decode_change(std::int64_t seq, std::string_view kind, std::string_view entity_json);

Result<EnrollRequest> decode_enroll_request(std::string_view body);
Result<EnrollResponse> decode_enroll_response(std::string_view body);
Result<SyncRequest> decode_sync_request(std::string_view body);
Result<SyncResponse> decode_sync_response(std::string_view body);
Result<ErrorBody> decode_error(std::string_view body);
// A file of demo or imported mentions: {"mentions": [ {...}, ... ]}. A mention may give
// "minutes_ago" instead of "created_at_ms"; it is then placed that long before now_ms.
Result<std::vector<core::Mention>> decode_mentions(std::string_view body, std::int64_t now_ms = 0);

}  // namespace kiosk::sync::protocol
