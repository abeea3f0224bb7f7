#pragma once
// The wire types of the kiosk <-> kiosk-hq protocol (docs/sync-protocol.md). Plain values;
// (namespaces sit under kiosk:: because a top-level `sync` clashes with POSIX sync()).
// json_codec.h turns them into JSON and back.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/escalation.h"
#include "kiosk/core/mention.h"
#include "kiosk/core/staff.h"

namespace kiosk::sync::protocol {

inline constexpr int kProtocolVersion = 1;
// Requests larger than this are refused with 413: a terminal sends its outbox in batches.
inline constexpr std::size_t kMaxRequestBytes = 1 << 20;
// How many outbox events a terminal puts in one request, and HQ changes in one response.
inline constexpr std::size_t kMaxEventsPerRequest = 200;
// kMaxChangesPerResponse is the page a terminal gets when it does not ask for another size
// (every kiosk before max_changes); one that asks gets up to kMaxChangesPerLargePage, capped by
// bytes as well (contracts.h: page_limit).
inline constexpr std::size_t kMaxChangesPerResponse = 500;
inline constexpr std::size_t kMaxChangesPerLargePage = 5000;

struct EnrollRequest {
  std::string code;           // the one-time enrollment code from HQ
  std::string terminal_name;  // shown at HQ, e.g. "Front counter"
  // Optional: the token this terminal held before. HQ revokes the terminal it belonged to, so
  // an old token stops working once the terminal re-enrolled.
  std::optional<std::string> previous_token = {};
};

struct EnrollResponse {
  std::string terminal_id;
  std::string store_id;
  std::string store_name;
  std::string token;  // secret; sent as "Authorization: Bearer <token>" from now on
  std::optional<std::int64_t> token_expires_at_ms = {};  // optional; when the token stops
};

// An outbox event going up; contracts.h says what each kind may carry. An escalation
// travels as its entity (the kind the protocol started with); every other kind carries one
// JSON object, `body`, that its contract checks and its typed value below describes.
struct Event {
  std::string id;  // UUID; HQ applies each id at most once
  std::string
      kind;  // "escalation.created", "training.answered", "praise.shared", "staff.lockout", ...
  std::string hlc;              // hybrid logical clock of the terminal, see core/hlc.h
  core::Escalation escalation;  // kind "escalation.created"
  std::string body;             // every other kind: its JSON object, as text
};

// kind "training.answered": a member of staff answered a lesson's question on the terminal.
struct TrainingAnswered {
  std::string staff_id;
  std::string lesson_id;
  int lesson_version = 0;
  bool correct = false;
  bool sure = false;
  std::int64_t answered_at_ms = 0;
};

// kind "praise.shared": staff passed a positive post on to the team (and head office) so the
// person it names is thanked.
struct PraiseShared {
  std::string mention_id;
  std::string note;      // optional words from whoever shared it
  std::string staff_id;  // who shared it; empty when nobody was tapped in
  std::int64_t shared_at_ms = 0;
};

// kind "staff.lockout": a member of staff typed too many wrong PINs on the terminal and is
// locked out there for locked_for_ms (the delay grows with each lockout: core/staff.h).
struct StaffLockout {
  std::string staff_id;
  int failed_attempts = 0;  // wrong PINs in a row that caused it
  int lockout_number = 1;   // 1 for the first lockout since the last right PIN, 2, ...
  std::int64_t locked_for_ms = 0;
  std::int64_t locked_at_ms = 0;
};

// kind "reply.suggested": staff drafted a reply to a mention at the counter and ask head office
// to approve it (approved, edited or rejected, with a comment; the outcome comes back as a
// "reply_outcome" change).
struct ReplySuggested {
  std::string suggestion_id;  // UUID made by the terminal; the outcome names it
  std::string mention_id;
  std::string text;      // the draft as typed
  std::string staff_id;  // who drafted it; empty when nobody was tapped in
  std::int64_t suggested_at_ms = 0;
};

// kinds "escalation.acknowledged", ".noted", ".reassigned", ".resolved", ".reopened": a
// person acted on an escalation (core::EscalationAction). The action's id is the event's id,
// its HLC the event's, and head office takes the terminal from the token.
struct EscalationActed {
  std::string escalation_id;
  core::EscalationAction action;  // kind, generation, by (the body's staff_id), at_ms, text
};

// A change of kind "policy": the store's escalation policy file as head office set it
// (docs/escalation.md), so the terminal can show response targets and mirror the store-level
// step of the ladder offline.
struct StorePolicyChange {
  std::string text;
  std::int64_t set_at_ms = 0;
};

struct RejectedEvent {
  std::string id;
  std::string reason;  // why HQ will never accept it; the terminal keeps it and shows this
};

struct SyncRequest {
  int protocol = kProtocolVersion;
  std::int64_t cursor = 0;  // the last change sequence number this terminal applied
  std::vector<Event> events;
  // Optional long-poll: when nothing is to be sent or received, HQ holds the answer up to this
  // long and answers as soon as the store's changefeed moves past cursor. Absent or 0: answer
  // at once. HQs that do not know it answer at once (the kiosk then polls).
  std::int64_t wait_ms = 0;
  // Optional: how many changes this terminal takes in one answer (a catch-up goes faster in
  // fewer, larger pages). HQ caps it (contracts.h: page_limit); absent or 0: 500, as before.
  // HQs that do not know it send 500.
  std::int64_t max_changes = 0;
  // Decoding only: events that named themselves but could not be read. HQ rejects each alone
  // (with this reason) and applies the rest.
  std::vector<RejectedEvent> unreadable;
};

// A member of staff as head office sends them down (change kind "staff"): who they are, the
// Argon2id hash of their PIN (never the PIN) and whether they may still tap in. Each change
// carries the whole record, so a disable or a new PIN replaces what the terminal held.
struct StaffRecord {
  core::StaffMember member;
  std::string pin_hash;            // sync/protocol/pin_hash.h
  bool active = true;              // false once disabled at head office
  std::int64_t pin_set_at_ms = 0;  // head office's clock; a newer one clears a lockout
  std::int64_t changed_at_ms = 0;  // head office's clock
  bool operator==(const StaffRecord&) const = default;
};

// A change coming down: the full current state of one entity, so applying it twice is a
// no-op and applying an older one cannot undo a newer one (status merges as a join).
struct Change {
  std::int64_t seq = 0;
  std::string kind;  // "mention", "escalation", "staff", "policy", "training_pack", ...
  std::optional<core::Mention> mention;
  std::optional<core::Escalation> escalation;
  std::optional<StaffRecord> staff = {};
  // Every other kind: its JSON object, as text (on the wire under a field named as the
  // kind); contracts.h reads the kinds this terminal knows. Kinds it does not know are kept
  // (their seq still moves the cursor) and skipped.
  std::string body = {};
  std::optional<StorePolicyChange> policy = {};  // kind "policy"
  // Head office's side only: the entity's JSON as its changefeed stores it, which is already
  // the wire form (checked when it entered head office). When set, encode() sends these bytes
  // as they are and the typed fields above stay empty.
  std::string stored = {};
};

// change kind "training_pack": a lesson pack head office published, whole (docs/training.md).
struct TrainingPackFile {
  std::string name;  // e.g. "listen-first.en.lesson"
  std::string text;  // the file's content, UTF-8
};
struct TrainingPackChange {
  std::string pack;          // e.g. "frontline-basics"
  std::int64_t version = 0;  // head office's count of publications of this pack, from 1
  std::int64_t published_at_ms = 0;
  std::vector<TrainingPackFile> files;
};

// change kind "reply_outcome": what head office decided about a suggested reply.
struct ReplyOutcome {
  std::string suggestion_id;
  std::string mention_id;
  std::string outcome;  // "approved", "edited" or "rejected"
  std::string text;     // the reply to post (the draft, or head office's edit); empty if rejected
  std::string comment;  // head office's words to the store
  std::string decided_by;
  std::int64_t decided_at_ms = 0;
};

struct SyncResponse {
  std::vector<std::string> acked;  // event ids HQ now holds (new or already seen)
  std::vector<RejectedEvent> rejected;
  std::int64_t cursor = 0;  // store this with the applied changes, in one transaction
  std::vector<Change> changes;
  bool more = false;  // true when more changes wait past this batch
  std::int64_t server_time_ms = 0;
  // Optional, set when HQ rotated this terminal's token: from now on send new_token. The old
  // token keeps working until the terminal has used the new one (docs/sync-protocol.md).
  std::optional<std::string> new_token = {};
  std::optional<std::int64_t> token_expires_at_ms = {};
  // What this HQ can do beyond version 1's core (kFeature...); empty from an older HQ.
  std::vector<std::string> features = {};
};

// Features a sync answer may announce. The kiosk uses one only after HQ announced it.
inline constexpr const char* kFeatureGzipRequests = "gzip_requests";  // Content-Encoding: gzip
inline constexpr const char* kFeatureWait = "wait";                   // the wait_ms long-poll
inline constexpr std::int64_t kMaxWaitMs = 30000;

struct ErrorBody {
  std::string code;     // machine-readable, e.g. "bad_request", "unauthorized"
  std::string message;  // one sentence for store IT
};

}  // namespace kiosk::sync::protocol
