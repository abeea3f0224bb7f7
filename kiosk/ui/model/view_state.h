#pragma once
// What the screens draw from: a plain snapshot the app rebuilds only when the store's change
// counter moves or the feed scrolls past the rows it holds, never by querying anything during a
// frame. It holds times, not "5 min ago" texts: the screens format ages of what is on screen
// when they draw, so a clock tick changes no view state and wakes only what shows it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/escalation_actions.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/staff.h"
#include "kiosk/core/training_schedule.h"
#include "kiosk/core/triage.h"

namespace kiosk::ui {

struct MentionCard {
  std::string mention_id;
  std::string source;  // "google", "mastodon", ...
  std::string author;
  std::int64_t created_at_ms = 0;  // when it was posted; drawn as "5 min ago"
  std::string text;
  std::optional<int> rating;  // stars, for reviews
  core::Reach reach;          // followers, likes, reposts, replies as the source counts them
  // Triage, as stored with the mention.
  core::Sentiment sentiment = core::Sentiment::neutral;
  core::Urgency urgency = core::Urgency::none;
  core::Attention attention = core::Attention::none;
  core::Category category = core::Category::other;  // what an escalation of it is about
  std::vector<core::Reason> reasons;                // two or three, most important first
  std::string staff_who;       // the associate the post names ("Luis"), may be empty
  std::string staff_where;     // where ("bakery"), may be empty
  bool praise_shared = false;  // staff shared it with the team already
  // The newest escalation of this mention, if any, for the state line on the card.
  std::optional<core::EscalationProgress> escalation_progress;
  std::optional<core::Severity> escalation_severity;
  std::string escalation_acknowledged_by;
  std::string escalation_not_accepted_reason;  // why head office refused it, when it did
  // The newest reply staff suggested for it, and head office's outcome.
  std::string reply_outcome;  // "", "pending", "approved", "edited", "rejected"
  std::string reply_text;     // the approved text (the draft, or head office's edit)
  std::string reply_comment;  // head office's words
  bool operator==(const MentionCard&) const = default;
};

// The card's detail view: one mention, whole. Built only for the mention the detail shows.
struct MentionDetail {
  MentionCard card;  // the card's fields, its text untouched by the card's line limit
  std::string url;   // where to read it; the counter tablet cannot open it: shown as text
  // The url as a QR code for a phone: qr_size x qr_size modules, row by row, 1 = dark; empty
  // when there is no url or it does not fit a QR code.
  std::vector<std::uint8_t> qr_modules;
  int qr_size = 0;
  std::string posted_local;   // when it was posted, in the terminal's local time
  std::string edited_local;   // when the author last changed it; empty: never
  std::string lang;           // the language the source gave; empty: not given
  std::string place;          // where the author says it was posted; empty: not given
  std::string reply_to;       // the id of the post it replies to; empty: not a reply
  std::string reply_to_text;  // that post's text, when this terminal has it
  std::string owner_reply;    // the business's public answer to a review
  bool operator==(const MentionDetail&) const = default;
};

// One lesson as the Training tab shows it (the tapped-in member's language).
struct LessonView {
  std::string id;
  int version = 0;
  std::string title;
  std::string body;
  // Why this lesson is in the set, drawn from the catalog in the screen's language: the
  // scheduler's reason and when the answer it speaks of was given (0: never answered).
  // A set saved without a reason keeps the sentence it was saved with (why_now).
  std::optional<core::PickReason> why_reason;
  std::int64_t why_since_ms = 0;
  std::string why_now;
  int seconds = 0;                                    // reading time
  std::string question;                               // empty: no quiz
  std::vector<std::pair<char, std::string>> choices;  // ('a', "text")
  char answer = 0;
  std::string answer_why;
  bool operator==(const LessonView&) const = default;
};

struct TrainingView {
  bool available = false;             // a pack is loaded and someone is tapped in
  std::string problem;                // why training is not available (no pack, nobody tapped in)
  std::vector<LessonView> daily_set;  // still to take today, in the scheduler's order
  int done_today = 0;                 // lessons answered today
  // The contextual prompt on screen: a lesson offered because of a new mention or
  // escalation; empty lesson id when none.
  std::string prompt_lesson_id;
  std::string prompt_title;
  std::string prompt_category;              // the category's catalog key suffix, e.g. "wait_time"
  std::optional<LessonView> prompt_lesson;  // to open it from the banner
  // The daily set offered at the first tap-in of the day, until started or put off: its
  // lessons and reading time (0 lessons: no offer on screen).
  int daily_offer_lessons = 0;
  int daily_offer_seconds = 0;
  std::vector<std::string> idle_tips;  // the pack's tips for the idle screen, in its language
  bool operator==(const TrainingView&) const = default;
};

// The feed's filter chips, in the order they are drawn.
enum class FeedChip { needs_attention, negative, praise, reviews, escalated, all };
inline constexpr std::size_t kFeedChipCount = 6;

// One escalation on the Escalations screen. Times, not texts: the screen draws the clock from
// ui.now_ms, so it ticks without rebuilding the view.
struct EscalationCard {
  std::string id;
  core::Severity severity = core::Severity::medium;
  std::optional<core::Category> category;
  core::EscalationStatus status = core::EscalationStatus::open;
  std::string about;                      // the mention's text; empty: reported with no post
  std::string note;                       // what it was raised with
  std::int64_t started_at_ms = 0;         // raised, or reopened
  std::optional<std::int64_t> target_ms;  // response target of its severity (store policy)
  std::optional<std::int64_t> store_level_due_ms;  // flag the card from then, while open
  bool store_level_missed = false;                 // already late when the view was built
  int level = -1;                                  // on the ladder; -1 unknown
  std::string holder;                              // who holds it now
  core::AcknowledgementState acknowledgement = core::AcknowledgementState::not_acknowledged;
  std::string acknowledged_by;
  std::string resolution_note;
  std::vector<core::EscalationAction> history;  // oldest first
  std::vector<std::string> unsynced_action_ids;
  bool operator==(const EscalationCard&) const = default;
};

struct SyncStatus {
  bool online = false;                          // the last attempt to reach head office succeeded
  bool enrolled = false;                        // the terminal has a token for head office
  std::int64_t events_waiting = 0;              // outbox depth
  std::optional<std::int64_t> last_success_ms;  // drawn as "3 min ago"; nullopt: never
  // The last attempt failed: drawn as its kind's sentence in the screen's language (the
  // English detail is for store IT, in `kiosk status`). No kind: one this build does not know.
  bool failed = false;
  std::optional<core::ErrorKind> failure_kind;
  bool operator==(const SyncStatus&) const = default;
};

// A person the PIN pad offers (active staff only, by name).
struct StaffChoice {
  std::string id;
  std::string name;
  std::int64_t locked_until_ms = 0;  // after too many wrong PINs; 0: not locked
  core::StaffRole role = core::StaffRole::associate;
  bool operator==(const StaffChoice&) const = default;
};

// What the last PIN typed on the pad came to, for its message line.
struct PinFeedback {
  std::string staff_id;  // whose PIN; empty: nothing to say
  bool wrong = false;    // "Wrong PIN, 2 tries left"
  int tries_left = 0;
  std::int64_t locked_until_ms = 0;  // "Locked for 30 s" while in the future
  bool refused = false;              // disabled at head office, or a PIN this terminal cannot check
  int attempt = 0;                   // counts attempts, so the pad can tell a new answer
  bool checking = false;             // the PIN is being checked (off the UI thread): "Checking…"
  bool operator==(const PinFeedback&) const = default;
};

// The settings this run of the window uses (the settings dialog shows and changes them).
struct SettingsView {
  std::string theme = "dark";  // "dark" or "light"
  std::string language = "en";
  std::vector<std::string> languages;  // what <assets>/ui/ holds
  std::int64_t idle_lock_ms = 120'000;
  std::int64_t idle_screen_ms = 180'000;  // 0: never
  bool onscreen_keyboard = true;
  bool operator==(const SettingsView&) const = default;
};

struct ViewState {
  std::string store_name;
  // The feed, newest first, is feed_total mentions long; the view holds the rows
  // [feed_first, feed_first + feed.size()) of it, around what is on screen.
  std::vector<MentionCard> feed;
  std::int64_t feed_first = 0;
  std::int64_t feed_total = 0;  // at least feed_first + feed.size()
  // What the feed holds: the chip and the search it was built for, and every chip's count
  // for that search (indexed by FeedChip). No counts yet: the window's first frame is drawn
  // before they are counted, and the chips show no number rather than a wrong one.
  FeedChip chip = FeedChip::all;
  std::string search;
  std::optional<std::array<std::int64_t, kFeedChipCount>> chip_counts;
  SyncStatus sync;
  std::vector<EscalationCard> escalations;  // open first (Escalations screen)
  // The mention whose detail is open (UiState::detail_mention_id), when the store has it, and
  // the id it was built for (empty: no detail asked for).
  std::optional<MentionDetail> detail;
  std::string detail_mention_id;
  // Shared-device mode: who is tapped in (nobody: the anonymous read-only feed), who may tap
  // in, and the answer to the last PIN.
  std::optional<core::StaffMember> tapped_in;
  std::vector<StaffChoice> staff;
  PinFeedback pin_feedback;
  TrainingView training;
  SettingsView settings;
  std::string
      action_error;  // why the last tap could not be saved (e.g. disk full); empty when fine
  // The app redraws an idle kiosk only when the view it would draw differs.
  bool operator==(const ViewState&) const = default;
};

}  // namespace kiosk::ui
