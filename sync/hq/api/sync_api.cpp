#include "sync/hq/api/sync_api.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <utility>

#include "kiosk/core/time_format.h"
#include "sync/hq/api/mention_intake.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/sources/pushed.h"

namespace kiosk::sync::hq {
namespace {

ApiResponse ok_json(std::string body) {
  return ApiResponse{200, std::move(body), {}};
}

ApiResponse bad_request(const std::string& decoder_message) {
  return error_response(400, "bad_request",
                        "Head office could not read the request: " + decoder_message +
                            ". Update the kiosk software if this keeps happening.");
}

ApiResponse unauthorized(std::string code, std::string message) {
  return error_response(401, std::move(code), std::move(message));
}

std::string seconds_text(std::int64_t seconds) {
  return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
}

ApiResponse too_many_attempts(std::int64_t wait_ms, bool from_everywhere) {
  const std::int64_t seconds = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
  auto r = error_response(
      429, "too_many_attempts",
      std::string(from_everywhere
                      ? "Too many wrong enrollment codes reached head office in a short time"
                      : "Too many wrong enrollment codes were tried from this address") +
          "; wait " + seconds_text(seconds) +
          " before trying again, and check the code with head office (each code works once).");
  r.headers.emplace_back("Retry-After", std::to_string(seconds));
  return r;
}

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
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
  if (request.path == "/v1/mentions") {
    if (request.method != "POST") return method_not_allowed("POST");
    return push_mentions(request);
  }
  return error_response(404, "not_found",
                        "There is no such address on head office (" + request.path +
                            "). Check the head office URL configured on the terminal.");
}

ApiResponse SyncApi::push_mentions(const ApiRequest& request) const {
  if (ingest_key_hash_.empty())
    return error_response(403, "webhook_disabled",
                          "This head office takes no pushed mentions: start kiosk-hq with "
                          "--ingest-key-file (docs/hq.md#webhook).");
  const std::string key = bearer_token(request.authorization);
  if (key.empty() || storage_.hash_secret(key) != ingest_key_hash_)
    return error_response(401, "unauthorized",
                          "The ingest API key is missing or wrong: send it as \"Authorization: "
                          "Bearer <key>\" (the key in kiosk-hq's --ingest-key-file; a "
                          "terminal's token is not accepted here).");
  if (request.body_too_large || request.body.size() > kMaxPushBodyBytes)
    return error_response(413, "payload_too_large",
                          "The body is larger than head office takes in one request (" +
                              std::to_string(kMaxPushBodyBytes) +
                              " bytes); send the mentions in smaller batches.");
  auto batch = sources::parse_pushed_mentions(request.body);
  if (!batch.error.empty()) return bad_request(batch.error);
  std::vector<IntakeItem> items;
  for (auto& p : batch.accepted)
    items.push_back({std::move(p.mention), std::move(p.store_id), std::move(p.review_target)});
  auto results = take_in_mentions(storage_, items, clock_());
  if (!results) return storage_error(results.error());
  // One result per item of the body, in its order: accepted items and rejected ones merged.
  nlohmann::json list = nlohmann::json::array();
  IntakeCounts counts;
  std::size_t next_ok = 0, next_bad = 0, index = 0;
  const std::size_t total = batch.accepted.size() + batch.rejected.size();
  for (; index < total; ++index) {
    nlohmann::json one{{"index", index}};
    if (next_bad < batch.rejected.size() && batch.rejected[next_bad].index == index) {
      const auto& bad = batch.rejected[next_bad++];
      one["id"] = bad.id;
      one["result"] = "rejected";
      one["reason"] = bad.reason;
      ++counts.rejected;
    } else {
      const auto& r = results.value()[next_ok];
      one["id"] = items[next_ok].mention.id;
      ++next_ok;
      one["result"] = to_string(r.kind);
      if (!r.store_id.empty()) one["store_id"] = r.store_id;
      one["reason"] = r.reason;
      counts.count(r);
    }
    list.push_back(std::move(one));
  }
  nlohmann::json body{{"added", counts.added},         {"updated", counts.updated},
                      {"unchanged", counts.unchanged}, {"duplicates", counts.duplicates},
                      {"unmatched", counts.unmatched}, {"rejected", counts.rejected},
                      {"results", std::move(list)}};
  return ok_json(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

ApiResponse SyncApi::storage_error(const std::string& detail) const {
  const std::string id = make_request_id();
  if (error_log_) error_log_("request " + id + " failed: " + detail);
  auto r = error_response(500, "storage_error",
                          "Head office could not answer because of a problem on its side "
                          "(request id " +
                              id +
                              "). Try again in a few minutes; if it keeps happening, tell head "
                              "office IT the request id.");
  r.headers.emplace_back("X-Request-Id", id);
  r.request_id = id;
  return r;
}

ApiResponse SyncApi::enroll(const ApiRequest& request) const {
  // Throttled before anything else: a guess that is not heard costs nothing and tells nothing.
  const std::int64_t now = clock_();
  if (const auto wait = per_address_.wait_ms(request.client_address, now))
    return too_many_attempts(wait, false);
  if (const auto wait = overall_.wait_ms("", now)) return too_many_attempts(wait, true);

  auto decoded = protocol::decode_enroll_request(request.body);
  if (!decoded) return bad_request(decoded.error());

  const std::string token = make_token();
  NewTerminal terminal{make_uuid(), decoded->terminal_name, storage_.hash_secret(token),
                       now + kTokenLifetimeMs, ""};
  if (decoded->previous_token && !decoded->previous_token->empty())
    terminal.replaces_token_hash = storage_.hash_secret(*decoded->previous_token);
  auto enrolled = storage_.redeem_enrollment_code(
      storage_.hash_secret(normalize_enrollment_code(decoded->code)), terminal, now);
  if (!enrolled) return storage_error(enrolled.error());
  if (!enrolled.value()) {
    per_address_.record_failure(request.client_address, now);
    overall_.record_failure("", now);
    return error_response(403, "bad_enrollment_code",
                          "The enrollment code is wrong, already used or expired. Ask head "
                          "office for a new one: kiosk-hq enroll-code --store ID");
  }
  per_address_.record_success(request.client_address);
  // The token handed over is revoked now: this process stops believing it too.
  if (!terminal.replaces_token_hash.empty()) tokens_.forget(terminal.replaces_token_hash);
  const EnrolledTerminal& e = *enrolled.value();
  protocol::EnrollResponse out{e.terminal_id, e.store_id, e.store_name, token};
  out.token_expires_at_ms = terminal.token_expires_at_ms;
  return ok_json(protocol::encode(out));
}

struct SyncApi::Caller {
  TokenCheck check;
  std::string token_hash;  // of the presented token
};

std::variant<SyncApi::Caller, ApiResponse> SyncApi::authenticate(const ApiRequest& request) const {
  using State = TokenCheck::State;
  const std::string token = bearer_token(request.authorization);
  if (token.empty())
    return unauthorized("unauthorized",
                        "This terminal sent no token, so head office does not know it; enroll "
                        "the terminal with a code from head office.");
  Caller caller{{}, storage_.hash_secret(token)};
  const std::int64_t now = clock_();
  // A token found current a moment ago is believed without the database (token_cache.h).
  if (auto cached = tokens_.find(caller.token_hash, now)) {
    caller.check = std::move(*cached);
    return caller;
  }
  auto check = storage_.check_token(caller.token_hash, unkeyed_hash(token), now);
  if (!check) return storage_error(check.error());
  caller.check = std::move(check.value());
  tokens_.remember(caller.token_hash, caller.check, now, kRotateTokenBeforeMs);
  switch (caller.check.state) {
    case State::current:
    case State::previous:
      return caller;
    case State::revoked:
      return unauthorized(
          "terminal_revoked",
          "This terminal was revoked at head office on " +
              core::utc_minute(caller.check.revoked_at_ms) +
              (caller.check.revoked_reason.empty() ? std::string()
                                                   : " (" + caller.check.revoked_reason + ")") +
              ", so it no longer syncs; its data stays on the terminal. Ask "
              "head office for a new code and re-enroll it if it should sync.");
    case State::expired:
      return unauthorized("token_expired",
                          "This terminal's token expired at head office on " +
                              core::utc_minute(caller.check.expires_at_ms) +
                              " (it did not sync for a long time). Ask head office for a new "
                              "code and re-enroll the terminal.");
    case State::outdated:
      return unauthorized("token_outdated",
                          "Head office changed how it keeps terminal tokens and this terminal's "
                          "token dates from before. Ask head office for a new code and "
                          "re-enroll the terminal; its queued events are kept.");
    case State::unknown:
      break;
  }
  return unauthorized("unauthorized",
                      "This terminal is not enrolled at head office (its token is unknown). "
                      "Re-enroll the terminal with a new code from head office.");
}

void SyncApi::maintain_token(const Caller& caller, protocol::SyncResponse& response) const {
  const std::int64_t now = clock_();
  const TokenCheck& c = caller.check;
  const bool due =
      c.state == TokenCheck::State::previous || c.expires_at_ms - now < kRotateTokenBeforeMs;
  if (!due) {
    // The terminal uses its new token: the one before it stops working.
    if (c.has_previous) {
      auto forgot = storage_.forget_previous_token(c.terminal.terminal_id);
      if (!forgot && error_log_) error_log_("could not drop a previous token: " + forgot.error());
    }
    return;
  }
  const std::string token = make_token();
  auto rotated = storage_.rotate_token(c.terminal.terminal_id, caller.token_hash,
                                       storage_.hash_secret(token), now + kTokenLifetimeMs);
  if (!rotated) {
    // Not fatal: the presented token still works and the next sync tries again.
    if (error_log_) error_log_("could not rotate a terminal token: " + rotated.error());
    return;
  }
  if (!rotated.value()) return;
  response.new_token = token;
  response.token_expires_at_ms = now + kTokenLifetimeMs;
}

namespace {

// Bounds of the page cache: pages of woken long-polls are small (a store's newest changes);
// a larger one (a catch-up) is read for its terminal alone.
constexpr std::size_t kMaxCachedStores = 4096;
constexpr std::size_t kMaxCachedPagesPerStore = 4;
constexpr std::size_t kMaxCachedChangesPerPage = 64;

}  // namespace

Result<protocol::SyncResponse> SyncApi::read_only_sync(const TerminalIdentity& terminal,
                                                       const protocol::SyncRequest& request,
                                                       std::int64_t store_seq) const {
  {
    std::lock_guard lock(pages_mutex_);
    const auto store = pages_.find(terminal.store_id);
    if (store != pages_.end() && store->second.seq == store_seq) {
      const auto page = store->second.by_cursor.find(request.cursor);
      if (page != store->second.by_cursor.end()) {
        protocol::SyncResponse out;
        out.cursor = page->second.cursor;
        out.changes = page->second.changes;
        out.more = page->second.more;
        out.server_time_ms = clock_();
        return out;
      }
    }
  }
  auto read = storage_.sync_stored(terminal, request, clock_());
  if (!read || read->more || read->changes.size() > kMaxCachedChangesPerPage) return read;
  std::lock_guard lock(pages_mutex_);
  if (pages_.size() >= kMaxCachedStores && pages_.count(terminal.store_id) == 0) pages_.clear();
  StorePages& pages = pages_[terminal.store_id];
  if (pages.seq > store_seq) return read;  // a wake-up older than the cached pages
  if (pages.seq < store_seq) {             // the store moved: its older pages are stale
    pages.seq = store_seq;
    pages.by_cursor.clear();
  }
  if (pages.by_cursor.size() < kMaxCachedPagesPerStore)
    pages.by_cursor.emplace(request.cursor, Page{read->cursor, read->changes, read->more});
  return read;
}

std::optional<HoldFor> SyncApi::hold_without_database(const ApiRequest& request) const {
  // A caught-up long-poll's body is a cursor and a wait: a larger one (events to apply) is
  // left to a worker without parsing it on the network thread.
  constexpr std::size_t kMaxLongPollBodyBytes = 4096;
  if (request.answer_now || request.body_too_large || request.method != "POST" ||
      request.path != "/v1/sync" || request.body.size() > kMaxLongPollBodyBytes ||
      request.body.find("\"wait_ms\"") == std::string::npos)
    return std::nullopt;
  const std::string token = bearer_token(request.authorization);
  if (token.empty()) return std::nullopt;
  // Only a token believed without the database; any other goes to a worker, which checks it.
  const auto cached = tokens_.find(storage_.hash_secret(token), clock_());
  if (!cached || cached->state != TokenCheck::State::current) return std::nullopt;
  auto decoded = protocol::decode_sync_request(request.body);
  if (!decoded || decoded->wait_ms <= 0 || !decoded->events.empty() || !decoded->unreadable.empty())
    return std::nullopt;
  return HoldFor{cached->terminal.store_id, decoded->cursor, decoded->wait_ms};
}

ApiResponse SyncApi::sync(const ApiRequest& request) const {
  // A woken long-poll whose store's changefeed is not past its cursor: its wait ran out with
  // nothing new. Its token was checked when it was held, so it is answered without the
  // database (an empty answer, as a read would give).
  std::optional<protocol::SyncRequest> early;
  if (request.answer_now && request.store_seq) {
    auto decoded = protocol::decode_sync_request(request.body);
    if (decoded && decoded->events.empty() && decoded->unreadable.empty() &&
        *request.store_seq <= decoded->cursor) {
      protocol::SyncResponse quiet;
      quiet.cursor = decoded->cursor;
      quiet.server_time_ms = clock_();
      quiet.features = {protocol::kFeatureGzipRequests, protocol::kFeatureWait};
      return ok_json(protocol::encode(quiet));
    }
    if (decoded) early = std::move(decoded.value());
  }

  auto auth = authenticate(request);
  if (auto* refusal = std::get_if<ApiResponse>(&auth)) return std::move(*refusal);
  const Caller& caller = std::get<Caller>(auth);
  const TerminalIdentity& terminal = caller.check.terminal;

  if (!early) {
    auto decoded = protocol::decode_sync_request(request.body);
    if (!decoded) return bad_request(decoded.error());
    early = std::move(decoded.value());
  }
  protocol::SyncRequest& sync_request = *early;
  // Escalation ids are UUIDs: one letter case at HQ, so "ABC..." cannot be a second "abc...".
  for (auto& event : sync_request.events) event.escalation.id = lowercase(event.escalation.id);

  // Each event is judged alone against its kind's contract; only the good ones reach storage,
  // and the rest of the batch flows whatever one bad event holds.
  std::vector<protocol::RejectedEvent> rejected = std::move(sync_request.unreadable);
  std::vector<protocol::Event> acceptable;
  for (auto& event : sync_request.events) {
    if (auto why = protocol::check_event(event))
      rejected.push_back({event.id, *why});
    else
      acceptable.push_back(std::move(event));
  }
  sync_request.events = std::move(acceptable);

  // A woken long-poll with nothing to apply shares its store's page with the other terminals
  // woken at the same cursor and seq; anything else reads (and writes) the database itself.
  const bool shared_page =
      request.answer_now && request.store_seq && sync_request.events.empty() && rejected.empty();
  auto response = shared_page ? read_only_sync(terminal, sync_request, *request.store_seq)
                              : storage_.sync_stored(terminal, sync_request, clock_());
  if (!response) return storage_error(response.error());
  response->rejected.insert(response->rejected.begin(), rejected.begin(), rejected.end());
  maintain_token(caller, response.value());
  protocol::SyncResponse& answer = response.value();
  answer.features = {protocol::kFeatureGzipRequests, protocol::kFeatureWait};
  if (sync_request.wait_ms > 0 && !request.answer_now && answer.acked.empty() &&
      answer.rejected.empty() && answer.changes.empty() && !answer.more && !answer.new_token) {
    ApiResponse held;
    held.hold = HoldFor{terminal.store_id, sync_request.cursor, sync_request.wait_ms};
    return held;
  }
  return ok_json(protocol::encode(answer));
}

}  // namespace kiosk::sync::hq
