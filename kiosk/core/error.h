#pragma once
// What kind of failure something is, so the code that meets it knows what to do next: the
// sync worker retries one kind, stops for another, parks a single event for a third. Used by
// the store, the sync client and kiosk-hq alike, with one sentence for the person who reads
// it and, where there is one, a hint saying what to do.
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

enum class ErrorKind {
  retry_later,    // the network or head office is down or busy: try again by itself, later
  reenroll,       // this terminal's token is unknown, expired or revoked: enroll it again
  rejected,       // this one event can never be accepted as it is: park it, show why
  local_storage,  // this machine's own disk or database refused: store IT must look
  bad_input,      // what was typed or passed is not acceptable: fix it and try again
  upgrade,        // the two sides speak different protocol versions: upgrade one of them
  reinstall,      // this terminal's own program files (the sync module) are missing or damaged
};

struct Error {
  ErrorKind kind = ErrorKind::bad_input;
  std::string message;  // what went wrong, one sentence
  std::string hint;     // what to do about it; may be empty

  // message and hint as one line for logs, the status bar and stderr.
  std::string text() const { return hint.empty() ? message : message + " " + hint; }
};

// "retry_later", "reenroll", ... (status --json, logs).
std::string_view to_string(ErrorKind k);
// The kind named so; nullopt for a name this build does not know (or an empty one).
std::optional<ErrorKind> parse_error_kind(std::string_view name);

}  // namespace kiosk::core
