#include "sync/sources/wire_limits.h"

#include <utility>

#include "kiosk/core/utf8.h"
#include "sync/protocol/contracts.h"

namespace kiosk::sync::sources {
namespace {

namespace wire = kiosk::sync::protocol;

bool has_control(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

// At most `max` bytes, cut at a character boundary (the text is valid UTF-8).
std::string cut(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t at = max;
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  s.resize(at);
  return s;
}

// A language tag as sources give it ("en", "pt-BR", "zh_Hant"): letters, digits, '-', '_'.
bool is_language_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > wire::kMaxMentionLangBytes) return false;
  for (const char c : tag)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

// An id fit to show in the skipped list: valid, no control characters, not too long.
std::string label_of(std::string_view id) {
  std::string label;
  for (const char c : core::repair_utf8(id))
    label += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
  if (label.size() > 100) label = cut(std::move(label), 100) + "\xE2\x80\xA6";
  return label;
}

}  // namespace

std::string mention_id_problem(std::string_view id) {
  if (id.empty()) return "it has no id";
  if (id.size() > wire::kMaxMentionIdBytes)
    return "its id is " + std::to_string(id.size()) + " bytes, over the " +
           std::to_string(wire::kMaxMentionIdBytes) + " a mention id may have";
  if (!core::is_valid_utf8(id)) return "its id is not valid UTF-8";
  if (has_control(id)) return "its id holds control characters (a line break or tab)";
  return {};
}

void fit_page_to_wire(Page& page) {
  std::vector<core::Mention> kept;
  kept.reserve(page.mentions.size());
  for (auto& m : page.mentions) {
    if (auto why = mention_id_problem(m.id); !why.empty()) {
      page.skipped.push_back({label_of(m.id), std::move(why)});
      continue;
    }
    if (!m.reply_to.empty() && !mention_id_problem(m.reply_to).empty()) m.reply_to.clear();
    if (!m.lang.empty() && !is_language_tag(m.lang)) m.lang.clear();
    if (m.location.name.size() > wire::kMaxPlaceNameBytes)
      m.location.name =
          cut(std::move(m.location.name), wire::kMaxPlaceNameBytes - 3) + "\xE2\x80\xA6";
    if (m.url.size() > wire::kMaxWireTextBytes || has_control(m.url) || !core::is_valid_utf8(m.url))
      m.url.clear();
    kept.push_back(std::move(m));
  }
  page.mentions = std::move(kept);
}

}  // namespace kiosk::sync::sources
