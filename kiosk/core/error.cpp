#include "kiosk/core/error.h"

#include <array>

namespace kiosk::core {

std::string_view to_string(ErrorKind k) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "retry_later", "reenroll", "rejected", "local_storage", "bad_input", "upgrade"};
  return kNames[static_cast<std::size_t>(k)];
}

}  // namespace kiosk::core
