#include "sync/hq/http/hq_server.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>

#include "sync/hq/storage/open_hq_storage.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/messages.h"

namespace kiosk::sync::hq {

std::string access_log_line(std::int64_t now_ms, const ApiRequest& request,
                            const ApiResponse& response, double duration_ms) {
  const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char tail[160];
  std::snprintf(tail, sizeof tail, " %d %.1fms in=%zuB out=%zuB", response.status, duration_ms,
                request.body.size(), response.body.size());
  std::string line = std::string(when) + " " + escape_for_log(request.method.substr(0, 16)) + " " +
                     escape_for_log(request.path.substr(0, 200)) + tail;
  if (!request.client_address.empty()) line += " from=" + escape_for_log(request.client_address);
  if (!response.request_id.empty()) line += " request=" + response.request_id;
  return line;
}

std::string escape_for_log(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

core::Result<std::unique_ptr<RunningServer>> start_server(const ServerOptions& options) {
  using R = core::Result<std::unique_ptr<RunningServer>>;
  auto storage =
      open_hq_storage(options.db_path, StorageMode::create_if_missing, options.secret_file);
  if (!storage) return R::failure(storage.error());

  std::unique_ptr<RunningServer> server(new RunningServer);
  server->storage_ = std::move(storage.value());
  server->api_ = std::make_unique<SyncApi>(*server->storage_, options.clock);
  server->api_->set_error_log(options.error_log);
  server->api_->set_ingest_key(options.ingest_key);
  server->admin_ = std::make_unique<AdminApi>(*server->storage_, options.clock, options.admin_key);

  HttpServerOptions http;
  http.listen = options.listen;
  http.listen_fd = options.listen_fd;
  http.threads = options.threads;
  http.workers = options.workers;
  http.queue_limit = options.queue_limit;
  http.max_body_bytes = protocol::kMaxRequestBytes;
  http.connection_limit = options.connection_limit;
  http.per_address_limit = options.per_address_limit;
  http.tls_cert_pem = options.tls_cert_pem;
  http.tls_key_pem = options.tls_key_pem;
  HqStorage* storage_for_live = server->storage_.get();
  http.latest_seq = [storage_for_live](const std::string& store_id) {
    return storage_for_live->latest_seq(store_id);
  };
  const SyncApi* api = server->api_.get();
  http.hold_without_worker = [api](const ApiRequest& r) { return api->hold_without_database(r); };
  const AdminApi* admin = server->admin_.get();
  auto handler = [api, admin, log = options.access_log, errors = options.error_log,
                  clock = options.clock,
                  after_sync = options.after_sync_with_events](const ApiRequest& r) {
    const auto start = std::chrono::steady_clock::now();
    ApiResponse response;
    try {
      response = r.path.rfind(kAdminPathPrefix, 0) == 0 ? admin->handle(r) : api->handle(r);
    } catch (const std::exception& e) {
      // The detail goes to the log only; the terminal gets a request id to quote.
      const std::string id = make_request_id();
      if (errors) errors("request " + id + " failed: " + e.what());
      response = error_response(500, "internal_error",
                                "Head office hit an unexpected error (request id " + id +
                                    "). Try again; if it keeps happening, tell head office IT "
                                    "the request id.");
      response.headers.emplace_back("X-Request-Id", id);
      response.request_id = id;
    }
    if (after_sync && response.status == 200 && r.path == "/v1/sync" &&
        (r.body.find("\"escalation\"") != std::string::npos ||
         r.body.find("\"escalation.re") != std::string::npos))
      after_sync();
    if (log && !response.hold) {  // a held long-poll is logged when it is answered
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      log(access_log_line(clock(), r, response, took.count()));
    }
    return response;
  };
  auto started = HttpServer::start(http, handler);
  if (!started) return R::failure(started.error());
  server->http_ = std::move(started.value());
  // A change this process commits wakes its store's held long-polls at once, without waiting
  // for the watcher's next pass (changes from other processes still wake them at that pass).
  HttpServer* http_for_live = server->http_.get();
  server->storage_->set_change_listener(
      [http_for_live](const std::string& store_id) { http_for_live->store_changed(store_id); });
  return server;
}

}  // namespace kiosk::sync::hq
