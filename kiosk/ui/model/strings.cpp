#include "kiosk/ui/model/strings.h"

#include <array>
#include <cstddef>

namespace kiosk::ui {
namespace {

// Indexed by Str; the static_assert keeps the names and the enum the same length.
constexpr std::array<std::string_view, kStrCount> kKeyNames = {
    "app_name",
    "feed_title",
    "escalations_title",
    "feed_empty",
    "escalate",
    "progress_queued",
    "progress_delivered",
    "progress_acknowledged",
    "progress_acknowledged_by",
    "progress_resolved",
    "progress_not_accepted",
    "severity_low",
    "severity_medium",
    "severity_high",
    "severity_critical",
    "dialog_title",
    "dialog_severity_prompt",
    "dialog_note_label",
    "confirm",
    "cancel",
    "status_online",
    "status_offline",
    "status_not_enrolled",
    "waiting_none",
    "waiting_one",
    "waiting_many",
    "last_sync",
    "never_synced",
    "sync_now",
    "tap_in",
    "tap_out",
    "tapped_in_as",
    "read_only",
    "pin_title",
    "pin_who",
    "pin_for",
    "pin_no_staff",
    "pin_wrong_many",
    "pin_wrong_one",
    "pin_locked",
    "pin_refused",
    "pin_delete",
    "pin_ok",
    "pin_checking",
    "pin_not_you",
    "tab_feed",
    "tab_escalations",
    "tab_training",
    "training_for",
    "training_nobody",
    "training_unavailable",
    "training_all_done",
    "training_done_today",
    "training_minutes",
    "training_take_quiz",
    "training_got_it",
    "training_confidence",
    "training_sure",
    "training_unsure",
    "training_answer",
    "training_right",
    "training_wrong",
    "training_right_answer",
    "training_why",
    "training_continue",
    "training_back",
    "prompt_text",
    "prompt_open",
    "prompt_dismiss",
    "daily_offer_text",
    "daily_offer_start",
    "daily_offer_later",
    "report_issue",
    "report_title",
    "report_category_prompt",
    "send",
    "category_wait_time",
    "category_staff_conduct",
    "category_product_or_stock",
    "category_price_or_promotion",
    "category_returns_or_refunds",
    "category_cleanliness",
    "category_safety",
    "category_praise",
    "category_other",
    "reply_button",
    "reply_title",
    "reply_coach",
    "reply_send",
    "reply_pending",
    "reply_approved",
    "reply_edited",
    "reply_rejected",
    "reply_comment",
    "chip_needs_attention",
    "chip_negative",
    "chip_praise",
    "chip_reviews",
    "chip_escalated",
    "chip_all",
    "search_hint",
    "search_none",
    "filter_empty",
    "feed_end",
    "urgency_urgent",
    "urgency_high",
    "urgency_low",
    "sentiment_negative",
    "sentiment_neutral",
    "sentiment_positive",
    "needs_thank_you",
    "share_with_team",
    "praise_shared",
    "names_staff",
    "reach_followers",
    "reach_likes",
    "reach_reposts",
    "reach_replies",
    "reach_follower_one",
    "reach_like_one",
    "reach_repost_one",
    "reach_reply_one",
    "reason_still_in_store",
    "reason_safety",
    "reason_names_staff",
    "reason_wants_manager",
    "reason_shouting",
    "reason_wide_reach",
    "reason_long_wait",
    "reason_asks_for_help",
    "reason_low_rating",
    "reason_high_rating",
    "reason_sarcasm",
    "reason_praise",
    "escalations_empty",
    "no_post",
    "clock_raised",
    "clock_target",
    "clock_left",
    "clock_overdue",
    "ladder_with",
    "store_level_missed",
    "ack_here_unsynced",
    "ack_here",
    "ack_head_office",
    "status_open",
    "resolution",
    "action_acknowledge",
    "action_note",
    "action_reassign",
    "action_resolve",
    "action_reopen",
    "action_details",
    "action_text_label",
    "history_acknowledge",
    "history_note",
    "history_reassign",
    "history_resolve",
    "history_reopen",
    "at_head_office",
    "not_synced",
    "kb_space",
    "kb_done",
    "kb_shift",
    "idle_open",
    "idle_urgent",
    "idle_tip_title",
    "idle_tip_1",
    "idle_tip_2",
    "idle_tip_3",
    "idle_tip_4",
    "idle_wake",
    "detail_back",
    "detail_posted",
    "detail_edited",
    "detail_language",
    "detail_place",
    "detail_reply_to",
    "detail_owner_reply",
    "detail_category",
    "detail_link",
    "detail_scan",
    "detail_no_link",
    "detail_gone",
    "settings",
    "settings_title",
    "settings_theme",
    "settings_theme_dark",
    "settings_theme_light",
    "settings_language",
    "settings_idle_lock",
    "settings_idle_screen",
    "settings_keyboard",
    "settings_on",
    "settings_off",
    "settings_never",
    "settings_minutes",
    "settings_save",
    "choices_change",
    "choices_no_category",
    "age_just_now",
    "age_minutes",
    "age_hours",
    "age_day",
    "age_days",
    "why_new_lesson",
    "why_lesson_updated",
    "why_answered_wrong",
    "why_answered_unsure",
    "why_due_for_review",
    "sync_error_retry_later",
    "sync_error_reenroll",
    "sync_error_rejected",
    "sync_error_local_storage",
    "sync_error_bad_input",
    "sync_error_upgrade",
    "sync_error_reinstall",
    "sync_error_other",
    "escalate_needs_tap_in",
    "escalation_not_saved",
    "answer_not_saved",
    "answer_lesson_gone",
};
static_assert(kKeyNames.size() == kStrCount);

// The catalog tr() reads: process-wide like ImGui's current context, set by use_catalog().
Catalog current_catalog;

}  // namespace

std::string_view key_name(Str key) {
  return kKeyNames[static_cast<std::size_t>(key)];
}

std::optional<Str> key_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kKeyNames.size(); ++i)
    if (kKeyNames[i] == name) return static_cast<Str>(i);
  return std::nullopt;
}

