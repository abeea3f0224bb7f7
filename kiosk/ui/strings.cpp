#include "kiosk/ui/strings.h"

#include <array>
#include <cstddef>

namespace kiosk::ui {
namespace {

// Indexed by Str; the static_assert below keeps the table and the enum the same length.
constexpr std::array<std::string_view, static_cast<std::size_t>(Str::count_)> english = {
    "Frontline Kiosk",
    "What people are saying",
    "No mentions yet. New posts about this store appear here.",
    "Escalate",
    "Queued on this terminal",
    "Delivered to head office",
    "Acknowledged by head office",
    "Acknowledged by head office (by {})",
    "Resolved",
    "Low",
    "Medium",
    "High",
    "Critical",
    "Escalate to head office",
    "How serious is it?",
    "Note for head office (optional)",
    "Confirm",
    "Cancel",
    "Online",
    "Offline",
    "Not enrolled with head office",
    "Nothing waiting to send",
    "1 waiting to send",
    "{} waiting to send",
    "Last sync: {}",
    "Never synced",
    "Sync now",
};

}  // namespace

std::string_view tr(Str key) {
  const auto index = static_cast<std::size_t>(key);
  return index < english.size() ? english[index] : std::string_view{};
}

std::string tr(Str key, std::string_view arg) {
  std::string text(tr(key));
  if (const auto at = text.find("{}"); at != std::string::npos) text.replace(at, 2, arg);
  return text;
}

std::string_view severity_label(core::Severity severity) {
  switch (severity) {
    case core::Severity::low:
      return tr(Str::severity_low);
    case core::Severity::medium:
      return tr(Str::severity_medium);
    case core::Severity::high:
      return tr(Str::severity_high);
    case core::Severity::critical:
      return tr(Str::severity_critical);
  }
  return {};
}

}  // namespace kiosk::ui
