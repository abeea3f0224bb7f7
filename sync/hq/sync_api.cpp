#include "sync/hq/sync_api.h"

#include <cctype>
#include <chrono>
#include <utility>

#include "sync/hq/tokens.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"

namespace kiosk::sync::hq {
namespace {

ApiResponse ok_json(std::string body) {
  return ApiResponse{200, std::move(body), {}};
}

ApiResponse storage_error(const std::string& detail) {
  return error_response(500, "storage_error",
                        "Head office could not use its database (" + detail +
                            "). Try again in a few minutes; if it keeps happening, tell head "
                            "office IT.");
}

ApiResponse bad_request(const std::string& decoder_message) {
  return error_response(400, "bad_request",
                        "Head office could not read the request: " + decoder_message +
                            ". Update the kiosk software if this keeps happening.");
}

ApiResponse unauthorized() {
  return error_response(401, "unauthorized",
                        "This terminal is not enrolled at head office (its token is missing or "
                        "unknown). Re-enroll the terminal with a new code from head office.");
}

ApiResponse method_not_allowed(const char* allowed) {
  auto r = error_response(405, "method_not_allowed",
                          std::string("This address only accepts ") + allowed + " requests.");
  r.headers.emplace_back("Allow", allowed);
  return r;
}

// "Bearer abc" -> "abc"; empty when the header is not a bearer token.
std::string bearer_token(const std::string& header) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size()) return {};
  for (std::size_t i = 0; i < kPrefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i])))
      return {};
  std::string token = header.substr(kPrefix.size());
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
  return token;
}

}  // namespace

std::int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

ApiResponse error_response(int status, std::string code, std::string message) {
  return ApiResponse{
      status, protocol::encode(protocol::ErrorBody{std::move(code), std::move(message)}), {}};
}

SyncApi::SyncApi(HqStorage& storage, Clock clock) : storage_(storage), clock_(std::move(clock)) {}

ApiResponse SyncApi::handle(const ApiRequest& request) const {
  const auto route = [&](const char* method, auto&& f) -> ApiResponse {
    if (request.method != method) return method_not_allowed(method);
    if (request.body_too_large)
      return error_response(413, "payload_too_large",
                            "The request is larger than head office accepts (" +
                                std::to_string(protocol::kMaxRequestBytes) +
                                " bytes). Update the kiosk software so it sends smaller "
                                "batches.");
    return f();
  };
  if (request.path == "/healthz") return route("GET", [] { return ok_json(R"({"ok":true})"); });
  if (request.path == "/v1/enroll") return route("POST", [&] { return enroll(request); });
  if (request.path == "/v1/sync") return route("POST", [&] { return sync(request); });
  return error_response(404, "not_found",
                        "There is no such address on head office (" + request.path +
                            "). Check the head office URL configured on the terminal.");
}

ApiResponse SyncApi::enroll(const ApiRequest& request) const {
  auto decoded = protocol::decode_enroll_request(request.body);
  if (!decoded) return bad_request(decoded.error());

  const std::string token = make_token();
  NewTerminal terminal{make_uuid(), decoded->terminal_name, hash_secret(token)};
  auto enrolled = storage_.redeem_enrollment_code(
      hash_secret(normalize_enrollment_code(decoded->code)), terminal, clock_());
  if (!enrolled) return storage_error(enrolled.error());
  if (!enrolled.value())
    return error_response(403, "bad_enrollment_code",
                          "The enrollment code is wrong, already used or expired. Ask head "
                          "office for a new one: kiosk-hq enroll-code --store ID");
  const EnrolledTerminal& e = *enrolled.value();
  return ok_json(
      protocol::encode(protocol::EnrollResponse{e.terminal_id, e.store_id, e.store_name, token}));
}

ApiResponse SyncApi::sync(const ApiRequest& request) const {
  const std::string token = bearer_token(request.authorization);
  if (token.empty()) return unauthorized();
  auto terminal = storage_.find_terminal_by_token_hash(hash_secret(token));
  if (!terminal) return storage_error(terminal.error());
  if (!terminal.value()) return unauthorized();

  auto decoded = protocol::decode_sync_request(request.body);
  if (!decoded) return bad_request(decoded.error());

  // Each event is judged alone against its kind's contract; only the good ones reach storage,
  // and the rest of the batch flows whatever one bad event holds.
  protocol::SyncRequest& sync_request = decoded.value();
  std::vector<protocol::RejectedEvent> rejected = std::move(sync_request.unreadable);
  std::vector<protocol::Event> acceptable;
  for (auto& event : sync_request.events) {
    if (auto why = protocol::check_event(event))
      rejected.push_back({event.id, *why});
    else
      acceptable.push_back(std::move(event));
  }
  sync_request.events = std::move(acceptable);

  auto response = storage_.sync(*terminal.value(), sync_request, clock_());
  if (!response) return storage_error(response.error());
  response->rejected.insert(response->rejected.begin(), rejected.begin(), rejected.end());
  return ok_json(protocol::encode(response.value()));
}

}  // namespace kiosk::sync::hq
