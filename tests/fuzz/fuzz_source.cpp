// libFuzzer target for one source parser; KIOSK_FUZZ_SOURCE names it (tests/fuzz/CMakeLists.txt
// builds one binary per source). Beyond "no crash, no leak, no undefined behaviour", it
// checks what every caller relies on: every mention has an id of the form "<source>:...",
// valid UTF-8 everywhere, text within the length limit, ratings 1-5, coordinates on Earth,
// and a JSON line that parses back.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "kiosk/core/utf8.h"
#include "sync/sources/ingest_file.h"
#include "sync/sources/sources.h"

namespace {

using kiosk::core::is_valid_utf8;
using namespace kiosk::sync::sources;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto source = *source_from_name(KIOSK_FUZZ_SOURCE);
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const Page page = parse_payload(source, body);
  const std::string prefix = std::string(KIOSK_FUZZ_SOURCE) + ":";
  for (const auto& m : page.mentions) {
    require(m.id.rfind(prefix, 0) == 0 && m.id.size() > prefix.size());
    require(m.source == KIOSK_FUZZ_SOURCE);
    for (const auto* s : {&m.id, &m.author, &m.text, &m.url, &m.lang, &m.reply_to, &m.owner_reply,
                          &m.location.name})
      require(is_valid_utf8(*s));
    require(m.text.size() <= kMaxTextBytes + 3);
    require(!m.rating || (*m.rating >= 1 && *m.rating <= 5));
    require(!m.location.lat || (*m.location.lat >= -90 && *m.location.lat <= 90));
    const auto line = mention_json_line(m);
    require(line.find('\n') == std::string::npos);
    require(!nlohmann::json::parse(line, nullptr, false).is_discarded());
  }
  for (const auto& s : page.skipped) require(is_valid_utf8(s.item) && is_valid_utf8(s.reason));
  require(is_valid_utf8(page.error));
  return 0;
}
