#include "sync/protocol/json_codec.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kiosk/core/uuid.h"
#include "sync/protocol/contracts.h"

// [SECTION] helpers that read fields with a clear error
// [SECTION] entities: mention, escalation
// [SECTION] messages

namespace kiosk::sync::protocol {
namespace {

using json = nlohmann::json;
using kiosk::core::Escalation;
using kiosk::core::Mention;

// Thrown inside this file only, caught at each decode_* boundary.
struct FieldError {
  std::string message;
};

std::string dump(const json& j) {
  // Replace rather than throw: a bad byte in a note must not stop a whole sync.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

const json& field(const json& obj, const char* name, const char* where) {
  if (!obj.is_object()) throw FieldError{std::string(where) + " must be a JSON object"};
  auto it = obj.find(name);
  if (it == obj.end()) throw FieldError{std::string(where) + " is missing \"" + name + "\""};
  return *it;
}

std::string get_string(const json& obj, const char* name, const char* where,
                       std::size_t max_len = kMaxWireTextBytes) {
  const json& v = field(obj, name, where);
  if (!v.is_string())
    throw FieldError{std::string(where) + " field \"" + name + "\" must be a string"};
  auto s = v.get<std::string>();
  if (s.size() > max_len)
    throw FieldError{std::string(where) + " field \"" + name + "\" is longer than " +
                     std::to_string(max_len) + " bytes"};
  return s;
}

std::string get_optional_string(const json& obj, const char* name, const char* where) {
  if (!obj.contains(name) || obj.at(name).is_null()) return {};
  return get_string(obj, name, where);
}

std::int64_t get_int(const json& obj, const char* name, const char* where) {
  const json& v = field(obj, name, where);
  if (!v.is_number_integer())
    throw FieldError{std::string(where) + " field \"" + name + "\" must be a whole number"};
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max())
    throw FieldError{std::string(where) + " field \"" + name + "\" is too large"};
  return v.get<std::int64_t>();
}

const json& get_array(const json& obj, const char* name, const char* where) {
  const json& v = field(obj, name, where);
  if (!v.is_array())
    throw FieldError{std::string(where) + " field \"" + name + "\" must be a list"};
  return v;
}

template <typename T, typename F>
Result<T> decode_with(std::string_view body, const char* what, F&& f) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return Result<T>::failure(std::string(what) + " is not valid JSON (or not valid UTF-8)");
  try {
    return f(j);
  } catch (const FieldError& e) {
    return Result<T>::failure(e.message);
  } catch (const json::exception& e) {
    return Result<T>::failure(std::string(what) + " has a value of the wrong type: " + e.what());
  }
}

// [SECTION] entities

// The fields a source may not have are written only when present, so a mention from the
// project's own JSON files looks as it did, and an older kiosk, which reads only the seven
// fields it knows, ignores the rest.
json to_json(const Mention& m) {
  json j{{"id", m.id},
         {"store_id", m.store_id},
         {"source", m.source},
         {"author", m.author},
         {"text", m.text},
         {"url", m.url},
         {"created_at_ms", m.created_at_ms}};
  if (m.rating) j["rating"] = *m.rating;
  if (!m.lang.empty()) j["lang"] = m.lang;
  json reach = json::object();
  if (m.reach.author_followers) reach["author_followers"] = *m.reach.author_followers;
  if (m.reach.likes) reach["likes"] = *m.reach.likes;
  if (m.reach.reposts) reach["reposts"] = *m.reach.reposts;
  if (m.reach.replies) reach["replies"] = *m.reach.replies;
  if (!reach.empty()) j["reach"] = reach;
  if (!m.location.name.empty() || (m.location.lat && m.location.lon)) {
    json where = json::object();
    if (!m.location.name.empty()) where["name"] = m.location.name;
    if (m.location.lat && m.location.lon) {
      where["lat"] = *m.location.lat;
      where["lon"] = *m.location.lon;
    }
    j["location"] = where;
  }
  if (!m.reply_to.empty()) j["reply_to"] = m.reply_to;
  if (!m.owner_reply.empty()) j["owner_reply"] = m.owner_reply;
  if (m.edited_at_ms) j["edited_at_ms"] = *m.edited_at_ms;
  return j;
}

std::optional<std::int64_t> get_optional_count(const json& obj, const char* name,
                                               const char* where) {
  if (!obj.contains(name) || obj.at(name).is_null()) return std::nullopt;
  const std::int64_t v = get_int(obj, name, where);
  if (v < 0) throw FieldError{std::string(where) + " field \"" + name + "\" must not be negative"};
  return v;
}

std::optional<double> get_optional_degrees(const json& obj, const char* name, const char* where,
                                           double limit) {
  if (!obj.contains(name) || obj.at(name).is_null()) return std::nullopt;
  const json& v = obj.at(name);
  if (!v.is_number())
    throw FieldError{std::string(where) + " field \"" + name + "\" must be a number"};
  const double d = v.get<double>();
  if (d < -limit || d > limit)
    throw FieldError{std::string(where) + " field \"" + name + "\" is outside -" +
                     std::to_string(static_cast<int>(limit)) + " to " +
                     std::to_string(static_cast<int>(limit))};
  return d;
}

// The optional fields of a mention (rating, language, reach, place, reply, edit time).
void read_mention_details(const json& j, Mention& m) {
  if (j.contains("rating") && !j.at("rating").is_null()) {
    const std::int64_t stars = get_int(j, "rating", "mention");
    if (stars < 1 || stars > 5)
      throw FieldError{"mention field \"rating\" must be 1 to 5 stars, not " +
                       std::to_string(stars)};
    m.rating = static_cast<int>(stars);
  }
  if (j.contains("lang") && !j.at("lang").is_null())
    m.lang = get_string(j, "lang", "mention", kMaxMentionLangBytes);
  if (j.contains("reach") && !j.at("reach").is_null()) {
    const json& r = j.at("reach");
    if (!r.is_object()) throw FieldError{"mention field \"reach\" must be a JSON object"};
    m.reach.author_followers = get_optional_count(r, "author_followers", "mention reach");
    m.reach.likes = get_optional_count(r, "likes", "mention reach");
    m.reach.reposts = get_optional_count(r, "reposts", "mention reach");
    m.reach.replies = get_optional_count(r, "replies", "mention reach");
  }
  if (j.contains("location") && !j.at("location").is_null()) {
    const json& w = j.at("location");
    if (!w.is_object()) throw FieldError{"mention field \"location\" must be a JSON object"};
    if (w.contains("name") && !w.at("name").is_null())
      m.location.name = get_string(w, "name", "mention location", kMaxPlaceNameBytes);
    m.location.lat = get_optional_degrees(w, "lat", "mention location", 90.0);
    m.location.lon = get_optional_degrees(w, "lon", "mention location", 180.0);
    if (m.location.lat.has_value() != m.location.lon.has_value())
      throw FieldError{"mention location needs both \"lat\" and \"lon\", or neither"};
  }
  if (j.contains("reply_to") && !j.at("reply_to").is_null())
    m.reply_to = get_string(j, "reply_to", "mention", kMaxMentionIdBytes);
  m.owner_reply = get_optional_string(j, "owner_reply", "mention");
  if (j.contains("edited_at_ms") && !j.at("edited_at_ms").is_null())
    m.edited_at_ms = get_int(j, "edited_at_ms", "mention");
}

// now_ms lets hand-written files (demo data) say "minutes_ago" instead of a fixed time, so a
// demo feed always looks live.
Mention mention_from_json(const json& j, std::int64_t now_ms = 0) {
  Mention m;
  m.id = get_string(j, "id", "mention", kMaxMentionIdBytes);
  if (m.id.empty()) throw FieldError{"mention \"id\" must not be empty"};
  m.store_id = get_optional_string(j, "store_id", "mention");
  m.source = get_string(j, "source", "mention", kMaxMentionSourceBytes);
  m.author = get_optional_string(j, "author", "mention");
  m.text = get_string(j, "text", "mention");
  m.url = get_optional_string(j, "url", "mention");
  if (now_ms > 0 && !j.contains("created_at_ms") && j.contains("minutes_ago")) {
    m.created_at_ms = now_ms - get_int(j, "minutes_ago", "mention") * 60'000;
  } else {
    m.created_at_ms = get_int(j, "created_at_ms", "mention");
  }
  read_mention_details(j, m);
  return m;
}

json to_json(const Escalation& e) {
  json j{{"id", e.id},
         {"mention_id", e.mention_id},
         {"severity", kiosk::core::to_string(e.severity)},
         {"note", e.note},
         {"status", kiosk::core::to_string(e.status)},
         {"created_at_ms", e.created_at_ms},
         {"status_changed_at_ms", e.status_changed_at_ms}};
  if (!e.acknowledged_by.empty()) j["acknowledged_by"] = e.acknowledged_by;
  if (e.category) j["category"] = kiosk::core::to_string(*e.category);
  if (!e.staff_id.empty()) j["staff_id"] = e.staff_id;
  if (e.ladder_level >= 0) j["ladder_level"] = e.ladder_level;
  // Who holds it: the ladder's level, or a person it was reassigned to (which can outlive the
  // level, e.g. after a reopening restarts the ladder).
  if (e.ladder_level >= 0 || !e.ladder_holder.empty()) j["ladder_holder"] = e.ladder_holder;
  if (e.respond_by_ms) j["respond_by_ms"] = *e.respond_by_ms;
  if (e.next_climb_at_ms) j["next_climb_at_ms"] = *e.next_climb_at_ms;
  if (e.generation > 0) j["generation"] = e.generation;
  if (!e.resolution_key.empty()) {
    j["resolution_note"] = e.resolution_note;
    j["resolution_key"] = e.resolution_key;
  }
  if (!e.holder_key.empty()) j["holder_key"] = e.holder_key;
  if (!e.history.empty()) {
    json history = json::array();
    for (const auto& a : e.history)
      history.push_back({{"id", a.id},
                         {"kind", kiosk::core::to_string(a.kind)},
                         {"generation", a.generation},
                         {"by", a.by},
                         {"terminal_id", a.terminal_id},
                         {"at_ms", a.at_ms},
                         {"hlc", a.hlc},
                         {"text", a.text}});
    j["history"] = std::move(history);
  }
  if (!e.hq_notes.empty()) {
    json notes = json::array();
    for (const auto& n : e.hq_notes)
      notes.push_back({{"by", n.by}, {"text", n.text}, {"at_ms", n.at_ms}});
    j["hq_notes"] = std::move(notes);
  }
  return j;
}

Escalation escalation_from_json(const json& j) {
  Escalation e;
  e.id = get_string(j, "id", "escalation", 64);
  if (!kiosk::core::is_uuid(e.id)) throw FieldError{"escalation \"id\" must be a UUID"};
  // Empty or absent for an issue reported with no post (then it has a category).
  e.mention_id = get_optional_string(j, "mention_id", "escalation");
  if (e.mention_id.size() > 512)
    throw FieldError{"escalation field \"mention_id\" is longer than 512 bytes"};
  const auto sev = kiosk::core::parse_severity(get_string(j, "severity", "escalation", 32));
  if (!sev) throw FieldError{"escalation \"severity\" must be low, medium, high or critical"};
  e.severity = *sev;
  // The note's limit is the escalation contract's (contracts.h), checked where it applies:
  // a terminal's new event is refused alone, a change from head office is taken as it is.
  e.note = get_optional_string(j, "note", "escalation");
  const auto status = kiosk::core::parse_status(get_string(j, "status", "escalation", 32));
  if (!status) throw FieldError{"escalation \"status\" must be open, acknowledged or resolved"};
  e.status = *status;
  e.created_at_ms = get_int(j, "created_at_ms", "escalation");
  if (j.contains("status_changed_at_ms"))
    e.status_changed_at_ms = get_int(j, "status_changed_at_ms", "escalation");
  e.acknowledged_by = get_optional_string(j, "acknowledged_by", "escalation");
  if (j.contains("category")) {
    const std::string name = get_string(j, "category", "escalation", 64);
    e.category = kiosk::core::parse_category(name);
    if (!e.category)
      throw FieldError{"escalation \"category\" \"" + name +
                       "\" is unknown; use wait_time, staff_conduct, product_or_stock, "
                       "price_or_promotion, returns_or_refunds, cleanliness, safety, praise or "
                       "other"};
  }
  e.staff_id = get_optional_string(j, "staff_id", "escalation");
  if (j.contains("ladder_level")) {
    const std::int64_t level = get_int(j, "ladder_level", "escalation");
    if (level < 0 || level > 1000)
      throw FieldError{"escalation \"ladder_level\" must be 0 to 1000"};
    e.ladder_level = static_cast<int>(level);
  }
  e.ladder_holder = get_optional_string(j, "ladder_holder", "escalation");
  if (j.contains("respond_by_ms")) e.respond_by_ms = get_int(j, "respond_by_ms", "escalation");
  if (j.contains("next_climb_at_ms"))
    e.next_climb_at_ms = get_int(j, "next_climb_at_ms", "escalation");
  if (j.contains("generation")) {
    const std::int64_t g = get_int(j, "generation", "escalation");
    if (g < 0 || g > 1'000'000) throw FieldError{"escalation \"generation\" must be 0 to 1000000"};
    e.generation = static_cast<int>(g);
  }
  e.resolution_note = get_optional_string(j, "resolution_note", "escalation");
  e.resolution_key = get_optional_string(j, "resolution_key", "escalation");
  e.holder_key = get_optional_string(j, "holder_key", "escalation");
  if (j.contains("history")) {
    for (const auto& ja : get_array(j, "history", "escalation")) {
      kiosk::core::EscalationAction a;
      a.id = get_string(ja, "id", "escalation history", 64);
      const auto kind =
          kiosk::core::parse_action_kind(get_string(ja, "kind", "escalation history", 32));
      if (!kind)
        throw FieldError{
            "escalation history \"kind\" must be acknowledge, note, reassign, resolve or reopen"};
      a.kind = *kind;
      a.generation = static_cast<int>(
          std::clamp<std::int64_t>(get_int(ja, "generation", "escalation history"), 0, 1'000'000));
      a.by = get_optional_string(ja, "by", "escalation history");
      a.terminal_id = get_optional_string(ja, "terminal_id", "escalation history");
      a.at_ms = get_int(ja, "at_ms", "escalation history");
      a.hlc = get_optional_string(ja, "hlc", "escalation history");
      a.text = get_optional_string(ja, "text", "escalation history");
      e.history.push_back(std::move(a));
    }
  }
  if (j.contains("hq_notes")) {
    for (const auto& jn : get_array(j, "hq_notes", "escalation")) {
      kiosk::core::EscalationNote n;
      n.by = get_optional_string(jn, "by", "escalation note");
      n.text = get_string(jn, "text", "escalation note");
      n.at_ms = get_int(jn, "at_ms", "escalation note");
      e.hq_notes.push_back(std::move(n));
    }
  }
  return e;
}

json to_json(const StaffRecord& r) {
  return json{{"id", r.member.id},
              {"name", r.member.name},
              {"role", kiosk::core::to_string(r.member.role)},
              {"language", r.member.language},
              {"pin_hash", r.pin_hash},
              {"active", r.active},
              {"pin_set_at_ms", r.pin_set_at_ms},
              {"changed_at_ms", r.changed_at_ms}};
}

StaffRecord staff_from_json(const json& j) {
  StaffRecord r;
  r.member.id = get_string(j, "id", "staff", 64);
  if (auto why = kiosk::core::check_staff_id(r.member.id)) throw FieldError{"staff: " + *why};
  r.member.name = get_string(j, "name", "staff", 200);
  const std::string role = get_string(j, "role", "staff", 32);
  const auto parsed = kiosk::core::parse_staff_role(role);
  if (!parsed) throw FieldError{"staff \"role\" must be associate or manager"};
  r.member.role = *parsed;
  r.member.language = get_optional_string(j, "language", "staff");
  if (r.member.language.size() > 16) throw FieldError{"staff \"language\" is longer than 16 bytes"};
  r.pin_hash = get_string(j, "pin_hash", "staff", 256);
  const json& active = field(j, "active", "staff");
  if (!active.is_boolean()) throw FieldError{"staff \"active\" must be true or false"};
  r.active = active.get<bool>();
  if (j.contains("pin_set_at_ms")) r.pin_set_at_ms = get_int(j, "pin_set_at_ms", "staff");
  if (j.contains("changed_at_ms")) r.changed_at_ms = get_int(j, "changed_at_ms", "staff");
  return r;
}

StorePolicyChange policy_from_json(const json& j) {
  StorePolicyChange p;
  p.text = get_string(j, "text", "policy", 256 * 1024);
  p.set_at_ms = get_int(j, "set_at_ms", "policy");
  return p;
}

}  // namespace

