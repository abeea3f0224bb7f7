#pragma once
// Human time for cards and the status bar ("3 min ago"), computed from a passed-in now.
#include <cstdint>
#include <string>

namespace kiosk::core {

std::string time_ago(std::int64_t now_ms, std::int64_t then_ms);

// The first moment after now_ms at which time_ago(·, then_ms) reads differently, so a screen
// showing the label can sleep until exactly then.
std::int64_t time_ago_changes_at(std::int64_t now_ms, std::int64_t then_ms);

}  // namespace kiosk::core
