#pragma once
// One contract per event kind a terminal may send: which fields it may set and their limits
// in bytes, characters and ranges. The kiosk checks a new event before it is queued (staff
// get a clear message, e.g. "The note is too long: 5,210 of 4,000 characters."), and
// head office checks every event again on arrival, rejecting a bad event alone so the rest
// of the queue flows. What only head office may decide (acknowledged, resolved, who
// acknowledged) is never taken from a terminal.
//
// Also here: the byte budgets of a request and a response, so no batch can grow past what
// the other side accepts whatever the events hold.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/escalation.h"
#include "kiosk/core/result.h"
#include "sync/protocol/messages.h"

namespace kiosk::sync::protocol {

// [escalation.created]
inline constexpr std::size_t kMaxNoteChars = 4000;               // what staff may type
inline constexpr std::size_t kMaxMentionIdBytes = 512;           // same bound as a mention's id
inline constexpr std::size_t kMaxEventEncodedBytes = 32 * 1024;  // worst case, all escaped

// [mention] What a mention's fields may hold on the wire (json_codec.cpp checks them when a
// terminal reads a change, and a change that breaks them stops that terminal's sync), so
// head office keeps every mention from outside within them (sync/sources/wire_limits.h).
// The id and reply_to use kMaxMentionIdBytes.
inline constexpr std::size_t kMaxMentionLangBytes = 35;  // the longest BCP 47 tag in use
inline constexpr std::size_t kMaxMentionSourceBytes = 64;
inline constexpr std::size_t kMaxPlaceNameBytes = 512;
inline constexpr std::size_t kMaxWireTextBytes = 1 << 16;  // any other text: author, text, url...

// [batches] A terminal fills a request up to this many bytes of events (well under
// kMaxRequestBytes, so the envelope and a worst-case event always fit); HQ fills a response
// up to kResponseBudgetBytes of changes, and always sends at least one change so a single
// large mention still moves the cursor.
inline constexpr std::size_t kRequestBudgetBytes = 256 * 1024;
inline constexpr std::size_t kResponseBudgetBytes = 1024 * 1024;
// A terminal that asks for a large page (SyncRequest::max_changes) gets up to this many bytes
// of stored change payloads: about 5,000 review-sized mentions, 1.7 MiB plain and 0.3 MiB
// gzipped on the wire (docs/performance.md, Sync).
inline constexpr std::size_t kLargePageBudgetBytes = 2 * 1024 * 1024;

// How large a page of changes head office answers a sync request with: by count and by bytes
// of stored change payloads (the first change always goes, however large).
struct PageLimit {
  std::size_t changes = kMaxChangesPerResponse;
  std::size_t bytes = kResponseBudgetBytes;
  bool operator==(const PageLimit&) const = default;
};
// The request's max_changes capped at kMaxChangesPerLargePage and kLargePageBudgetBytes;
// absent (0): kMaxChangesPerResponse and kResponseBudgetBytes, the page of version 1.
PageLimit page_limit(const SyncRequest& request);

// The note as staff typed it, checked before anything is saved. Empty when acceptable,
// otherwise one sentence for the person at the counter.
std::optional<std::string> check_escalation_note(std::string_view note);

// A new escalation as a terminal would send it. Empty when acceptable.
std::optional<std::string> check_new_escalation(const core::Escalation& e);

// The body of an event of a kind other than escalation.created, against its kind's contract:
// what the kiosk checks before queueing one. Empty when acceptable.
std::optional<std::string> check_body(std::string_view kind, std::string_view body);

// Everything a terminal sent in one event, against its kind's contract: the id and clock,
// then the entity. Empty when acceptable, otherwise the reason HQ puts in `rejected`.
std::optional<std::string> check_event(const Event& e);

// [escalation.acknowledged|noted|reassigned|resolved|reopened] A person's action on an
// escalation, from the event's body; a failure names the field. The action's id, HLC and
// terminal are the event's, set by the caller. And the body for a new event.
core::Result<EscalationActed> read_escalation_acted(std::string_view kind, std::string_view body);
std::string body_of(const EscalationActed& v);
inline constexpr std::size_t kMaxStaffIdBytes = 64;
inline constexpr std::size_t kMaxHolderChars = 120;

// [training.answered] and [praise.shared]: the typed value from an event's body, checked
// against its contract (a failure names the field), and the body for a new event.
core::Result<TrainingAnswered> read_training_answered(std::string_view body);
core::Result<PraiseShared> read_praise_shared(std::string_view body);
std::string body_of(const TrainingAnswered& v);
std::string body_of(const PraiseShared& v);

// [staff.lockout] staff_id (a valid staff id, required), failed_attempts (1-100),
// lockout_number (1-1000), locked_for_ms (1 s to 24 h), locked_at_ms (2000-2100).
core::Result<StaffLockout> read_staff_lockout(std::string_view body);
std::string body_of(const StaffLockout& v);
// [reply.suggested] A draft reply to a mention, for head office to approve.
core::Result<ReplySuggested> read_reply_suggested(std::string_view body);
std::string body_of(const ReplySuggested& v);
inline constexpr std::size_t kMaxReplyChars = 1000;  // longer than any public reply needs

// [changes] The bodies of the change kinds head office sends beyond mentions and
// escalations. A terminal skips a change whose body does not read (and says so).
core::Result<TrainingPackChange> read_training_pack_change(std::string_view body);
std::string body_of(const TrainingPackChange& v);
core::Result<ReplyOutcome> read_reply_outcome(std::string_view body);
std::string body_of(const ReplyOutcome& v);
inline constexpr std::size_t kMaxPackBytes = 768 * 1024;  // fits one response with room
inline constexpr std::size_t kMaxPackFiles = 400;
inline constexpr std::size_t kMaxEventBodyBytes = 16 * 1024;
inline constexpr std::size_t kMaxPraiseNoteChars = 500;

// "5,210": thousands separated the way a message to staff reads them.
std::string group_thousands(std::size_t n);

}  // namespace kiosk::sync::protocol