// [SECTION] messages

std::string encode(const EnrollRequest& m) {
  json j{{"code", m.code}, {"terminal_name", m.terminal_name}};
  if (m.previous_token) j["previous_token"] = *m.previous_token;
  return dump(j);
}

std::string encode(const EnrollResponse& m) {
  json j{{"terminal_id", m.terminal_id},
         {"store_id", m.store_id},
         {"store_name", m.store_name},
         {"token", m.token}};
  if (m.token_expires_at_ms) j["token_expires_at_ms"] = *m.token_expires_at_ms;
  return dump(j);
}

namespace {
json to_json(const Event& e) {
  json j{{"id", e.id}, {"kind", e.kind}, {"hlc", e.hlc}};
  if (e.kind == "escalation.created") {
    j["escalation"] = to_json(e.escalation);
  } else {
    // The body was checked against its contract when it was queued; a body that no longer
    // parses goes as null, and head office rejects that event alone.
    json body = json::parse(e.body, nullptr, false);
    j["body"] = body.is_discarded() ? json(nullptr) : std::move(body);
  }
  return j;
}
}  // namespace

std::string encode(const SyncRequest& m) {
  json events = json::array();
  for (const auto& e : m.events) events.push_back(to_json(e));
  json j{{"protocol", m.protocol}, {"cursor", m.cursor}, {"events", events}};
  if (m.wait_ms > 0) j["wait_ms"] = m.wait_ms;
  if (m.max_changes > 0) j["max_changes"] = m.max_changes;
  return dump(j);
}