void use_catalog(Catalog catalog) {
  current_catalog = std::move(catalog);
}

std::string_view tr(Str key) {
  const std::string& text = current_catalog.texts[static_cast<std::size_t>(key)];
  if (!text.empty()) return text;
  // No catalog loaded (the app refuses to start with an incomplete one): show the gap as a
  // bracketed key, which no real text and no test's expected text can be mistaken for.
  static const std::array<std::string, kStrCount> gaps = [] {
    std::array<std::string, kStrCount> g;
    for (std::size_t i = 0; i < kStrCount; ++i)
      g[i] = "[" + std::string(key_name(static_cast<Str>(i))) + "]";
    return g;
  }();
  return gaps[static_cast<std::size_t>(key)];
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

std::string_view sync_error_label(std::optional<core::ErrorKind> kind) {
  if (!kind) return tr(Str::sync_error_other);
  switch (*kind) {
    case core::ErrorKind::retry_later:
      return tr(Str::sync_error_retry_later);
    case core::ErrorKind::reenroll:
      return tr(Str::sync_error_reenroll);
    case core::ErrorKind::rejected:
      return tr(Str::sync_error_rejected);
    case core::ErrorKind::local_storage:
      return tr(Str::sync_error_local_storage);
    case core::ErrorKind::bad_input:
      return tr(Str::sync_error_bad_input);
    case core::ErrorKind::upgrade:
      return tr(Str::sync_error_upgrade);
    case core::ErrorKind::reinstall:
      return tr(Str::sync_error_reinstall);
  }
  return tr(Str::sync_error_other);
}

}  // namespace kiosk::ui

namespace kiosk::ui {

std::string_view category_label(core::Category category) {
  // The catalog keys follow the vocabulary's own names: category_wait_time, ...
  static_assert(static_cast<std::size_t>(Str::category_other) -
                    static_cast<std::size_t>(Str::category_wait_time) + 1 ==
                core::kCategoryCount);
  return tr(static_cast<Str>(static_cast<std::size_t>(Str::category_wait_time) +
                             static_cast<std::size_t>(category)));
}

}  // namespace kiosk::ui
