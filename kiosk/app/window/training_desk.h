#pragma once
// Training in the window: the part of the app between the store and the Training tab. On
// each view rebuild it fills ViewState::training (the tapped-in member's daily set, chosen at
// their first tap-in of the day and kept for the day, with its offer; the contextual prompt;
// the pack's tips for the idle screen) and watches for mentions and escalations that arrived since
// it last looked (the category from triage of the post), asking the core's contextual policy
// (core::on_context_event) whether to offer a lesson; it applies the Training tab's and the reply
// dialog's intents. The prompts' state is kept in the store, so the hourly limit and the snoozes
// hold across restarts.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/app/cli/training_commands.h"
#include "kiosk/core/staff.h"
#include "kiosk/core/training_schedule.h"
#include "kiosk/core/triage.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/model/intents.h"
#include "kiosk/ui/model/view_state.h"

namespace kiosk::app {

class TrainingDesk {
 public:
  // pack_dir: the bundled pack (a newer one from head office is used instead). lexicon:
  // triage for the category of new mentions; without one no contextual prompt is offered.
  TrainingDesk(std::string pack_dir, std::optional<core::StaffMember> staff,
               std::string kiosk_language, const core::Lexicon* lexicon);

  // Fills view.training for view.tapped_in (nobody: no daily set).
  void fill(store::Store& store, std::int64_t now_ms, ui::ViewState& view);
  // The intents this desk handles (answers, prompts, replies); returns one sentence for
  // staff when one could not be saved, empty otherwise.
  std::string apply(const ui::Intents& intents, store::Store& store, std::int64_t now_ms);
  // The terminal's own language changed (Settings): lessons follow it for staff without one.
  void set_terminal_language(std::string language) { kiosk_language_ = std::move(language); }
  // The lexicon, when it was loaded after the desk was made (the window's first frame).
  void set_lexicon(const core::Lexicon* lexicon) { lexicon_ = lexicon; }

 private:
  void load_pack(store::Store& store);
  void load_state(store::Store& store);
  void save_state(store::Store& store);
  // New mentions since the last look: each may offer a lesson.
  void watch(store::Store& store, std::int64_t now_ms, const core::StaffProgress& progress);
  static bool is_urgent(const core::Escalation& e);
  struct DailySet {
    std::vector<core::Pick> picks;
    std::int64_t chosen_ms = 0;  // the member's first tap-in of that day
    bool offer_closed = false;   // started or put off: no banner again today
  };
  DailySet todays_set(store::Store& store, const std::string& staff_id,
                      const core::StaffProgress& progress, std::int64_t now_ms);
  void save_todays_set(store::Store& store, const std::string& staff_id, const DailySet& set);
  void close_daily_offer(store::Store& store, std::int64_t now_ms);
  std::string language() const;
  ui::LessonView lesson_view(const core::Lesson& lesson, const core::Pick& pick, int seconds) const;

  std::string pack_dir_;
  std::optional<core::StaffMember> staff_;
  std::string kiosk_language_;
  const core::Lexicon* lexicon_;
  std::optional<ActivePack> pack_;
  std::string pack_error_;
  std::int64_t pack_version_ = -1;  // head office's version the pack was loaded at
  bool state_loaded_ = false;
  core::ContextualState context_;
  std::int64_t seen_received_ms_ = -1;    // mentions that arrived up to here were looked at
  std::int64_t seen_escalation_ms_ = -1;  // escalations made up to here were looked at
  std::string prompt_category_;           // the open prompt's category
  bool urgent_open_ = false;              // an urgent escalation is open (no training offers)
};

}  // namespace kiosk::app