std::size_t encoded_size(const Event& e) {
  return dump(to_json(e)).size() + 1;  // and its comma in the list
}

namespace {

// One change as the answer carries it. A change head office read with its stored JSON is
// spliced in as those bytes, with its keys in the order json's dump gives them (sorted), so
// it reads byte for byte as the same change decoded and encoded again.
void append_change(std::string& out, const Change& c) {
  if (c.stored.empty()) {
    json jc{{"seq", c.seq}, {"kind", c.kind}};
    if (c.mention) jc["mention"] = to_json(*c.mention);
    if (c.escalation) jc["escalation"] = to_json(*c.escalation);
    if (c.policy) jc["policy"] = {{"text", c.policy->text}, {"set_at_ms", c.policy->set_at_ms}};
    if (c.staff) jc["staff"] = to_json(*c.staff);
    if (!c.body.empty()) jc[c.kind] = json::parse(c.body, nullptr, false);
    out += dump(jc);
    return;
  }
  std::array<std::pair<std::string_view, std::string>, 3> fields{
      {{"kind", dump(json(c.kind))}, {"seq", std::to_string(c.seq)}, {c.kind, std::string()}}};
  std::sort(fields.begin(), fields.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += dump(json(fields[i].first));
    out += ':';
    out += fields[i].first == c.kind ? std::string_view(c.stored) : fields[i].second;
  }
  out += '}';
}

}  // namespace

