#pragma once
// Headless training commands: the reply coach over JSON lines, and pack validation for the
// people who write lessons. Each returns a process exit code.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "kiosk/core/result.h"
#include "kiosk/core/training_pack.h"
#include "kiosk/core/training_schedule.h"

namespace kiosk::store {
class Store;
}

namespace kiosk::app {

// The pack the kiosk teaches from: the newest valid one head office sent when it is newer than
// the folder's (core::received_pack_is_newer), otherwise the folder's.
struct ActivePack {
  core::TrainingPack pack;
  std::string name;          // the folder's name, e.g. "frontline-basics"
  std::int64_t version = 0;  // head office's publication count; 0 for the folder's
  std::string from;          // "head office" or "bundled"
};
// The pack's name: its folder's name ("frontline-basics").
std::string pack_name_of_dir(const std::string& dir);
std::optional<ActivePack> load_active_pack(store::Store& store, const std::string& dir,
                                           std::string& error);

// Reads drafts from in, one per line: {"mention": "...", "draft": "..."} or a bare line (a
// draft with no mention); empty lines are skipped. Writes one JSON object per input line:
// {"generic", "score", "hints", ...}, or {"error": "..."} for a line it cannot read (and
// exits 1 at the end). earlier_file: replies already posted, one per line, '#' for notes.
int command_coach(std::istream& in, std::ostream& out, const std::string& earlier_file);

// Checks every NAME.LANGUAGE.lesson file in dir; prints "file:line: problem" for each
// problem (exit 1), or a one-line summary of the valid pack (exit 0).
int command_training_validate(const std::string& dir);

struct TrainingNextOptions {
  std::string db;
  std::string staff;
  std::string pack_dir;
  std::string language = "en";
  bool json = false;
  std::optional<std::int64_t> at_ms;  // evaluate at this time instead of now
};
// What the scheduler would show this member of staff now, and why; with the daily set a
// first tap-in now would get.
int command_training_next(const TrainingNextOptions& o);

// Records one answer (right or wrong, sure or unsure) as the quiz screen does.
int command_training_answer(const TrainingNextOptions& o, const std::string& lesson_id,
                            bool correct, bool sure);

// The store's local day follows the machine's time zone (its offset at now_ms).
core::TrainingRules local_training_rules(std::int64_t now_ms);

// One answer, as the quiz screen and `training answer` record it: the lesson's progress for
// this member of staff and its training.answered event, in one transaction.
core::Result<core::LessonProgress> record_training_answer(store::Store& store,
                                                          const core::Lesson& lesson,
                                                          const std::string& staff, bool correct,
                                                          bool sure, std::int64_t now_ms);

// A reply drafted for a mention, checked by its contract and queued (reply.suggested) with
// its row; the suggestion's id, or why it was not saved.
core::Result<std::string> suggest_reply(store::Store& store, const std::string& mention_id,
                                        const std::string& text, const std::string& staff,
                                        std::int64_t now_ms);

struct ReplyOptions {
  std::string db;
  std::string mention_id;
  std::string text;
  std::string staff;  // who drafted it; empty: nobody tapped in
  bool json = false;
};
// Scores a draft reply with the coach and queues it for head office's approval
// (reply.suggested); prints the hints.
int command_reply(const ReplyOptions& o);
// Suggested replies on this terminal with head office's outcome.
int command_replies(const std::string& db, bool as_json);

}  // namespace kiosk::app
