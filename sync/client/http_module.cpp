// The inside of libkiosk_sync_http.so: http_client.h's curl code behind the function table
// that http_module_loader.cpp finds with dlsym. Built with hidden visibility, so this is the
// only symbol the module exports.
#include "sync/client/http_module.h"

namespace kiosk::sync::client {
namespace {

void* session_open() {
  return new HttpSession();
}

void session_close(void* session) {
  delete static_cast<HttpSession*>(session);
}

HttpResponse session_perform(void* session, const HttpRequest& request, bool post) {
  auto* s = static_cast<HttpSession*>(session);
  return post ? s->post(request) : s->get(request);
}

long session_connections(void* session) {
  return static_cast<HttpSession*>(session)->connections_opened();
}

const HttpModuleTable kTable{kHttpModuleAbi,      sizeof(HttpRequest), sizeof(HttpResponse),
                             session_open,        session_close,       session_perform,
                             session_connections, url_target};

}  // namespace
}  // namespace kiosk::sync::client

extern "C" __attribute__((visibility("default"))) const kiosk::sync::client::HttpModuleTable*
kiosk_sync_http_module() {
  return &kiosk::sync::client::kTable;
}