std::string encode(const SyncResponse& m) {
  json rejected = json::array();
  for (const auto& r : m.rejected) rejected.push_back({{"id", r.id}, {"reason", r.reason}});
  // The envelope's keys sort as "acked", "changes", then the rest: the changes are written
  // between the two halves rather than built as one document.
  json rest{{"rejected", rejected},
            {"cursor", m.cursor},
            {"more", m.more},
            {"server_time_ms", m.server_time_ms}};
  if (m.new_token) rest["new_token"] = *m.new_token;
  if (m.token_expires_at_ms) rest["token_expires_at_ms"] = *m.token_expires_at_ms;
  if (!m.features.empty()) rest["features"] = m.features;
  std::size_t reserve = 256;
  for (const auto& c : m.changes) reserve += c.stored.size() + 64;
  std::string out;
  out.reserve(reserve);
  out += R"({"acked":)";
  out += dump(json(m.acked));
  out += R"(,"changes":[)";
  for (std::size_t i = 0; i < m.changes.size(); ++i) {
    if (i > 0) out += ',';
    append_change(out, m.changes[i]);
  }
  out += "],";
  const std::string tail = dump(rest);
  out.append(tail, 1, std::string::npos);  // without its opening brace
  return out;
}

std::string encode(const ErrorBody& m) {
  return dump({{"error", {{"code", m.code}, {"message", m.message}}}});
}

