#pragma once
// Headless training commands: the reply coach over JSON lines, and pack validation for the
// people who write lessons. Each returns a process exit code.
#include <iosfwd>
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

}  // namespace kiosk::app
