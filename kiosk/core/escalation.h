#pragma once
// Escalations: a manager flags a mention for head office. Status only moves forward
// (open < acknowledged < resolved), so merging two copies takes the higher one, whoever
// wrote it; that makes repeated or reordered sync messages harmless.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/category.h"

namespace kiosk::core {

enum class Severity { low, medium, high, critical };
enum class EscalationStatus { open, acknowledged, resolved };

// What a card shows: where the escalation is on its way to head office and back.
enum class EscalationProgress {
  queued_on_terminal,
  delivered_to_hq,
  acknowledged,
  resolved,
  not_accepted,  // head office refused the event for good; the card says why
};

// What a person did to an escalation after it was raised, at a terminal (a manager) or at head
// office. Each is one event on the wire and one entry of the escalation's history.
enum class EscalationActionKind { acknowledge, note, reassign, resolve, reopen };

struct EscalationAction {
  std::string id;  // the event's UUID: the history keeps each id once
  EscalationActionKind kind = EscalationActionKind::note;
  int generation = 0;       // the generation it acts on; a reopen: the generation it starts
  std::string by;           // staff id at a terminal, a name at head office; empty: anonymous
  std::string terminal_id;  // the terminal it was done on; empty: head office
  std::int64_t at_ms = 0;   // when, on the actor's clock
  std::string hlc;          // the actor's hybrid logical clock: orders free-text writes
  std::string text;         // note: the note; resolve: the resolution note; reassign: who
  bool operator==(const EscalationAction&) const = default;
};

// A note head office added to an escalation (kiosk-hq note): who, what, when (HQ's clock).
struct EscalationNote {
  std::string by;
  std::string text;
  std::int64_t at_ms = 0;
};

struct Escalation {
  std::string id;          // UUID made on the terminal, the same at HQ
  std::string mention_id;  // the mention it is about
  Severity severity = Severity::medium;
  std::string note;  // optional free text from the manager
  EscalationStatus status = EscalationStatus::open;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> delivered_at_ms;  // set when HQ acknowledged receiving the event
  std::string acknowledged_by;                  // who at HQ acknowledged, when known
  std::int64_t status_changed_at_ms = 0;
  // On the terminal only, never on the wire: why head office refused the event that carried
  // this escalation (it stays on the terminal, visible, instead of blocking the queue).
  std::string not_accepted_reason;
  // Optional, additive on the wire (an older kiosk ignores them):
  std::optional<Category> category;      // what went wrong in the store, when the raiser said
  std::string staff_id;                  // who raised it on the terminal; empty: nobody tapped in
  int ladder_level = -1;                 // set by head office: the policy level holding it now
  std::string ladder_holder;             // that level's name, e.g. "District manager"
  std::vector<EscalationNote> hq_notes;  // notes from head office, oldest first
  // Set by head office's ladder, on its clock: the response target ("time left") and when
  // it climbs next unless acknowledged (as of its last step).
  std::optional<std::int64_t> respond_by_ms;
  std::optional<std::int64_t> next_climb_at_ms;
  // Actions after it was raised (escalation_actions.h): reopening starts a new generation, the
  // status joins on (generation, status), free text is last-writer-wins by HLC.
  int generation = 0;
  std::string resolution_note;  // the last resolution note written (by HLC)
  std::string resolution_key;   // its writer's (HLC, action id), as lww_key() makes it
  std::string holder_key;       // the last reassignment's (HLC, action id); ladder_holder is it
  std::vector<EscalationAction> history;  // append-only, ordered by (HLC, id)
};

std::string_view to_string(EscalationActionKind k);
std::optional<EscalationActionKind> parse_action_kind(std::string_view s);
// The event kind on the wire: "escalation.acknowledged", ".noted", ".reassigned",
// ".resolved", ".reopened"; and back (nullopt for any other kind).
std::string_view event_kind(EscalationActionKind k);
std::optional<EscalationActionKind> action_kind_of_event(std::string_view event_kind);

std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);
std::string_view to_string(EscalationStatus s);
std::optional<EscalationStatus> parse_status(std::string_view s);

// The join of two statuses: the one further along wins.
EscalationStatus merge_status(EscalationStatus a, EscalationStatus b);

EscalationProgress progress_of(const Escalation& e);
// "queued_on_terminal", "delivered_to_hq", "acknowledged", "resolved" (status output, logs).
std::string_view to_string(EscalationProgress p);

}  // namespace kiosk::core
