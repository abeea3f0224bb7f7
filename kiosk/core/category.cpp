#include "kiosk/core/category.h"

namespace kiosk::core {
namespace {
constexpr std::array<std::string_view, kCategoryCount> kNames = {"wait_time",
                                                                 "staff_conduct",
                                                                 "product_or_stock",
                                                                 "price_or_promotion",
                                                                 "returns_or_refunds",
                                                                 "cleanliness",
                                                                 "safety",
                                                                 "praise",
                                                                 "other"};
constexpr std::array<Category, kCategoryCount> kAll = {Category::wait_time,
                                                       Category::staff_conduct,
                                                       Category::product_or_stock,
                                                       Category::price_or_promotion,
                                                       Category::returns_or_refunds,
                                                       Category::cleanliness,
                                                       Category::safety,
                                                       Category::praise,
                                                       Category::other};
}  // namespace

std::string_view to_string(Category c) {
  return kNames[static_cast<std::size_t>(c)];
}

std::optional<Category> parse_category(std::string_view s) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == s) return kAll[i];
  return std::nullopt;
}

const std::array<Category, kCategoryCount>& all_categories() {
  return kAll;
}

}  // namespace kiosk::core
