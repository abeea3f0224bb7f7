// libFuzzer target for the sync protocol's decoders (sync/protocol/json_codec.h and the
// contracts' readers): the bodies head office receives from terminals (enrollment, sync
// requests and their events) and the ones a terminal receives from head office (enrollment
// and sync answers, errors, changes). The first byte picks the decoder, the rest is the
// body. Whatever a decoder accepts, its encoder writes back and the decoder reads again to
// the same thing (a fixed point after one trip), and each event HQ decoded is judged by its
// contract without a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "kiosk/core/utf8.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "tests/fuzz/fuzz_checks.h"

using kiosk::fuzz::require;
using namespace kiosk::sync::protocol;

namespace {

// decode, encode, decode again, encode again: the two encodings are the same.
template <typename Decode, typename Encode>
void round_trip(std::string_view body, Decode decode, Encode encode) {
  const auto first = decode(body);
  if (!first) {
    require(!first.error().empty(), "a refusal says why");
    return;
  }
  const std::string once = encode(first.value());
  const auto second = decode(once);
  if (!second) std::fprintf(stderr, "fuzz: %s\n", second.error().c_str());
  require(second.ok(), "what was accepted reads again once written");
  require(encode(second.value()) == once, "writing it again gives the same bytes");
}

const char* const kEventKinds[] = {"escalation.created", "training.answered", "praise.shared",
                                   "staff.lockout",      "reply.suggested",   "unknown.kind"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 14) {
    case 0:
      round_trip(body, decode_enroll_request, [](const auto& m) { return encode(m); });
      break;
    case 1:
      round_trip(body, decode_enroll_response, [](const auto& m) { return encode(m); });
      break;
    case 2: {
      round_trip(body, decode_sync_request, [](const auto& m) { return encode(m); });
      if (const auto request = decode_sync_request(body)) {
        for (const auto& e : request.value().events) {
          const auto why = check_event(e);
          require(!why || (!why->empty() && kiosk::core::is_valid_utf8(*why)), "a reason");
        }
      }
      break;
    }
    case 3:
      round_trip(body, decode_sync_response, [](const auto& m) { return encode(m); });
      break;
    case 4:
      round_trip(body, decode_error, [](const auto& m) { return encode(m); });
      break;
    case 5:
      round_trip(
          body, [](std::string_view b) { return decode_mentions(b); },
          [](const auto& m) { return encode_mentions(m); });
      break;
    case 6:
      round_trip(
          body, [](std::string_view b) { return decode_change(1, "mention", b); },
          [](const Change& c) { return encode_entity(*c.mention); });
      break;
    case 7:
      round_trip(
          body, [](std::string_view b) { return decode_change(1, "escalation", b); },
          [](const Change& c) { return encode_entity(*c.escalation); });
      break;
    case 8:
      round_trip(
          body, [](std::string_view b) { return decode_change(1, "staff", b); },
          [](const Change& c) { return encode_entity(*c.staff); });
      break;
    case 9:
      round_trip(body, read_training_answered, [](const auto& v) { return body_of(v); });
      round_trip(body, read_praise_shared, [](const auto& v) { return body_of(v); });
      break;
    case 10:
      round_trip(body, read_staff_lockout, [](const auto& v) { return body_of(v); });
      round_trip(body, read_reply_suggested, [](const auto& v) { return body_of(v); });
      break;
    case 11:
      round_trip(body, read_training_pack_change, [](const auto& v) { return body_of(v); });
      break;
    case 12:
      round_trip(body, read_reply_outcome, [](const auto& v) { return body_of(v); });
      break;
    case 13:
      for (const char* kind : kEventKinds) {
        const auto why = check_body(kind, body);
        require(!why || (!why->empty() && kiosk::core::is_valid_utf8(*why)), "a reason");
      }
      break;
  }
  return 0;
}
