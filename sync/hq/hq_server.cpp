#include "sync/hq/hq_server.h"

#include "sync/protocol/messages.h"

namespace kiosk::sync::hq {

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
  auto started = HttpServer::start(http, [api](const ApiRequest& r) { return api->handle(r); });
  if (!started) return R::failure(started.error());
  server->http_ = std::move(started.value());
  return server;
}

}  // namespace kiosk::sync::hq