std::string encode_mentions(const std::vector<Mention>& mentions) {
  json list = json::array();
  for (const auto& m : mentions) list.push_back(to_json(m));
  return dump({{"mentions", list}});
}

std::string encode_entity(const Mention& m) {
  return dump(to_json(m));
}
std::string encode_entity(const Escalation& e) {
  return dump(to_json(e));
}
std::string encode_entity(const StaffRecord& r) {
  return dump(to_json(r));
}

std::string encode_entity(const StorePolicyChange& p) {
  return dump({{"text", p.text}, {"set_at_ms", p.set_at_ms}});
}

Result<Change> decode_change(std::int64_t seq, std::string_view kind,
                             std::string_view entity_json) {
  return decode_with<Change>(entity_json, "stored change", [&](const json& j) {
    Change c;
    c.seq = seq;
    c.kind = std::string(kind);
    if (kind == "mention") {
      c.mention = mention_from_json(j);
    } else if (kind == "escalation") {
      c.escalation = escalation_from_json(j);
    } else if (kind == "policy") {
      c.policy = policy_from_json(j);
    } else if (kind == "staff") {
      c.staff = staff_from_json(j);
    } else if (kind == "training_pack" || kind == "reply_outcome") {
      if (!j.is_object())
        throw FieldError{"stored change " + std::to_string(seq) + " is not a JSON object"};
      c.body = std::string(entity_json);
    } else {
      throw FieldError{"stored change " + std::to_string(seq) + " has an unknown kind \"" + c.kind +
                       "\""};
    }
    return c;
  });
}

