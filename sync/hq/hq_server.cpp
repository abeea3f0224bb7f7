#include "sync/hq/hq_server.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "sync/protocol/messages.h"

namespace kiosk::sync::hq {

std::string access_log_line(std::int64_t now_ms, const ApiRequest& request,
                            const ApiResponse& response, double duration_ms) {
  const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char line[512];
  std::snprintf(line, sizeof line, "%s %s %s %d %.1fms in=%zuB out=%zuB", when,
                request.method.c_str(), request.path.substr(0, 200).c_str(), response.status,
                duration_ms, request.body.size(), response.body.size());
  return line;
}

core::Result<std::unique_ptr<RunningServer>> start_server(const ServerOptions& options) {
  using R = core::Result<std::unique_ptr<RunningServer>>;
  auto storage =
      SqliteHqStorage::open(options.db_path, SqliteHqStorage::OpenMode::create_if_missing);
  if (!storage) return R::failure(storage.error());

  std::unique_ptr<RunningServer> server(new RunningServer);
  server->storage_ = std::move(storage.value());
  server->api_ = std::make_unique<SyncApi>(*server->storage_, options.clock);

  HttpServerOptions http;
  http.listen = options.listen;
  http.threads = options.threads;
  http.max_body_bytes = protocol::kMaxRequestBytes;
  const SyncApi* api = server->api_.get();
  auto handler = [api, log = options.access_log, clock = options.clock](const ApiRequest& r) {
    const auto start = std::chrono::steady_clock::now();
    ApiResponse response = api->handle(r);
    if (log) {
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      log(access_log_line(clock(), r, response, took.count()));
    }
    return response;
  };
  auto started = HttpServer::start(http, handler);
  if (!started) return R::failure(started.error());
  server->http_ = std::move(started.value());
  return server;
}

}  // namespace kiosk::sync::hq
