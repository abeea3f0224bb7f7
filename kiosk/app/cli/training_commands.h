#pragma once
// Headless training commands: the reply coach over JSON lines, and pack validation for the
// people who write lessons. Each returns a process exit code.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace kiosk::app {

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

}  // namespace kiosk::app
