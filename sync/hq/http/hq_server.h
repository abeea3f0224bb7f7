#pragma once
// kiosk-hq wired together: storage (SQLite or PostgreSQL) + SyncApi + HttpServer. What `kiosk-hq
// serve` runs, and what tests start in-process:
//
//   auto server = start_server({.db_path = dir / "hq.sqlite", .listen = "127.0.0.1:0"});
//   if (!server) FAIL(server.error());
//   http_post({.url = (*server)->url() + "/v1/enroll", ...});
//
// Several servers (or processes) may share one database file.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kiosk/core/result.h"
#include "sync/hq/api/admin_api.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/http/http_server.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

struct ServerOptions {
  std::string db_path = "hq.sqlite";   // file or postgresql:// URL; created/migrated if missing
  std::string listen = "127.0.0.1:0";  // HOST:PORT; port 0 picks a free port
  unsigned threads = 2;                // epoll threads: sockets only (http_server.h)
  Clock clock = system_now_ms;         // tests inject one to expire codes without sleeping
  // One line per request for head-office IT (time, method, path, status, duration, sizes);
  // called from the worker threads. Empty: no access log.
  std::function<void(const std::string& line)> access_log;
  std::string secret_file = {};  // the server secret; empty: "<db_path>.secret" (tokens.h)
  // The detail of every 5xx answer, with its request id (called from worker threads).
  std::function<void(const std::string& line)> error_log = {};
  unsigned connection_limit = 0;    // 0: below the open-file limit (http_server.h)
  unsigned per_address_limit = 64;  // open connections from one client address
  // Called (from a worker thread) after a sync that carried events was answered 200: the
  // escalation ladder evaluates new escalations at once instead of at its next interval.
  std::function<void()> after_sync_with_events = {};
  // The API key of POST /v1/mentions (sync_api.h); empty: the route answers 403.
  std::string ingest_key = {};
  // The admin JSON API's key (admin_api.h); empty: the API is off.
  std::string admin_key = {};
  // Serve https:// with this certificate and key (PEM text, load_tls_identity in
  // tls_identity.h); empty: plain http.
  std::string tls_cert_pem = {};
  std::string tls_key_pem = {};
  // Threads that run requests against storage (each its own database connection); the
  // network threads above never wait on the database (http_server.h).
  unsigned workers = 4;
  unsigned queue_limit = 1024;  // requests waiting for a worker; more: 503 with Retry-After
  int listen_fd = -1;  // a socket bound already (HttpServerOptions::listen_fd); -1: bind listen
};

// Text safe for one log line: control characters, backslash and bytes that are not printable
// ASCII become \xNN, so a request cannot forge or break lines.
std::string escape_for_log(std::string_view text);

// The access-log line for one request (also what tests check).
std::string access_log_line(std::int64_t now_ms, const ApiRequest& request,
                            const ApiResponse& response, double duration_ms);

class RunningServer {
 public:
  std::uint16_t port() const { return http_->port(); }
  std::string url() const { return http_->url(); }  // "http://127.0.0.1:PORT" or https://
  unsigned connection_limit() const { return http_->connection_limit(); }
  unsigned per_address_limit() const { return http_->per_address_limit(); }
  HqStorage& storage() { return *storage_; }  // the server's own storage, for tests
  std::size_t held_connections() const { return http_->held_connections(); }
  void stop() { http_->stop(); }  // also done by the destructor
  ~RunningServer() {
    if (storage_) storage_->set_change_listener({});  // the HTTP server goes first
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

 private:
  friend core::Result<std::unique_ptr<RunningServer>> start_server(const ServerOptions&);
  RunningServer() = default;
  // Declared in construction order, destroyed in reverse: HTTP stops before what it uses.
  std::unique_ptr<HqStorage> storage_;
  std::unique_ptr<SyncApi> api_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<HttpServer> http_;
};

core::Result<std::unique_ptr<RunningServer>> start_server(const ServerOptions& options);

}  // namespace kiosk::sync::hq
