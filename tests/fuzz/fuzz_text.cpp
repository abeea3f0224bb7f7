// libFuzzer target for the text layers sources send (sync/sources/text.h): HTML, entities,
// damaged UTF-8, URLs. What comes out is what a card may show: valid UTF-8, no control
// characters but newline and tab, trimmed, within the length limit; cleaning twice changes
// nothing; URL helpers never invent text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/utf8.h"
#include "sync/sources/sources.h"
#include "sync/sources/text.h"
#include "tests/fuzz/fuzz_checks.h"

using kiosk::fuzz::require;
using namespace kiosk::sync::sources;

namespace {

void check_card_text(const std::string& s) {
  require(kiosk::core::is_valid_utf8(s), "valid UTF-8");
  require(s.size() <= kMaxTextBytes + 3, "within the length limit");
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    require(u >= 0x20 ? u != 0x7F : (c == '\n' || c == '\t'), "no control characters");
  }
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  require(s.empty() || (!space(s.front()) && !space(s.back())), "trimmed");
  require(clean_text(s) == s, "cleaning twice changes nothing");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check_card_text(clean_text(in));
  check_card_text(html_to_text(in));
  const std::string decoded = decode_entities(in);
  if (kiosk::core::is_valid_utf8(in))
    require(kiosk::core::is_valid_utf8(decoded), "decoding entities keeps UTF-8 valid");
  require(decoded.size() <= in.size() + 3 * in.size(), "decoding never grows much");
  check_card_text(clean_text(decoded));

  require(kiosk::core::is_valid_utf8(query_parameter(in, "url")), "a parameter is valid UTF-8");
  const auto stripped = strip_tracking_parameters(in);
  require(stripped.size() <= in.size(), "stripping never adds");
  require(strip_tracking_parameters(stripped) == stripped, "stripping twice changes nothing");
  const auto host = url_host(in);
  require(host.find_first_of("/?#@") == std::string::npos && in.find(host) != std::string::npos,
          "a host is a part of the URL");
  const auto next = link_header_url(in, "next");
  require(in.find(next) != std::string_view::npos, "a link is a part of the header");
  return 0;
}
