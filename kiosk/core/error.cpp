#include "kiosk/core/error.h"

#include <array>

namespace kiosk::core {
namespace {

constexpr std::array<std::string_view, 7> kNames = {
    "retry_later", "reenroll", "rejected", "local_storage", "bad_input", "upgrade", "reinstall"};
static_assert(kNames.size() == static_cast<std::size_t>(ErrorKind::reinstall) + 1);

}  // namespace

std::string_view to_string(ErrorKind k) {
  return kNames[static_cast<std::size_t>(k)];
}

std::optional<ErrorKind> parse_error_kind(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<ErrorKind>(i);
  return std::nullopt;
}

}  // namespace kiosk::core