Result<EnrollRequest> decode_enroll_request(std::string_view body) {
  return decode_with<EnrollRequest>(body, "enrollment request", [](const json& j) {
    EnrollRequest m;
    m.code = get_string(j, "code", "enrollment request", 128);
    m.terminal_name = get_optional_string(j, "terminal_name", "enrollment request");
    if (m.terminal_name.size() > 200)
      throw FieldError{"enrollment request \"terminal_name\" is longer than 200 bytes"};
    if (j.contains("previous_token") && !j.at("previous_token").is_null())
      m.previous_token = get_string(j, "previous_token", "enrollment request", 256);
    return m;
  });
}

Result<EnrollResponse> decode_enroll_response(std::string_view body) {
  return decode_with<EnrollResponse>(body, "enrollment response", [](const json& j) {
    EnrollResponse m;
    m.terminal_id = get_string(j, "terminal_id", "enrollment response", 128);
    m.store_id = get_string(j, "store_id", "enrollment response", 128);
    m.store_name = get_string(j, "store_name", "enrollment response", 512);
    m.token = get_string(j, "token", "enrollment response", 256);
    if (m.token.empty()) throw FieldError{"enrollment response has an empty token"};
    if (j.contains("token_expires_at_ms"))
      m.token_expires_at_ms = get_int(j, "token_expires_at_ms", "enrollment response");
    return m;
  });
}

Result<SyncRequest> decode_sync_request(std::string_view body) {
  return decode_with<SyncRequest>(body, "sync request", [](const json& j) {
    SyncRequest m;
    const std::int64_t protocol = get_int(j, "protocol", "sync request");
    if (protocol < std::numeric_limits<int>::min() || protocol > std::numeric_limits<int>::max())
      throw FieldError{"sync request \"protocol\" " + std::to_string(protocol) +
                       " is not a protocol version"};
    m.protocol = static_cast<int>(protocol);
    if (m.protocol > kProtocolVersion)
      throw FieldError{"the kiosk speaks sync protocol " + std::to_string(m.protocol) +
                       " but this head office only speaks protocol " +
                       std::to_string(kProtocolVersion) + "; upgrade kiosk-hq at head office"};
    if (m.protocol < kProtocolVersion)
      throw FieldError{"the kiosk speaks sync protocol " + std::to_string(m.protocol) +
                       " but this head office needs protocol " + std::to_string(kProtocolVersion) +
                       "; upgrade the kiosk software"};
    m.cursor = get_int(j, "cursor", "sync request");
    if (m.cursor < 0) throw FieldError{"sync request \"cursor\" must not be negative"};
    if (j.contains("wait_ms")) {
      m.wait_ms = get_int(j, "wait_ms", "sync request");
      if (m.wait_ms < 0 || m.wait_ms > kMaxWaitMs)
        throw FieldError{"sync request \"wait_ms\" must be from 0 to " +
                         std::to_string(kMaxWaitMs)};
    }
    if (j.contains("max_changes")) {
      // Capped by head office (contracts.h: page_limit), so a larger wish is no error.
      m.max_changes = get_int(j, "max_changes", "sync request");
      if (m.max_changes < 0) throw FieldError{"sync request \"max_changes\" must not be negative"};
    }
    const json& events = get_array(j, "events", "sync request");
    if (events.size() > kMaxEventsPerRequest)
      throw FieldError{"sync request has " + std::to_string(events.size()) +
                       " events; the limit is " + std::to_string(kMaxEventsPerRequest)};
    for (const auto& je : events) {
      // An event that names itself is judged alone: a bad one is rejected by id and the
      // rest of the batch goes on. One that cannot even name itself spoils the request.
      Event e;
      e.id = get_string(je, "id", "event", 64);
      if (!kiosk::core::is_uuid(e.id)) throw FieldError{"event \"id\" must be a UUID"};
      try {
        e.kind = get_string(je, "kind", "event", 64);
        e.hlc = get_string(je, "hlc", "event", 64);
        if (e.kind == "escalation.created") {
          e.escalation = escalation_from_json(field(je, "escalation", "event"));
        } else if (je.contains("body")) {
          e.body = dump(je.at("body"));  // its kind's contract reads it
        }
        m.events.push_back(std::move(e));
      } catch (const FieldError& bad) {
        m.unreadable.push_back({e.id, "Head office could not read this event: " + bad.message});
      } catch (const json::exception& bad) {
        m.unreadable.push_back(
            {e.id, std::string("Head office could not read this event: ") + bad.what()});
      }
    }
    return m;
  });
}

