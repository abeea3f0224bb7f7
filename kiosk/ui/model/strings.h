#pragma once
// Every string the kiosk UI shows is a key. Screens never spell text inline: they ask tr()
// for a key, and the texts come from one catalog file per language under assets/ui/, which
// the app loads and hands over with use_catalog(). A translation is one more file.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/error.h"
#include "kiosk/core/escalation.h"

namespace kiosk::ui {

enum class Str {
  app_name,  // header fallback when the store has no name yet
  feed_title,
  escalations_title,  // the header's subtitle on the Escalations tab
  feed_empty,
  escalate,
  progress_queued,
  progress_delivered,
  progress_acknowledged,
  progress_acknowledged_by,  // {} = who at head office
  progress_resolved,
  progress_not_accepted,  // {} = head office's reason
  severity_low,
  severity_medium,
  severity_high,
  severity_critical,
  dialog_title,
  dialog_severity_prompt,
  dialog_note_label,
  confirm,
  cancel,
  status_online,
  status_offline,
  status_not_enrolled,
  waiting_none,
  waiting_one,
  waiting_many,  // {} = count
  last_sync,     // {} = "3 min ago"
  never_synced,
  sync_now,
  tap_in,
  tap_out,
  tapped_in_as,  // {} = name
  read_only,
  pin_title,
  pin_who,
  pin_for,  // {} = name
  pin_no_staff,
  pin_wrong_many,  // {} = count
  pin_wrong_one,
  pin_locked,  // {} = seconds
  pin_refused,
  pin_delete,
  pin_ok,
  pin_checking,
  pin_not_you,
  tab_feed,
  tab_escalations,
  tab_training,
  training_for,
  training_nobody,
  training_unavailable,
  training_all_done,
  training_done_today,
  training_minutes,
  training_take_quiz,
  training_got_it,
  training_confidence,
  training_sure,
  training_unsure,
  training_answer,
  training_right,
  training_wrong,
  training_right_answer,
  training_why,
  training_continue,
  training_back,
  prompt_text,
  prompt_open,
  prompt_dismiss,
  daily_offer_text,
  daily_offer_start,
  daily_offer_later,
  report_issue,
  report_title,
  report_category_prompt,
  send,
  category_wait_time,
  category_staff_conduct,
  category_product_or_stock,
  category_price_or_promotion,
  category_returns_or_refunds,
  category_cleanliness,
  category_safety,
  category_praise,
  category_other,
  reply_button,
  reply_title,
  reply_coach,
  reply_send,
  reply_pending,
  reply_approved,
  reply_edited,
  reply_rejected,
  reply_comment,
  chip_needs_attention,
  chip_negative,
  chip_praise,
  chip_reviews,
  chip_escalated,
  chip_all,
  search_hint,
  search_none,
  filter_empty,
  feed_end,
  urgency_urgent,
  urgency_high,
  urgency_low,
  sentiment_negative,
  sentiment_neutral,
  sentiment_positive,
  needs_thank_you,
  share_with_team,
  praise_shared,
  names_staff,
  reach_followers,
  reach_likes,
  reach_reposts,
  reach_replies,
  reach_follower_one,
  reach_like_one,
  reach_repost_one,
  reach_reply_one,
  reason_still_in_store,
  reason_safety,
  reason_names_staff,
  reason_wants_manager,
  reason_shouting,
  reason_wide_reach,
  reason_long_wait,
  reason_asks_for_help,
  reason_low_rating,
  reason_high_rating,
  reason_sarcasm,
  reason_praise,
  escalations_empty,
  no_post,
  clock_raised,
  clock_target,
  clock_left,
  clock_overdue,
  ladder_with,
  store_level_missed,
  ack_here_unsynced,
  ack_here,
  ack_head_office,
  status_open,
  resolution,
  action_acknowledge,
  action_note,
  action_reassign,
  action_resolve,
  action_reopen,
  action_details,
  action_text_label,
  history_acknowledge,
  history_note,
  history_reassign,
  history_resolve,
  history_reopen,
  at_head_office,
  not_synced,
  kb_space,  // on-screen keyboard (keyboard.h)
  kb_done,
  kb_shift,
  idle_open,
  idle_urgent,
  idle_tip_title,
  idle_tip_1,
  idle_tip_2,
  idle_tip_3,
  idle_tip_4,
  idle_wake,
  detail_back,  // card detail (detail_screen.h)
  detail_posted,
  detail_edited,
  detail_language,
  detail_place,
  detail_reply_to,
  detail_owner_reply,
  detail_category,
  detail_link,
  detail_scan,
  detail_no_link,
  detail_gone,
  settings,
  settings_title,
  settings_theme,
  settings_theme_dark,
  settings_theme_light,
  settings_language,
  settings_idle_lock,
  settings_idle_screen,
  settings_keyboard,
  settings_on,
  settings_off,
  settings_never,
  settings_minutes,
  settings_save,
  choices_change,       // the folded choices line of a dialog while the keyboard is open
  choices_no_category,  // the same line before a category is chosen
  age_just_now,         // ages on cards and in the status bar (core::AgeWords)
  age_minutes,          // {} = minutes
  age_hours,            // {} = hours
  age_day,              // {} = 1
  age_days,             // {} = days
  why_new_lesson,       // why a lesson is in the daily set (core::PickReason)
  why_lesson_updated,
  why_answered_wrong,      // {} = when ("3 days ago")
  why_answered_unsure,     // {} = when
  why_due_for_review,      // {} = when
  sync_error_retry_later,  // the last sync's failure in the status bar (core::ErrorKind)
  sync_error_reenroll,
  sync_error_rejected,
  sync_error_local_storage,
  sync_error_bad_input,
  sync_error_upgrade,
  sync_error_reinstall,
  sync_error_other,  // a kind this build does not know
  // Why a tap could not be saved, the store's or the contract's detail after the colon.
  escalate_needs_tap_in,
  escalation_not_saved,  // {} = why (the store's or the contract's own words)
  answer_not_saved,      // {} = why
  answer_lesson_gone,    // {} = the lesson's id
  count_                 // number of keys, not a string
};

inline constexpr std::size_t kStrCount = static_cast<std::size_t>(Str::count_);

// The key's name as written in the catalog files, e.g. "feed_title".
std::string_view key_name(Str key);
std::optional<Str> key_from_name(std::string_view name);

struct Catalog {
  std::string language;                      // "en"
  std::array<std::string, kStrCount> texts;  // indexed by Str
};

// Makes `catalog` the one the screens draw from. Like ImGui's current context, there is one
// per process and it is set on the UI thread before the first frame.
void use_catalog(Catalog catalog);

// The key's text in the current catalog; "[key_name]" when there is none, so a gap shows
// on screen instead of an empty button.
std::string_view tr(Str key);
// The text with its one "{}" replaced by arg.
std::string tr(Str key, std::string_view arg);

// Helpers for the enum-valued labels.
std::string_view severity_label(core::Severity severity);
std::string_view category_label(core::Category category);
// The sync failure's sentence; nullopt (a kind this build does not know): sync_error_other.
std::string_view sync_error_label(std::optional<core::ErrorKind> kind);

}  // namespace kiosk::ui
