#include "sync/client/sync_session.h"

#include "sync/client/http_client.h"
#include "sync/protocol/json_codec.h"

namespace kiosk::sync::client {
namespace {

namespace protocol = kiosk::sync::protocol;

// Bounds one sync_once call: a terminal far behind catches up over several calls rather
// than holding the worker in one endless loop.
constexpr int kMaxRoundsPerSync = 100;

std::string trim_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Why HQ said no, in words: its own message when it sent one, else the status.
std::string describe_http_failure(const HttpResponse& r, const std::string& url) {
  if (!r.answered()) return r.transport_error + " (" + url + ")";
  auto err = protocol::decode_error(r.body);
  if (err) return err->message;
  if (r.status == 404)
    return "head office at " + url + " does not offer this service: check the --hq address";
  return "head office answered HTTP " + std::to_string(r.status) + " with no explanation";
}

store::SyncBatch to_batch(const protocol::SyncResponse& r, std::int64_t now_ms) {
  store::SyncBatch b;
  b.acked_event_ids = r.acked;
  for (const auto& rej : r.rejected) b.rejected.emplace_back(rej.id, rej.reason);
  for (const auto& c : r.changes) {
    if (c.mention) b.mentions.push_back(*c.mention);
    if (c.escalation) b.escalations.push_back(*c.escalation);
  }
  b.new_cursor = r.cursor;
  b.now_ms = now_ms;
  return b;
}

}  // namespace

EnrollOutcome enroll(store::Store& store, const std::string& hq_url, const std::string& code,
                     const std::string& terminal_name) {
  EnrollOutcome out;
  const std::string base = trim_trailing_slash(hq_url);
  HttpRequest req;
  req.url = base + "/v1/enroll";
  protocol::EnrollRequest enroll_request{code, terminal_name};
  // HQ revokes the token this terminal held before, so it cannot sync any more.
  if (const auto before = store.enrollment()) enroll_request.previous_token = before->token;
  req.body = protocol::encode(enroll_request);
  const HttpResponse r = http_post(req);
  if (r.status != 200) {
    out.error = "Enrollment failed: " + describe_http_failure(r, base);
    return out;
  }
  auto decoded = protocol::decode_enroll_response(r.body);
  if (!decoded) {
    out.error = "Enrollment failed: head office sent an answer this kiosk cannot read (" +
                decoded.error() + ")";
    return out;
  }
  out.enrollment = {base, decoded->terminal_id, decoded->store_id, decoded->store_name,
                    decoded->token};
  store.save_enrollment(out.enrollment);
  out.ok = true;
  return out;
}

SyncOutcome sync_once(store::Store& store, std::int64_t now_ms) {
  SyncOutcome out;
  const auto enrollment = store.enrollment();
  if (!enrollment) {
    out.error =
        "This terminal is not enrolled with head office: run kiosk enroll --hq URL --code CODE";
    out.needs_enrollment = true;
    store.record_sync_failure(out.error, now_ms);
    return out;
  }
  for (int round = 0; round < kMaxRoundsPerSync; ++round) {
    const auto pending = store.pending_events(protocol::kMaxEventsPerRequest);
    protocol::SyncRequest request;
    request.cursor = store.sync_state().cursor;
    std::vector<std::string> sent_ids;
    for (const auto& p : pending) {
      request.events.push_back({p.event_id, p.kind, p.hlc, p.escalation});
      sent_ids.push_back(p.event_id);
    }
    if (!sent_ids.empty()) store.count_attempt(sent_ids);

    HttpRequest http;
    http.url = enrollment->hq_url + "/v1/sync";
    http.bearer_token = enrollment->token;
    http.body = protocol::encode(request);
    const HttpResponse r = http_post(http);
    if (r.status != 200) {
      out.error = "Sync failed: " + describe_http_failure(r, enrollment->hq_url);
      if (r.status == 401) {
        out.needs_enrollment = true;
        out.error += " (re-enroll this terminal: kiosk enroll --hq URL --code CODE)";
      }
      store.record_sync_failure(out.error, now_ms);
      return out;
    }
    auto decoded = protocol::decode_sync_response(r.body);
    if (!decoded) {
      out.error = "Sync failed: head office sent an answer this kiosk cannot read (" +
                  decoded.error() + "); nothing was changed and the outbox is kept";
      store.record_sync_failure(out.error, now_ms);
      return out;
    }
    store.apply_sync_batch(to_batch(*decoded, now_ms));
    // After the batch: if this is lost, the old token still works once and brings a new one.
    if (decoded->new_token) store.replace_token(*decoded->new_token);
    out.events_sent += static_cast<std::int64_t>(decoded->acked.size());
    out.events_rejected += static_cast<std::int64_t>(decoded->rejected.size());
    out.changes_applied += static_cast<std::int64_t>(decoded->changes.size());

    const bool outbox_drained = pending.size() < protocol::kMaxEventsPerRequest;
    if (!decoded->more && outbox_drained) {
      out.ok = true;
      return out;
    }
    if (decoded->acked.empty() && decoded->rejected.empty() && decoded->changes.empty()) {
      // HQ says there is more but sent nothing: stop rather than spin.
      break;
    }
  }
  out.ok = true;  // progress was made and committed; the next round continues from here
  return out;
}

}  // namespace kiosk::sync::client
