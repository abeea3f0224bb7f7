#include "sync/protocol/contracts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include "kiosk/core/hlc.h"
#include "kiosk/core/staff.h"
#include "kiosk/core/time_range.h"
#include "kiosk/core/utf8.h"
#include "kiosk/core/uuid.h"

namespace kiosk::sync::protocol {
namespace {

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Terminals write ids in the lowercase form they make them in; another spelling of the same
// id must not become a second entity at head office.
bool is_canonical_uuid(std::string_view s) {
  if (!core::is_uuid(s)) return false;
  for (const char c : s)
    if (c >= 'A' && c <= 'F') return false;
  return true;
}

using json = nlohmann::json;

// A body field by name and type, or a sentence naming what is wrong with it.
struct BodyError {
  std::string message;
};

const json& body_field(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) throw BodyError{"the event has no \"" + std::string(name) + "\""};
  return *it;
}

std::string body_text(const json& j, const char* name, std::size_t max_bytes, bool required) {
  if (!j.contains(name) && !required) return {};
  const json& v = body_field(j, name);
  if (!v.is_string()) throw BodyError{"\"" + std::string(name) + "\" must be text"};
  std::string s = v.get<std::string>();
  if (required && s.empty()) throw BodyError{"\"" + std::string(name) + "\" must not be empty"};
  if (s.size() > max_bytes)
    throw BodyError{"\"" + std::string(name) + "\" is longer than " + std::to_string(max_bytes) +
                    " bytes"};
  return s;
}

std::int64_t body_time(const json& j, const char* name) {
  const json& v = body_field(j, name);
  if (!v.is_number_integer() || !core::is_plausible_time_ms(v.get<std::int64_t>()))
    throw BodyError{"\"" + std::string(name) + "\" must be a time between 2000 and 2100"};
  return v.get<std::int64_t>();
}

bool body_bool(const json& j, const char* name) {
  const json& v = body_field(j, name);
  if (!v.is_boolean()) throw BodyError{"\"" + std::string(name) + "\" must be true or false"};
  return v.get<bool>();
}

// An event's body (noun "event", at most kMaxEventBodyBytes) or a change's ("change", larger:
// a whole training pack), read by `read`; a failure names the kind and the field.
template <typename T, typename F>
core::Result<T> read_object(std::string_view body, const char* kind, const char* noun,
                            std::size_t max_bytes, F&& read) {
  const std::string what = std::string("The ") + kind + " " + noun;
  if (body.size() > max_bytes)
    return core::Result<T>::failure(what + " is larger than " + group_thousands(max_bytes) +
                                    " bytes.");
  const json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return core::Result<T>::failure(what + (std::string(noun) == "event" ? "'s body" : "") +
                                    " is not a JSON object of valid UTF-8.");
  try {
    return read(j);
  } catch (const BodyError& e) {
    return core::Result<T>::failure(what + " is not acceptable: " + e.message + ".");
  }
}

template <typename T, typename F>
core::Result<T> read_body(std::string_view body, const char* kind, F&& read) {
  return read_object<T>(body, kind, "event", kMaxEventBodyBytes, std::forward<F>(read));
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

core::Result<TrainingAnswered> read_training_answered(std::string_view body) {
  return read_body<TrainingAnswered>(body, "training.answered", [](const json& j) {
    TrainingAnswered v;
    v.staff_id = body_text(j, "staff_id", 64, true);
    v.lesson_id = body_text(j, "lesson_id", 128, true);
    const json& version = body_field(j, "lesson_version");
    if (!version.is_number_integer() || version.get<std::int64_t>() < 1 ||
        version.get<std::int64_t>() > 1'000'000)
      throw BodyError{"\"lesson_version\" must be a whole number from 1"};
    v.lesson_version = static_cast<int>(version.get<std::int64_t>());
    v.correct = body_bool(j, "correct");
    v.sure = body_bool(j, "sure");
    v.answered_at_ms = body_time(j, "answered_at_ms");
    return v;
  });
}

core::Result<PraiseShared> read_praise_shared(std::string_view body) {
  return read_body<PraiseShared>(body, "praise.shared", [](const json& j) {
    PraiseShared v;
    v.mention_id = body_text(j, "mention_id", kMaxMentionIdBytes, true);
    v.note = body_text(j, "note", kMaxPraiseNoteChars * 4, false);
    if (utf8_chars(v.note) > kMaxPraiseNoteChars)
      throw BodyError{"\"note\" is longer than " + std::to_string(kMaxPraiseNoteChars) +
                      " characters"};
    v.staff_id = body_text(j, "staff_id", 64, false);
    v.shared_at_ms = body_time(j, "shared_at_ms");
    return v;
  });
}

core::Result<StaffLockout> read_staff_lockout(std::string_view body) {
  return read_body<StaffLockout>(body, "staff.lockout", [](const json& j) {
    StaffLockout v;
    v.staff_id = body_text(j, "staff_id", 64, true);
    if (auto why = core::check_staff_id(v.staff_id)) throw BodyError{"\"staff_id\": " + *why};
    const auto whole = [&](const char* name, std::int64_t lo, std::int64_t hi) {
      const json& x = body_field(j, name);
      if (!x.is_number_integer() || x.get<std::int64_t>() < lo || x.get<std::int64_t>() > hi)
        throw BodyError{"\"" + std::string(name) + "\" must be a whole number from " +
                        std::to_string(lo) + " to " + std::to_string(hi)};
      return x.get<std::int64_t>();
    };
    v.failed_attempts = static_cast<int>(whole("failed_attempts", 1, 100));
    v.lockout_number = static_cast<int>(whole("lockout_number", 1, 1000));
    v.locked_for_ms = whole("locked_for_ms", 1000, 24LL * 3'600'000);
    v.locked_at_ms = body_time(j, "locked_at_ms");
    return v;
  });
}

core::Result<EscalationActed> read_escalation_acted(std::string_view kind, std::string_view body) {
  const auto action = core::action_kind_of_event(kind);
  if (!action)
    return core::Result<EscalationActed>::failure(
        "Event kind \"" + core::repair_utf8(std::string(kind.substr(0, 64))) +
        "\" is not an escalation action.");
  const std::string name(kind);
  return read_body<EscalationActed>(body, name.c_str(), [&](const json& j) {
    EscalationActed v;
    v.escalation_id = body_text(j, "escalation_id", 64, true);
    if (!is_canonical_uuid(v.escalation_id))
      throw BodyError{"\"escalation_id\" must be a lowercase UUID"};
    core::EscalationAction& a = v.action;
    a.kind = *action;
    const json& generation = body_field(j, "generation");
    if (!generation.is_number_integer() || generation.get<std::int64_t>() < 0 ||
        generation.get<std::int64_t>() > 1'000'000)
      throw BodyError{"\"generation\" must be a whole number from 0 to 1000000"};
    a.generation = static_cast<int>(generation.get<std::int64_t>());
    if (a.kind == core::EscalationActionKind::reopen && a.generation == 0)
      throw BodyError{"a reopening starts generation 1 or later"};
    a.by = body_text(j, "staff_id", kMaxStaffIdBytes, false);
    if (!a.by.empty())
      if (auto why = core::check_staff_id(a.by)) throw BodyError{"\"staff_id\": " + *why};
    a.at_ms = body_time(j, "at_ms");
    const bool needs_text = a.kind == core::EscalationActionKind::note ||
                            a.kind == core::EscalationActionKind::reassign;
    a.text = body_text(j, "text", kMaxNoteChars * 4, needs_text);
    if (auto why = check_escalation_note(a.text)) throw BodyError{"\"text\": " + *why};
    if (a.kind == core::EscalationActionKind::reassign && utf8_chars(a.text) > kMaxHolderChars)
      throw BodyError{"\"text\" (who holds it) is longer than " + std::to_string(kMaxHolderChars) +
                      " characters"};
    return v;
  });
}

std::string body_of(const StaffLockout& v) {
  return dump({{"staff_id", v.staff_id},
               {"failed_attempts", v.failed_attempts},
               {"lockout_number", v.lockout_number},
               {"locked_for_ms", v.locked_for_ms},
               {"locked_at_ms", v.locked_at_ms}});
}

std::string body_of(const EscalationActed& v) {
  json j{{"escalation_id", v.escalation_id},
         {"generation", v.action.generation},
         {"at_ms", v.action.at_ms}};
  if (!v.action.by.empty()) j["staff_id"] = v.action.by;
  if (!v.action.text.empty()) j["text"] = v.action.text;
  return dump(j);
}

std::string body_of(const TrainingAnswered& v) {
  return dump({{"staff_id", v.staff_id},
               {"lesson_id", v.lesson_id},
               {"lesson_version", v.lesson_version},
               {"correct", v.correct},
               {"sure", v.sure},
               {"answered_at_ms", v.answered_at_ms}});
}

std::string body_of(const PraiseShared& v) {
  json j{{"mention_id", v.mention_id}, {"shared_at_ms", v.shared_at_ms}};
  if (!v.note.empty()) j["note"] = v.note;
  if (!v.staff_id.empty()) j["staff_id"] = v.staff_id;
  return dump(j);
}

core::Result<ReplySuggested> read_reply_suggested(std::string_view body) {
  return read_body<ReplySuggested>(body, "reply.suggested", [](const json& j) {
    ReplySuggested v;
    v.suggestion_id = body_text(j, "suggestion_id", 64, true);
    if (!is_canonical_uuid(v.suggestion_id))
      throw BodyError{"\"suggestion_id\" must be a lowercase UUID"};
    v.mention_id = body_text(j, "mention_id", kMaxMentionIdBytes, true);
    v.text = body_text(j, "text", kMaxReplyChars * 4, true);
    if (utf8_chars(v.text) > kMaxReplyChars)
      throw BodyError{"\"text\" is longer than " + group_thousands(kMaxReplyChars) + " characters"};
    v.staff_id = body_text(j, "staff_id", 64, false);
    v.suggested_at_ms = body_time(j, "suggested_at_ms");
    return v;
  });
}

std::string body_of(const ReplySuggested& v) {
  json j{{"suggestion_id", v.suggestion_id},
         {"mention_id", v.mention_id},
         {"text", v.text},
         {"suggested_at_ms", v.suggested_at_ms}};
  if (!v.staff_id.empty()) j["staff_id"] = v.staff_id;
  return dump(j);
}

namespace {

// Change bodies come from head office: a larger limit than events, the same field rules.
template <typename T, typename F>
core::Result<T> read_change_body(std::string_view body, const char* kind, std::size_t max_bytes,
                                 F&& read) {
  return read_object<T>(body, kind, "change", max_bytes, std::forward<F>(read));
}

std::int64_t body_count(const json& j, const char* name) {
  const json& v = body_field(j, name);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1)
    throw BodyError{"\"" + std::string(name) + "\" must be a whole number from 1"};
  return v.get<std::int64_t>();
}

}  // namespace

core::Result<TrainingPackChange> read_training_pack_change(std::string_view body) {
  return read_change_body<TrainingPackChange>(
      body, "training_pack", kMaxPackBytes + 64 * 1024, [](const json& j) {
        TrainingPackChange v;
        v.pack = body_text(j, "pack", 128, true);
        v.version = body_count(j, "version");
        v.published_at_ms = body_time(j, "published_at_ms");
        const json& files = body_field(j, "files");
        if (!files.is_array() || files.empty() || files.size() > kMaxPackFiles)
          throw BodyError{"\"files\" must be a list of 1 to " + std::to_string(kMaxPackFiles) +
                          " files"};
        for (const json& f : files) {
          if (!f.is_object()) throw BodyError{"each of \"files\" must be an object"};
          v.files.push_back(
              {body_text(f, "name", 255, true), body_text(f, "text", kMaxPackBytes, false)});
        }
        return v;
      });
}

std::string body_of(const TrainingPackChange& v) {
  json files = json::array();
  for (const auto& f : v.files) files.push_back({{"name", f.name}, {"text", f.text}});
  return dump({{"pack", v.pack},
               {"version", v.version},
               {"published_at_ms", v.published_at_ms},
               {"files", files}});
}

core::Result<ReplyOutcome> read_reply_outcome(std::string_view body) {
  return read_change_body<ReplyOutcome>(body, "reply_outcome", 64 * 1024, [](const json& j) {
    ReplyOutcome v;
    v.suggestion_id = body_text(j, "suggestion_id", 64, true);
    v.mention_id = body_text(j, "mention_id", kMaxMentionIdBytes, true);
    v.outcome = body_text(j, "outcome", 16, true);
    if (v.outcome != "approved" && v.outcome != "edited" && v.outcome != "rejected")
      throw BodyError{"\"outcome\" must be approved, edited or rejected"};
    v.text = body_text(j, "text", kMaxReplyChars * 4, false);
    v.comment = body_text(j, "comment", kMaxNoteChars * 4, false);
    v.decided_by = body_text(j, "decided_by", 200, false);
    v.decided_at_ms = body_time(j, "decided_at_ms");
    return v;
  });
}

std::string body_of(const ReplyOutcome& v) {
  return dump({{"suggestion_id", v.suggestion_id},
               {"mention_id", v.mention_id},
               {"outcome", v.outcome},
               {"text", v.text},
               {"comment", v.comment},
               {"decided_by", v.decided_by},
               {"decided_at_ms", v.decided_at_ms}});
}

std::string group_thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::optional<std::string> check_escalation_note(std::string_view note) {
  if (!core::is_valid_utf8(note)) return "The note has characters that could not be read.";
  const std::size_t chars = utf8_chars(note);
  if (chars > kMaxNoteChars)
    return "The note is too long: " + group_thousands(chars) + " of " +
           group_thousands(kMaxNoteChars) + " characters.";
  return std::nullopt;
}

std::optional<std::string> check_new_escalation(const core::Escalation& e) {
  if (!is_canonical_uuid(e.id)) return "The escalation id is not a lowercase UUID.";
  if (e.mention_id.empty() && !e.category)
    return "The escalation names no mention and no category; an issue reported with no post "
           "needs a category (wait_time, staff_conduct, product_or_stock, price_or_promotion, "
           "returns_or_refunds, cleanliness, safety, praise or other).";
  if (e.mention_id.size() > kMaxMentionIdBytes || !core::is_valid_utf8(e.mention_id))
    return "The escalation's mention id is longer than " + std::to_string(kMaxMentionIdBytes) +
           " bytes or not valid text.";
  if (auto why = check_escalation_note(e.note)) return why;
  if (!e.staff_id.empty())
    if (auto why = core::check_staff_id(e.staff_id)) return "The escalation's staff id: " + *why;
  if (e.generation != 0 || !e.history.empty())
    return "A new escalation starts at generation 0 with no history; later steps are events of "
           "their own.";
  if (e.status != core::EscalationStatus::open)
    return "Only head office can mark an escalation " + std::string(core::to_string(e.status)) +
           "; a terminal sends new escalations as open.";
  if (!e.acknowledged_by.empty()) return "Only head office can say who acknowledged an escalation.";
  if (!core::is_plausible_time_ms(e.created_at_ms))
    return "The escalation's time (" + std::to_string(e.created_at_ms) +
           " ms) is outside 2000-2100: check the terminal's clock.";
  if (e.status_changed_at_ms != e.created_at_ms)
    return "A new escalation's status time must be its creation time.";
  return std::nullopt;
}

std::optional<std::string> check_event(const Event& e) {
  if (!is_canonical_uuid(e.id)) return "The event id is not a lowercase UUID.";
  const auto hlc = core::parse_hlc(e.hlc);
  if (!hlc || !core::is_plausible_time_ms(hlc->wall_ms))
    return "The event's clock value \"" + core::repair_utf8(e.hlc.substr(0, 40)) +
           "\" is not a valid hybrid logical clock between 2000 and 2100.";
  if (e.kind == "escalation.created") return check_new_escalation(e.escalation);
  return check_body(e.kind, e.body);
}

std::optional<std::string> check_body(std::string_view kind, std::string_view body) {
  const auto verdict = [](const auto& read) {
    return read ? std::nullopt : std::optional<std::string>(read.error());
  };
  if (kind == "training.answered") return verdict(read_training_answered(body));
  if (kind == "praise.shared") return verdict(read_praise_shared(body));
  if (kind == "staff.lockout") return verdict(read_staff_lockout(body));
  if (kind == "reply.suggested") return verdict(read_reply_suggested(body));
  if (core::action_kind_of_event(kind)) return verdict(read_escalation_acted(kind, body));
  return "Event kind \"" + core::repair_utf8(std::string(kind.substr(0, 64))) +
         "\" is not known to this head office.";
}

PageLimit page_limit(const SyncRequest& request) {
  if (request.max_changes <= 0) return {};
  const auto asked = static_cast<std::uint64_t>(request.max_changes);
  return {static_cast<std::size_t>(std::min<std::uint64_t>(asked, kMaxChangesPerLargePage)),
          kLargePageBudgetBytes};
}

}  // namespace kiosk::sync::protocol
