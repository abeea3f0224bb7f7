#include "kiosk/core/escalation.h"

#include <algorithm>
#include <array>

namespace kiosk::core {
namespace {
constexpr std::array<std::string_view, 4> kSeverityNames = {"low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 3> kStatusNames = {"open", "acknowledged", "resolved"};
constexpr std::array<std::string_view, 5> kActionNames = {"acknowledge", "note", "reassign",
                                                          "resolve", "reopen"};
constexpr std::array<std::string_view, 5> kActionEventKinds = {
    "escalation.acknowledged", "escalation.noted", "escalation.reassigned", "escalation.resolved",
    "escalation.reopened"};
constexpr std::array<std::string_view, 5> kProgressNames = {
    "queued_on_terminal", "delivered_to_hq", "acknowledged", "resolved", "not_accepted"};
}  // namespace

std::string_view to_string(Severity s) {
  return kSeverityNames[static_cast<std::size_t>(s)];
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (std::size_t i = 0; i < kSeverityNames.size(); ++i)
    if (kSeverityNames[i] == s) return static_cast<Severity>(i);
  return std::nullopt;
}

std::string_view to_string(EscalationStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<EscalationStatus> parse_status(std::string_view s) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i)
    if (kStatusNames[i] == s) return static_cast<EscalationStatus>(i);
  return std::nullopt;
}

std::string_view to_string(EscalationActionKind k) {
  return kActionNames[static_cast<std::size_t>(k)];
}

std::optional<EscalationActionKind> parse_action_kind(std::string_view s) {
  for (std::size_t i = 0; i < kActionNames.size(); ++i)
    if (kActionNames[i] == s) return static_cast<EscalationActionKind>(i);
  return std::nullopt;
}

std::string_view event_kind(EscalationActionKind k) {
  return kActionEventKinds[static_cast<std::size_t>(k)];
}

std::optional<EscalationActionKind> action_kind_of_event(std::string_view kind) {
  for (std::size_t i = 0; i < kActionEventKinds.size(); ++i)
    if (kActionEventKinds[i] == kind) return static_cast<EscalationActionKind>(i);
  return std::nullopt;
}

std::string_view to_string(EscalationProgress p) {
  return kProgressNames[static_cast<std::size_t>(p)];
}

EscalationStatus merge_status(EscalationStatus a, EscalationStatus b) {
  return std::max(a, b);
}

EscalationProgress progress_of(const Escalation& e) {
  switch (e.status) {
    case EscalationStatus::resolved:
      return EscalationProgress::resolved;
    case EscalationStatus::acknowledged:
      return EscalationProgress::acknowledged;
    case EscalationStatus::open:
      break;
  }
  if (e.delivered_at_ms) return EscalationProgress::delivered_to_hq;
  return e.not_accepted_reason.empty() ? EscalationProgress::queued_on_terminal
                                       : EscalationProgress::not_accepted;
}

}  // namespace kiosk::core
