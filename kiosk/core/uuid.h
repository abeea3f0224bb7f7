#pragma once
// UUIDs name escalations and outbox events on every terminal and at HQ alike. The bytes
// come from the caller (a CSPRNG in the store), so this stays a pure function.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::core {

std::string format_uuid_v4(std::array<std::uint8_t, 16> random_bytes);
bool is_uuid(std::string_view s);

}  // namespace kiosk::core
