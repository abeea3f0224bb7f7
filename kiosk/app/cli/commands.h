#pragma once
// The kiosk's headless commands for store IT and tests. Each returns a process exit code and
// prints errors as one line on stderr that says what to do. `escalate` takes the same path
// as the Escalate button (apply_intents).
#include <string>

#include "sync/client/sync_session.h"

namespace kiosk::app {

// tls: the CA file, pin and plain-http permission kept with the enrollment (hq_url and code
// as given); see sync::client::EnrollOptions.
int command_enroll(const std::string& db, const sync::client::EnrollOptions& options);
int command_sync_once(const std::string& db);
int command_status(const std::string& db, bool json);
// mention_id may be empty when category is given (an issue reported with no post).
int command_escalate(const std::string& db, const std::string& mention_id,
                     const std::string& severity, const std::string& note,
                     const std::string& category = {}, const std::string& staff_id = {});
// `kiosk escalation ack|note|reassign|resolve|reopen`: a manager's action, the same path as the
// buttons of the Escalations screen (offline too; delivered by the next sync).
int command_escalation_action(const std::string& db, const std::string& action,
                              const std::string& escalation_id, const std::string& staff_id,
                              const std::string& text);
// `kiosk escalations [--json]`: the Escalations screen as text: open first, each with its clock.
int command_escalations(const std::string& db, bool json);
// Passes a positive post on to the team and head office (a praise.shared event).
int command_share_praise(const std::string& db, const std::string& mention_id,
                         const std::string& note, const std::string& staff_id);
// Newest first; with a filter (a chip's name), in the feed's order under that chip.
int command_mentions(const std::string& db, bool json, int limit, const std::string& filter = {});
int command_ingest(const std::string& db, const std::string& file);
// The staff head office sent to this terminal: id, name, role, language, state (staff_commands).
int command_staff_list(const std::string& db, bool json);
// A tap-in without the window: the PIN from stdin, checked offline like the PIN pad, wrong
// PINs counted toward a lockout. Exit 0 tapped in, 3 wrong PIN or locked out, 1 otherwise.
int command_staff_verify(const std::string& db, const std::string& staff_id);

}  // namespace kiosk::app
