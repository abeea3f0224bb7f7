#pragma once
// What a complaint or a post is about. One vocabulary for triage (what a mention is about),
// escalations (what went wrong in the store), training lessons (what they teach) and HQ's
// reports (which internal process causes complaints), so a lesson can follow a complaint.
#include <array>
#include <optional>
#include <string_view>

namespace kiosk::core {

enum class Category {
  wait_time,
  staff_conduct,
  product_or_stock,
  price_or_promotion,
  returns_or_refunds,
  cleanliness,
  safety,
  praise,
  other,
};

inline constexpr std::size_t kCategoryCount = 9;

// Wire and file names: "wait_time", "staff_conduct", ... (stable: they travel in events).
std::string_view to_string(Category c);
std::optional<Category> parse_category(std::string_view s);
// Every category in declaration order, for chips, reports and loops.
const std::array<Category, kCategoryCount>& all_categories();

}  // namespace kiosk::core
