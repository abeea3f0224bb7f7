#pragma once
// Human time for cards and the status bar ("3 min ago"), computed from a passed-in now.
#include <cstdint>
#include <string>

namespace kiosk::core {

std::string time_ago(std::int64_t now_ms, std::int64_t then_ms);

}  // namespace kiosk::core
