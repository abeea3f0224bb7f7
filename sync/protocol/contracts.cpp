#include "sync/protocol/contracts.h"

#include "kiosk/core/hlc.h"
#include "kiosk/core/time_range.h"
#include "kiosk/core/utf8.h"
#include "kiosk/core/uuid.h"

namespace kiosk::sync::protocol {
namespace {

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Terminals write ids in the lowercase form they make them in; another spelling of the same
// id must not become a second entity at head office.
bool is_canonical_uuid(std::string_view s) {
  if (!core::is_uuid(s)) return false;
  for (const char c : s)
    if (c >= 'A' && c <= 'F') return false;
  return true;
}

}  // namespace

std::string group_thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::optional<std::string> check_escalation_note(std::string_view note) {
  if (!core::is_valid_utf8(note)) return "The note has characters that could not be read.";
  const std::size_t chars = utf8_chars(note);
  if (chars > kMaxNoteChars)
    return "The note is too long: " + group_thousands(chars) + " of " +
           group_thousands(kMaxNoteChars) + " characters.";
  return std::nullopt;
}

std::optional<std::string> check_new_escalation(const core::Escalation& e) {
  if (!is_canonical_uuid(e.id)) return "The escalation id is not a lowercase UUID.";
  if (e.mention_id.empty()) return "The escalation names no mention.";
  if (e.mention_id.size() > kMaxMentionIdBytes || !core::is_valid_utf8(e.mention_id))
    return "The escalation's mention id is longer than " + std::to_string(kMaxMentionIdBytes) +
           " bytes or not valid text.";
  if (auto why = check_escalation_note(e.note)) return why;
  if (e.status != core::EscalationStatus::open)
    return "Only head office can mark an escalation " + std::string(core::to_string(e.status)) +
           "; a terminal sends new escalations as open.";
  if (!e.acknowledged_by.empty()) return "Only head office can say who acknowledged an escalation.";
  if (!core::is_plausible_time_ms(e.created_at_ms))
    return "The escalation's time (" + std::to_string(e.created_at_ms) +
           " ms) is outside 2000-2100: check the terminal's clock.";
  if (e.status_changed_at_ms != e.created_at_ms)
    return "A new escalation's status time must be its creation time.";
  return std::nullopt;
}

std::optional<std::string> check_event(const Event& e) {
  if (!is_canonical_uuid(e.id)) return "The event id is not a lowercase UUID.";
  const auto hlc = core::parse_hlc(e.hlc);
  if (!hlc || !core::is_plausible_time_ms(hlc->wall_ms))
    return "The event's clock value \"" + core::repair_utf8(e.hlc.substr(0, 40)) +
           "\" is not a valid hybrid logical clock between 2000 and 2100.";
  if (e.kind == "escalation.created") return check_new_escalation(e.escalation);
  return "Event kind \"" + core::repair_utf8(e.kind.substr(0, 64)) +
         "\" is not known to this head office.";
}

}  // namespace kiosk::sync::protocol
