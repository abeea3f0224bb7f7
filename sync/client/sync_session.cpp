#include "sync/client/sync_session.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "sync/client/http_module.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"

namespace kiosk::sync::client {
namespace {

namespace protocol = kiosk::sync::protocol;
using core::Error;
using core::ErrorKind;

constexpr const char* kEnrollHint = "Re-enroll this terminal: kiosk enroll --hq URL --code CODE";

std::string trim_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Why HQ said no, as an Error whose kind follows the HTTP status and HQ's error code.
Error describe_http_failure(const HttpResponse& r, const std::string& url, const char* doing) {
  const std::string prefix = std::string(doing) + " failed: ";
  if (!r.answered()) {
    Error e{ErrorKind::retry_later, prefix + r.transport_error + " (" + url + ")", {}};
    switch (r.tls_problem) {
      case TlsProblem::untrusted:
        e.hint =
            "If head office uses a private CA or a self-signed certificate, enroll with "
            "--hq-ca-file FILE (its CA certificate, PEM); check that the address names the "
            "host the certificate was made for.";
        break;
      case TlsProblem::pin_mismatch:
        e.hint =
            "Head office's key changed or this is not head office: check the pin with head "
            "office IT (kiosk-hq prints it at start) and enroll again with --hq-pin.";
        break;
      case TlsProblem::ca_file:
        e.hint = "Check the file given with --hq-ca-file: it must be a readable PEM certificate.";
        break;
      case TlsProblem::handshake:
        e.hint = "Check that head office serves https:// at this address (not plain http).";
        break;
      case TlsProblem::none:
        break;
    }
    return e;
  }
  auto body = protocol::decode_error(r.body);
  std::string said = body ? body->message : "";
  if (r.status == 401 || r.status == 403)
    return {ErrorKind::reenroll,
            prefix + (said.empty() ? "head office does not know this terminal" : said),
            kEnrollHint};
  if (r.status == 400 || r.status == 426)
    return {ErrorKind::upgrade,
            prefix + (said.empty() ? "head office could not read this terminal's request" : said),
            "The kiosk and head office software versions may differ; update the older one."};
  if (r.status == 404 && said.empty())
    return {ErrorKind::retry_later,
            prefix + "head office at " + url + " does not offer this service",
            "Check the head office address (--hq)."};
  if (said.empty()) said = "head office answered HTTP " + std::to_string(r.status);
  return {ErrorKind::retry_later, prefix + said, {}};
}

// Moves the page's mentions and escalations out of r (its counts stay), so a page is not
// held twice while it is written.
store::SyncBatch to_batch(protocol::SyncResponse& r, std::int64_t now_ms) {
  store::SyncBatch b;
  b.acked_event_ids = r.acked;
  for (const auto& rej : r.rejected) b.rejected.emplace_back(rej.id, rej.reason);
  b.mentions.reserve(r.changes.size());
  for (auto& c : r.changes) {
    if (c.mention) b.mentions.push_back(std::move(*c.mention));
    if (c.escalation) b.escalations.push_back(std::move(*c.escalation));
    if (c.staff)
      b.staff.push_back({c.staff->member, c.staff->pin_hash, c.staff->active,
                         c.staff->pin_set_at_ms, c.staff->changed_at_ms});
    // Kinds added after version 1 carry a body; one that does not read is skipped (its seq
    // still moves the cursor), as a kind this terminal does not know would be.
    if (c.kind == "training_pack") {
      if (auto p = protocol::read_training_pack_change(c.body)) {
        store::ReceivedPack pack{p->pack, p->version, p->published_at_ms, {}};
        for (auto& f : p->files) pack.files.push_back({std::move(f.name), std::move(f.text)});
        b.packs.push_back(std::move(pack));
      }
    } else if (c.kind == "reply_outcome") {
      if (auto o = protocol::read_reply_outcome(c.body)) {
        store::ReplySuggestion outcome;
        outcome.id = o->suggestion_id;
        outcome.mention_id = o->mention_id;
        outcome.outcome = o->outcome;
        outcome.final_text = o->text;
        outcome.comment = o->comment;
        outcome.decided_by = o->decided_by;
        outcome.decided_at_ms = o->decided_at_ms;
        b.reply_outcomes.push_back(std::move(outcome));
      }
    }
    if (c.policy) b.policy_text = c.policy->text;  // the newest of the batch wins
  }
  b.new_cursor = r.cursor;
  b.now_ms = now_ms;
  return b;
}

// The next request: outbox events in order, as many as fit the count and byte budgets (at
// least one, which the contracts keep far below the server's limit). more_waiting tells
// whether the outbox holds events beyond this request.
protocol::SyncRequest next_request(store::Store& store, bool& more_waiting) {
  protocol::SyncRequest request;
  request.cursor = store.sync_state().cursor;
  const auto pending = store.pending_events(protocol::kMaxEventsPerRequest);
  std::size_t bytes = 0;
  for (const auto& p : pending) {
    protocol::Event e{p.event_id, p.kind, p.hlc, p.escalation, p.body};
    const std::size_t size = protocol::encoded_size(e);
    if (!request.events.empty() && bytes + size > protocol::kRequestBudgetBytes) break;
    bytes += size;
    request.events.push_back(std::move(e));
  }
  more_waiting =
      request.events.size() < pending.size() || pending.size() == protocol::kMaxEventsPerRequest;
  return request;
}

bool has_feature(const protocol::SyncResponse& r, const char* feature) {
  for (const auto& f : r.features)
    if (f == feature) return true;
  return false;
}

HttpRequest to_hq(const std::string& url, const std::string& ca_file, const std::string& pin) {
  HttpRequest req;
  req.url = url;
  req.ca_file = ca_file;
  req.pinned_public_key = pin;
  return req;
}

// One sync request's answer, read when it came with 200: what fetching a page gives, on the
// sync's own thread or on the one that fetches the next page while this one is applied.
struct Fetched {
  HttpResponse response;
  std::optional<core::Result<protocol::SyncResponse>> decoded;
};

Fetched fetch(ModuleHttpSession& session, const HttpRequest& request) {
  Fetched f{session.post(request), std::nullopt};
  if (f.response.status == 200) {
    f.decoded = protocol::decode_sync_response(f.response.body);
    // A page's JSON (up to 2 MiB) is not needed once decoded: not kept while it is written.
    std::string().swap(f.response.body);
  }
  return f;
}

// Without the sync module nothing can reach head office (http_module.h): a reinstall Error
// that says so, and that nothing is lost. The worker backs off and tries again, as the loader
// does, so a module put back is used without a restart.
std::optional<Error> module_missing() {
  if (auto problem = http_module_problem())
    return Error{ErrorKind::reinstall, *problem,
                 "Until then this terminal works offline and keeps every event queued for head "
                 "office."};
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_hq_address(const std::string& url, bool allow_plain_http,
                                      const std::string& ca_file, const std::string& pin) {
  if (auto missing = module_missing()) return missing;
  const auto target = module_url_target(url);
  if (!target || (target->scheme != "http" && target->scheme != "https"))
    return Error{ErrorKind::bad_input,
                 "the head office address \"" + url +
                     "\" must start with http:// or https:// and name a host",
                 "Give it as --hq https://HOST[:PORT]."};
  if (target->scheme == "http" && !allow_plain_http && !is_loopback_host(target->host))
    return Error{ErrorKind::bad_input,
                 "head office address uses plain http to a non-local host (" + target->host +
                     "): what the terminal sends could be read or changed on the way",
                 "Use https:// (kiosk-hq --tls-cert/--tls-key, or a reverse proxy that "
                 "terminates TLS), or pass --allow-plain-http to kiosk enroll on a network "
                 "you trust."};
  if (!pin.empty() && !is_public_key_pin(pin))
    return Error{ErrorKind::bad_input, "--hq-pin \"" + pin + "\" is not a public key pin",
                 "Give it as sha256// and the base64 SHA-256 of head office's public key (44 "
                 "characters; kiosk-hq prints it when it starts with --tls-cert), several "
                 "separated by ';'."};
  if (!ca_file.empty() && !std::ifstream(ca_file))
    return Error{ErrorKind::bad_input, "cannot read the CA file " + ca_file,
                 "Give --hq-ca-file a readable PEM file with head office's CA certificate."};
  return std::nullopt;
}

Error local_storage_error(const std::exception& e, std::string_view doing) {
  const std::string prefix = "This terminal's database " + std::string(doing) + ": ";
  const std::string fallback_hint =
      "Nothing already saved is lost; free disk space or ask store IT, then sync again.";
  // The store's own errors are a core::Error already (kind local_storage, with their hint).
  if (const auto* db = dynamic_cast<const store::StoreError*>(&e)) {
    Error out = db->error();
    out.message = prefix + out.message;
    if (out.hint.empty()) out.hint = fallback_hint;
    return out;
  }
  return {ErrorKind::local_storage, prefix + e.what(), fallback_hint};
}

namespace {

SyncOutcome fail(store::Store& store, SyncOutcome out, Error error, std::int64_t now_ms) {
  out.ok = false;
  out.error = std::move(error);
  try {
    store.record_sync_failure(out.error, now_ms);
  } catch (const std::exception&) {
    // The disk that failed the sync may refuse this too; the caller still gets the error.
  }
  return out;
}

}  // namespace

EnrollOutcome enroll(store::Store& store, const EnrollOptions& options) {
  EnrollOutcome out;
  const std::string base = trim_trailing_slash(options.hq_url);
  try {
    const auto before = store.enrollment();
    const std::int64_t queued = store.sync_state().events_waiting;
    if (auto missing = module_missing()) {
      out.error = *missing;
      out.error.message = "Enrollment failed: " + out.error.message;
      return out;
    }
    if (auto bad = check_hq_address(base, options.allow_plain_http, options.ca_file, options.pin)) {
      out.error = *bad;
      out.error.message = "Enrollment refused: " + out.error.message;
      return out;
    }
    // Kept as an absolute path: the window and later syncs may start in another folder.
    const std::string ca_file = options.ca_file.empty()
                                    ? std::string()
                                    : std::filesystem::absolute(options.ca_file).string();
    HttpRequest req = to_hq(base + "/v1/enroll", ca_file, options.pin);
    protocol::EnrollRequest enroll_request{options.code, options.terminal_name};
    // HQ revokes the token this terminal held before, so it cannot sync any more. Not while
    // events wait: they still need that token if the new code turns out to be another
    // store's (the move is then refused and they are sent first).
    if (before && queued == 0) enroll_request.previous_token = before->token;
    req.body = protocol::encode(enroll_request);
    const HttpResponse r = module_http_post(req);
    if (r.status != 200) {
      out.error = describe_http_failure(r, base, "Enrollment");
      if (out.error.kind == ErrorKind::reenroll) {
        out.error.kind = ErrorKind::bad_input;
        out.error.hint = "Ask head office for a new code: kiosk-hq enroll-code --store ID";
      }
      return out;
    }
    auto decoded = protocol::decode_enroll_response(r.body);
    if (!decoded) {
      out.error = {ErrorKind::upgrade,
                   "Enrollment failed: head office sent an answer this kiosk cannot read (" +
                       decoded.error() + ")",
                   {}};
      return out;
    }
    out.enrollment = {
        base,    decoded->terminal_id, decoded->store_id,       decoded->store_name, decoded->token,
        ca_file, options.pin,          options.allow_plain_http};
    out.moved_store = before && before->store_id != decoded->store_id;
    if (out.moved_store && queued > 0 && !options.discard_queued) {
      out.error = {ErrorKind::bad_input,
                   "This code enrolls the terminal at store " + decoded->store_id + " (" +
                       decoded->store_name + "), but " + std::to_string(queued) +
                       " events for store " + before->store_id +
                       " have not reached head office yet. Nothing was changed on this terminal.",
                   "Send them first (kiosk sync --once), or give them up with "
                   "kiosk enroll ... --discard-queued; then ask head office for a new code."};
      return out;
    }
    if (out.moved_store)
      store.enroll_at_new_store(out.enrollment);
    else
      store.save_enrollment(out.enrollment);
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = local_storage_error(e, "failed");
  }
  return out;
}

SyncOutcome sync_once(store::Store& store, std::int64_t now_ms, const std::atomic<bool>* cancel,
                      std::int64_t wait_ms, const CatchUpOptions& options) {
  SyncOutcome out;
  ModuleHttpSession session;
  struct CountConnections {
    SyncOutcome& out;
    ModuleHttpSession& session;
    ~CountConnections() { out.connections = session.connections_opened(); }
  } count{out, session};
  // The next page, asked for while the current one is applied (options.fetch_ahead); declared
  // after the session, so leaving early waits for it before the session goes.
  std::future<Fetched> ahead;
  protocol::SyncRequest ahead_request;
  try {
    const auto enrollment = store.enrollment();
    if (!enrollment)
      return fail(store, out,
                  {ErrorKind::reenroll, "This terminal is not enrolled with head office.",
                   "Enroll it: kiosk enroll --hq URL --code CODE"},
                  now_ms);
    if (auto missing = module_missing()) {
      missing->message = "Sync failed: " + missing->message;
      return fail(store, out, *missing, now_ms);
    }
    // Also an enrollment made before plain http to other hosts was refused.
    if (auto bad = check_hq_address(enrollment->hq_url, enrollment->allow_plain_http,
                                    enrollment->hq_ca_file, enrollment->hq_pin)) {
      bad->message = "Sync refused: " + bad->message;
      return fail(store, out, *bad, now_ms);
    }
    const auto to_sync = [&](const protocol::SyncRequest& request) {
      HttpRequest http =
          to_hq(enrollment->hq_url + "/v1/sync", enrollment->hq_ca_file, enrollment->hq_pin);
      http.bearer_token = enrollment->token;
      http.body = protocol::encode(request);
      http.cancel = cancel;
      http.gzip_body = out.hq_reads_gzip;
      if (request.wait_ms > 0) http.timeout_ms = static_cast<long>(request.wait_ms) + 15000;
      return http;
    };
    while (true) {
      if (cancel && cancel->load())
        return fail(store, out,
                    {ErrorKind::retry_later, "Sync was stopped before it finished.",
                     "What arrived so far is kept; the next sync goes on from there."},
                    now_ms);
      bool more_events = false;
      protocol::SyncRequest request;
      Fetched fetched;
      if (ahead.valid()) {
        // Asked for while the previous page was applied: no events, that page's cursor.
        request = std::move(ahead_request);
        fetched = ahead.get();
      } else {
        request = next_request(store, more_events);
        request.max_changes = options.page_changes;
        // Only the first request of a sync may wait, and only with nothing to send.
        if (out.rounds == 0 && request.events.empty()) request.wait_ms = wait_ms;
        std::vector<std::string> sent_ids;
        for (const auto& e : request.events) sent_ids.push_back(e.id);
        if (!sent_ids.empty()) store.count_attempt(sent_ids);
        fetched = fetch(session, to_sync(request));
      }
      const HttpResponse& r = fetched.response;
      out.bytes_sent += r.body_bytes_sent;
      out.bytes_received += r.body_bytes_received;
      if (r.status != 200 && request.wait_ms > 0 && cancel && cancel->load()) {
        // A long-poll ended on purpose ("Sync now", quitting): not a failure to record.
        out.error = {ErrorKind::retry_later, "The wait for changes was ended.", {}};
        return out;
      }
      if (r.status != 200)
        return fail(store, out, describe_http_failure(r, enrollment->hq_url, "Sync"), now_ms);
      auto& decoded = *fetched.decoded;
      if (!decoded)
        return fail(store, out,
                    {ErrorKind::retry_later,
                     "Sync failed: head office sent an answer this kiosk cannot read (" +
                         decoded.error() + "); nothing was changed and the outbox is kept",
                     {}},
                    now_ms);
      ++out.rounds;
      out.hq_reads_gzip = has_feature(*decoded, protocol::kFeatureGzipRequests);
      out.hq_can_wait = has_feature(*decoded, protocol::kFeatureWait);
      // The next page's cursor is in this answer: in a catch-up with nothing to send, the next
      // page crosses the link while this one is written. The store's cursor still moves only
      // with a committed page, so an interrupted sync resumes after the last one committed.
      if (options.fetch_ahead && decoded->more && !decoded->changes.empty() &&
          request.events.empty() && !more_events && !decoded->new_token) {
        ahead_request = protocol::SyncRequest{};
        ahead_request.cursor = decoded->cursor;
        ahead_request.max_changes = options.page_changes;
        ahead = std::async(std::launch::async, [&session, http = to_sync(ahead_request)] {
          return fetch(session, http);
        });
      }
      const auto apply_start = std::chrono::steady_clock::now();
      store.apply_sync_batch(to_batch(*decoded, now_ms));
      out.apply_us += std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - apply_start)
                          .count();
      // After the batch: if this is lost, the old token still works once and brings a new one.
      if (decoded->new_token) store.replace_token(*decoded->new_token);
      out.events_sent += static_cast<std::int64_t>(decoded->acked.size());
      out.events_rejected += static_cast<std::int64_t>(decoded->rejected.size());
      out.changes_applied += static_cast<std::int64_t>(decoded->changes.size());

      if (!decoded->more && !more_events) break;
      if (decoded->acked.empty() && decoded->rejected.empty() && decoded->changes.empty())
        return fail(store, out,
                    {ErrorKind::retry_later,
                     "Sync stopped: head office said more was waiting but sent nothing.",
                     "The next sync tries again."},
                    now_ms);
    }
  } catch (const std::exception& e) {
    return fail(store, out, local_storage_error(e, "failed"), now_ms);
  }
  out.ok = true;
  return out;
}

}  // namespace kiosk::sync::client
