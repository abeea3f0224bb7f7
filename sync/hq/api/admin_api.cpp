#include "sync/hq/api/admin_api.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "sync/hq/api/escalation_ops.h"
#include "sync/hq/storage/tokens.h"

namespace kiosk::sync::hq {
namespace {

using json = nlohmann::json;

ApiResponse ok(const json& j) {
  return ApiResponse{200, j.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

std::string query_value(const ApiRequest& r, const char* name) {
  for (const auto& [k, v] : r.query)
    if (k == name) return v;
  return {};
}

std::string bearer(const std::string& header) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  return header.substr(kPrefix.size());
}

}  // namespace

core::Result<std::string> load_admin_key(const std::string& file) {
  using R = core::Result<std::string>;
  std::string key;
  if (!file.empty()) {
    std::ifstream f(file, std::ios::binary);
    if (!f) return R::failure("cannot read the admin key file " + file);
    std::getline(f, key);
  } else if (const char* env = std::getenv("KIOSK_HQ_ADMIN_KEY")) {
    key = env;
  } else {
    return std::string();
  }
  while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) key.pop_back();
  if (key.size() < kMinAdminKeyChars)
    return R::failure("the admin key is shorter than " + std::to_string(kMinAdminKeyChars) +
                      " characters; use a long random one (e.g. from: head -c 24 /dev/urandom | "
                      "base64)");
  return key;
}

ApiResponse AdminApi::handle(const ApiRequest& request) const {
  if (key_.empty())
    return error_response(404, "not_found",
                          "The admin API is off on this head office; start kiosk-hq with "
                          "KIOSK_HQ_ADMIN_KEY set or --admin-key-file FILE.");
  if (!secrets_equal(bearer(request.authorization), key_))
    return error_response(401, "unauthorized",
                          "The admin API needs \"Authorization: Bearer <admin key>\" with head "
                          "office's admin key.");
  if (request.body_too_large)
    return error_response(413, "payload_too_large", "The request is larger than 1 MiB.");
  const std::string base = std::string(kAdminPathPrefix) + "escalations";
  if (request.path == base) {
    if (request.method != "GET")
      return error_response(405, "method_not_allowed", "List escalations with GET.");
    return list(request);
  }
  if (request.path.rfind(base + "/", 0) == 0) {
    const std::string rest = request.path.substr(base.size() + 1);
    const auto slash = rest.find('/');
    const std::string id = rest.substr(0, slash);
    if (slash == std::string::npos) {
      if (request.method != "GET")
        return error_response(405, "method_not_allowed", "Read one escalation with GET.");
      return one(id);
    }
    if (request.method != "POST")
      return error_response(405, "method_not_allowed", "Act on an escalation with POST.");
    return act(id, rest.substr(slash + 1), request);
  }
  return error_response(404, "not_found", "There is no such admin address (" + request.path + ").");
}

ApiResponse AdminApi::list(const ApiRequest& r) const {
  const std::string breached = query_value(r, "breached");
  auto filter =
      make_filter(query_value(r, "store"), query_value(r, "status"), query_value(r, "severity"),
                  query_value(r, "category"), query_value(r, "older_than"),
                  breached == "1" || breached == "true" || breached == "yes");
  if (!filter) return error_response(400, "bad_request", filter.error());
  auto listed = list_filtered(storage_, filter.value(), clock_());
  if (!listed) {
    const bool unknown_store = listed.error().rfind("there is no store", 0) == 0;
    return error_response(unknown_store ? 404 : 500, unknown_store ? "not_found" : "storage_error",
                          listed.error());
  }
  json list = json::array();
  for (const auto& e : listed.value()) list.push_back(escalation_json(e));
  return ok({{"escalations", std::move(list)}});
}

ApiResponse AdminApi::one(const std::string& id) const {
  std::string lower = id;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto found = storage_.find_escalation(lower);
  if (!found) return error_response(500, "storage_error", found.error());
  if (!found.value())
    return error_response(404, "not_found", "There is no escalation with id " + id + ".");
  return ok({{"escalation", escalation_json({std::move(*found.value()), false})}});
}

ApiResponse AdminApi::act(const std::string& id, const std::string& verb,
                          const ApiRequest& r) const {
  std::optional<core::EscalationActionKind> kind;
  if (verb == "acknowledge") kind = core::EscalationActionKind::acknowledge;
  if (verb == "note") kind = core::EscalationActionKind::note;
  if (verb == "reassign") kind = core::EscalationActionKind::reassign;
  if (verb == "resolve") kind = core::EscalationActionKind::resolve;
  if (verb == "reopen") kind = core::EscalationActionKind::reopen;
  if (!kind)
    return error_response(404, "not_found",
                          "Unknown action \"" + verb.substr(0, 40) +
                              "\"; use acknowledge, note, reassign, resolve or reopen.");
  const json body = r.body.empty() ? json::object() : json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return error_response(400, "bad_request", "The body must be a JSON object of valid UTF-8.");
  std::string by;
  std::string text;
  for (const auto& [name, out] : {std::pair{"by", &by}, std::pair{"text", &text}}) {
    if (!body.contains(name)) continue;
    if (!body.at(name).is_string())
      return error_response(400, "bad_request", "\"" + std::string(name) + "\" must be text.");
    *out = body.at(name).get<std::string>();
  }
  auto done = act_at_hq(storage_, id, *kind, by, text, clock_());
  if (!done) return error_response(500, "storage_error", done.error());
  switch (done->state) {
    case HqActionOutcome::State::unknown:
      return error_response(404, "not_found", "There is no escalation with id " + id + ".");
    case HqActionOutcome::State::refused: {
      const bool conflict = done->message.rfind("This escalation", 0) == 0 ||
                            done->message.rfind("Only a resolved", 0) == 0;
      return error_response(conflict ? 409 : 400, conflict ? "conflict" : "bad_request",
                            done->message);
    }
    case HqActionOutcome::State::done:
      break;
  }
  return ok({{"escalation", escalation_json({std::move(*done->after), false})}});
}

}  // namespace kiosk::sync::hq