Result<SyncResponse> decode_sync_response(std::string_view body) {
  return decode_with<SyncResponse>(body, "sync response", [](const json& j) {
    SyncResponse m;
    for (const auto& a : get_array(j, "acked", "sync response")) {
      if (!a.is_string()) throw FieldError{"sync response \"acked\" must hold strings"};
      m.acked.push_back(a.get<std::string>());
    }
    if (j.contains("rejected"))
      for (const auto& r : get_array(j, "rejected", "sync response"))
        m.rejected.push_back(
            {get_string(r, "id", "rejected event", 64), get_string(r, "reason", "rejected event")});
    m.cursor = get_int(j, "cursor", "sync response");
    const auto& changes = get_array(j, "changes", "sync response");
    m.changes.reserve(changes.size());  // a page of 5,000 grown by doubling peaks at twice
    for (const auto& jc : changes) {
      Change c;
      c.seq = get_int(jc, "seq", "change");
      c.kind = get_string(jc, "kind", "change", 64);
      if (c.kind == "mention") {
        c.mention = mention_from_json(field(jc, "mention", "change"));
      } else if (c.kind == "escalation") {
        c.escalation = escalation_from_json(field(jc, "escalation", "change"));
      } else if (c.kind == "policy") {
        c.policy = policy_from_json(field(jc, "policy", "change"));
      } else if (c.kind == "staff") {
        c.staff = staff_from_json(field(jc, "staff", "change"));
      } else if (const auto it = jc.find(c.kind); it != jc.end() && it->is_object()) {
        c.body = dump(*it);  // contracts.h reads the kinds this terminal knows
      }
      // Unknown kinds are kept (seq still counts) and skipped when applied: newer HQs may
      // send more kinds than this terminal knows.
      m.changes.push_back(std::move(c));
    }
    if (j.contains("more")) m.more = field(j, "more", "sync response").get<bool>();
    if (j.contains("server_time_ms"))
      m.server_time_ms = get_int(j, "server_time_ms", "sync response");
    if (j.contains("new_token")) {
      m.new_token = get_string(j, "new_token", "sync response", 256);
      if (m.new_token->empty()) throw FieldError{"sync response has an empty \"new_token\""};
    }
    if (j.contains("token_expires_at_ms"))
      m.token_expires_at_ms = get_int(j, "token_expires_at_ms", "sync response");
    if (j.contains("features"))
      for (const auto& f : get_array(j, "features", "sync response"))
        if (f.is_string()) m.features.push_back(f.get<std::string>());
    return m;
  });
}

Result<ErrorBody> decode_error(std::string_view body) {
  return decode_with<ErrorBody>(body, "error response", [](const json& j) {
    const json& e = field(j, "error", "error response");
    return ErrorBody{get_string(e, "code", "error"), get_string(e, "message", "error")};
  });
}

Result<std::vector<Mention>> decode_mentions(std::string_view body, std::int64_t now_ms) {
  return decode_with<std::vector<Mention>>(body, "mentions file", [now_ms](const json& j) {
    std::vector<Mention> out;
    for (const auto& jm : get_array(j, "mentions", "mentions file"))
      out.push_back(mention_from_json(jm, now_ms));
    return out;
  });
}

}  // namespace kiosk::sync::protocol
