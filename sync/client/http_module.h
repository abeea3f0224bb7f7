#pragma once
// The kiosk's HTTP(S) as a module of its own, libkiosk_sync_http.so: http_client.cpp and
// libcurl's whole dependency tree (TLS, Kerberos, LDAP, ...) are loaded with dlopen the first
// time a sync needs them, not by the dynamic loader before the window's first frame
// (docs/performance.md, "Kiosk window"). The sync client (sync_session.cpp) talks to head
// office only through this file; kiosk-hq, tests and benches that call http_client.h link
// sync_http (and curl) directly.
//
// Where the module is looked for: the file named by KIOSK_SYNC_MODULE when that is set (the
// build tree's tests, whose programs are not next to it), else next to the running program
// (the folder of /proc/self/exe), where the build puts it beside `kiosk`.
// When it is missing or does not load, every request fails at once with a sentence saying so
// (http_module_problem), the sync reports it as its last error and the kiosk keeps working
// offline: nothing queued is lost, and the next sync tries to load it again.
#include <cstddef>
#include <optional>
#include <string>

#include "sync/client/http_client.h"

namespace kiosk::sync::client {

// The module's file name, looked for next to the program.
inline constexpr const char* kHttpModuleFile = "libkiosk_sync_http.so";

// Bumped whenever HttpModuleTable or the types it passes change, so a kiosk refuses a module
// left over from another build instead of crashing in it.
inline constexpr int kHttpModuleAbi = 1;

// What the module exports (kiosk_sync_http_module below): plain function pointers over the
// types of http_client.h. Both sides are built together by this project's build.
struct HttpModuleTable {
  int abi;                    // kHttpModuleAbi of the module's build
  std::size_t request_size;   // sizeof(HttpRequest) there
  std::size_t response_size;  // sizeof(HttpResponse) there
  void* (*session_open)();    // a new HttpSession
  void (*session_close)(void* session);
  HttpResponse (*session_perform)(void* session, const HttpRequest& request, bool post);
  long (*session_connections)(void* session);  // HttpSession::connections_opened
  std::optional<UrlTarget> (*url_target)(const std::string& url);
};

// Why the module cannot be used, in words store IT understands ("the sync module
// libkiosk_sync_http.so is missing next to kiosk (/opt/kiosk): reinstall the kiosk"), or
// nullopt once it is loaded. Loads it on the first call (thread-safe); a failure is tried
// again on the next call.
std::optional<std::string> http_module_problem();

// HttpSession through the module: one kept-alive connection for all the rounds of one sync.
// Without the module every request answers status 0 with http_module_problem() as its
// transport error. Not thread-safe: one session per thread.
class ModuleHttpSession {
 public:
  ModuleHttpSession();
  ~ModuleHttpSession();
  ModuleHttpSession(const ModuleHttpSession&) = delete;
  ModuleHttpSession& operator=(const ModuleHttpSession&) = delete;

  HttpResponse post(const HttpRequest& request);
  long connections_opened() const;

 private:
  const HttpModuleTable* table_ = nullptr;
  void* session_ = nullptr;  // the module's HttpSession
};

// url_target (curl's URL parser) through the module; nullopt without it.
std::optional<UrlTarget> module_url_target(const std::string& url);

// One POST on a connection of its own, through the module.
HttpResponse module_http_post(const HttpRequest& request);

}  // namespace kiosk::sync::client

// The module's one exported symbol.
extern "C" const kiosk::sync::client::HttpModuleTable* kiosk_sync_http_module();
