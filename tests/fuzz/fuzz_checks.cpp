#include "tests/fuzz/fuzz_checks.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "kiosk/core/utf8.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/sources/ingest_file.h"
#include "sync/sources/sources.h"

namespace kiosk::fuzz {

void require(bool ok, const char* promise) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
  __builtin_trap();
}

void check_mention(const core::Mention& m, std::string_view source) {
  using core::is_valid_utf8;
  if (!source.empty()) {
    const std::string prefix = std::string(source) + ":";
    require(m.id.rfind(prefix, 0) == 0 && m.id.size() > prefix.size(), "id is <source>:...");
    require(m.source == source, "source named");
  }
  require(!m.id.empty() && !m.source.empty(), "an id and a source");
  require(m.id.size() <= sync::protocol::kMaxMentionIdBytes, "id within the wire's bound");
  bool control = false;
  for (const char c : m.id) control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  require(!control, "id has no control characters");
  for (const auto* s : {&m.id, &m.source, &m.author, &m.text, &m.url, &m.lang, &m.reply_to,
                        &m.owner_reply, &m.location.name})
    require(is_valid_utf8(*s), "valid UTF-8");
  require(!m.text.empty() || m.rating.has_value(), "text or a rating");
  require(m.text.size() <= sync::sources::kMaxTextBytes + 3, "text within its limit");
  require(!m.rating || (*m.rating >= 1 && *m.rating <= 5), "rating 1-5");
  require(m.location.lat.has_value() == m.location.lon.has_value(), "both coordinates or none");
  require(!m.location.lat || (*m.location.lat >= -90 && *m.location.lat <= 90), "latitude");
  require(!m.location.lon || (*m.location.lon >= -180 && *m.location.lon <= 180), "longitude");

  const auto line = sync::sources::mention_json_line(m);
  require(line.find('\n') == std::string::npos, "one line per mention");
  require(!nlohmann::json::parse(line, nullptr, false).is_discarded(), "ingest line is JSON");

  // What head office stores and sends down must read at the terminal, or the terminal's
  // sync stops at this change.
  const auto back = sync::protocol::decode_change(1, "mention", sync::protocol::encode_entity(m));
  if (!back) std::fprintf(stderr, "fuzz: %s\n", back.error().c_str());
  require(back.ok() && back.value().mention.has_value(), "the terminal reads the change");
  const core::Mention& r = *back.value().mention;
  require(r.id == m.id && r.text == m.text && r.author == m.author && r.url == m.url &&
              r.lang == m.lang && r.reply_to == m.reply_to && r.owner_reply == m.owner_reply &&
              r.location.name == m.location.name && r.rating == m.rating &&
              r.created_at_ms == m.created_at_ms && r.edited_at_ms == m.edited_at_ms &&
              r.reach == m.reach,
          "the terminal reads the same mention");
}

}  // namespace kiosk::fuzz
