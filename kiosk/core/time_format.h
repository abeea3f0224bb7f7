#pragma once
// Human time for cards and the status bar ("3 min ago"), computed from a passed-in now.
#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::core {

// The words of an age in one language, each with "{}" where the number goes. The screens pass
// their catalog's texts; the defaults are the English the command line prints.
struct AgeWords {
  std::string_view just_now = "just now";
  std::string_view minutes = "{} min ago";
  std::string_view hours = "{} h ago";
  std::string_view day = "{} day ago";  // exactly one day
  std::string_view days = "{} days ago";
};

std::string time_ago(std::int64_t now_ms, std::int64_t then_ms, const AgeWords& words = {});

// "2026-11-23 04:10 UTC": a Unix-ms instant to the minute, for messages and listings.
std::string utc_minute(std::int64_t unix_ms);

// The first moment after now_ms at which time_ago(·, then_ms) reads differently, so a screen
// showing the label can sleep until exactly then.
std::int64_t time_ago_changes_at(std::int64_t now_ms, std::int64_t then_ms);

}  // namespace kiosk::core
