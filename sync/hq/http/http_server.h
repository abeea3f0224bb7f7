#pragma once
// HTTP/1.1 transport for kiosk-hq on libmicrohttpd (this file's .cpp is the only one that
// includes microhttpd.h). A few worker threads each run an epoll loop over many connections,
// so thousands of idle terminals cost file descriptors and a little memory, not a thread
// each. Requests are handed to a handler as ApiRequest (sync_api.h).
//
// Answers of 1 KiB or more go gzip-compressed to clients that accept gzip; request bodies with
// Content-Encoding: gzip are inflated up to max_body_bytes (past it: body_too_large, so a
// small compressed "bomb" costs no more memory than an honest request).
// A sync that asks to wait is held without a thread: the connection is suspended
// (MHD_suspend_connection) and resumed when its store's changefeed moves or its wait ends.
//
// The handler never runs on the epoll threads: once a request's body is in, its connection is
// suspended and the request queued for a small pool of worker threads (HttpServerOptions::
// workers), which resume it with the answer. A storage call that waits (a write lock held
// elsewhere, up to the busy timeout) holds one worker, never the connections of an epoll
// thread; /healthz and held long-polls go on. Past queue_limit requests waiting for a worker,
// new ones are answered 503 with Retry-After at once instead of queueing without bound.
// Memory freed by closed connections is handed back to the system (malloc_trim) after a
// burst of closes.
//
// Bodies larger than max_body_bytes are not buffered: a declared Content-Length over the
// limit is answered at once, a chunked body is discarded as it arrives; the handler then sees
// body_too_large.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kiosk/core/result.h"
#include "sync/hq/api/sync_api.h"

namespace kiosk::sync::hq {

struct ListenAddress {
  std::string host;        // IPv4 literal, e.g. "127.0.0.1" or "0.0.0.0"
  std::uint16_t port = 0;  // 0: the system picks a free port
};

// "127.0.0.1:8080", "localhost:0", "0.0.0.0:80". Errors say what a good value looks like.
core::Result<ListenAddress> parse_listen_address(const std::string& text);

struct HttpServerOptions {
  std::string listen = "127.0.0.1:0";
  // An already bound, listening socket to serve instead of binding `listen` (several server
  // processes sharing one port, see bind_listen_socket); the server closes it when it stops.
  int listen_fd = -1;
  unsigned threads = 2;  // epoll threads (sockets only, never the handler)
  unsigned workers = 4;  // threads that run the handler (storage, hashing)
  // Requests waiting for a worker at most; more are answered 503 with Retry-After. Held
  // long-polls woken by their store's changefeed are not counted: they were admitted already.
  unsigned queue_limit = 1024;
  // Memory one connection may use for its request line, headers and buffers (libmicrohttpd's
  // pool; bodies are handed over in pieces, so it bounds headers, not bodies).
  std::size_t connection_memory_bytes = 8 * 1024;
  std::size_t max_body_bytes = 1 << 20;  // larger bodies get body_too_large
  // A connection that sends nothing for this long is closed, so slow clients cannot hold
  // descriptors. Connections are kept alive between requests (a terminal's catch-up runs
  // all its pages on one); a held long-poll is not idle.
  unsigned idle_timeout_s = 30;
  // Open connections at once. 0: as many as the open-file limit allows, less a reserve for
  // the database, logs and the listening socket. A larger value is lowered to that too.
  unsigned connection_limit = 0;
  unsigned per_address_limit = 64;  // open connections from one client address at once
  // Long-poll: the highest change seq of a store. Held syncs (ApiResponse::hold) of a store
  // are answered once it passes their cursor, checked every live_check_ms (and at once after
  // store_changed()); without it they are answered when their wait runs out. A hold ends at
  // its wait_ms +-20 % (jitter), and one that ran out is asked again with the seq read
  // (ApiRequest::store_seq), so the handler can answer it without the database.
  std::function<core::Result<std::int64_t>(const std::string&)> latest_seq;
  unsigned live_check_ms = 200;
  // While requests wait for a worker, a new request that may be held at once without one
  // (SyncApi::hold_without_database): called on a network thread, it names the store and
  // cursor the request would wait on (or nothing: a worker handles it). It is held when that
  // cursor is the store's latest seq as the watcher last read it; a store that moved since is
  // seen at the watcher's next pass, which wakes it as any held long-poll.
  std::function<std::optional<HoldFor>(const ApiRequest&)> hold_without_worker;
  // TLS: with both set (PEM text, see tls_identity.h), connections are https:// only.
  std::string tls_cert_pem = {};
  std::string tls_key_pem = {};
};

// A bound, listening TCP socket on `listen` (HOST:PORT) for server processes to share
// (HttpServerOptions::listen_fd), with the port it got; errors are sentences for the operator.
struct ListenSocket {
  int fd = -1;
  std::uint16_t port = 0;
};
core::Result<ListenSocket> bind_listen_socket(const std::string& listen);

// Descriptors kept back from connections for SQLite files, the listening socket, epoll sets
// and logs.
inline constexpr unsigned kReservedFileDescriptors = 128;

// Raises the process's soft open-file limit (RLIMIT_NOFILE) to its hard limit and returns the
// soft limit now in force.
std::uint64_t raise_open_file_limit();

using HttpHandler = std::function<ApiResponse(const ApiRequest&)>;

class HttpServer {
 public:
  // Binds and starts serving; errors (bad address, port in use) are sentences for the
  // operator. handler runs on the worker threads, several at once.
  static core::Result<std::unique_ptr<HttpServer>> start(const HttpServerOptions& options,
                                                         HttpHandler handler);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Stops accepting, closes connections and joins the worker threads. Idempotent.
  void stop();
  std::uint16_t port() const;            // the bound port (the real one when 0 was asked)
  std::string url() const;               // "http://127.0.0.1:PORT" ("https://" with TLS)
  unsigned connection_limit() const;     // the limit in force (see HttpServerOptions)
  unsigned per_address_limit() const;    // open connections one client address may hold
  std::size_t held_connections() const;  // long-polls waiting right now
  // This process just committed a change to the store's changefeed: its held long-polls are
  // looked at now rather than at the watcher's next pass. A hint only (the watcher reads the
  // seq itself), so calling it too often or for a store without waiters costs little.
  void store_changed(const std::string& store_id);
  unsigned workers() const;  // handler threads in force

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::sync::hq
