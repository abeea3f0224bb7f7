// Finds and loads libkiosk_sync_http.so on first use (http_module.h says where and why).
#include "platform/modules/module_loader.h"
#include "sync/client/http_module.h"

namespace kiosk::sync::client {
namespace {

bool fits(const void* t) {
  const auto* table = static_cast<const HttpModuleTable*>(t);
  return table->abi == kHttpModuleAbi && table->request_size == sizeof(HttpRequest) &&
         table->response_size == sizeof(HttpResponse);
}

const HttpModuleTable* table_or(std::string& problem) {
  static platform::Module module(
      {"the sync module", kHttpModuleFile, "KIOSK_SYNC_MODULE", "kiosk_sync_http_module"}, fits);
  return static_cast<const HttpModuleTable*>(module.table(problem));
}

HttpResponse unavailable(std::string problem) {
  HttpResponse r;
  r.transport_error = std::move(problem);
  return r;
}

}  // namespace

std::optional<std::string> http_module_problem() {
  std::string problem;
  if (table_or(problem)) return std::nullopt;
  return problem;
}

ModuleHttpSession::ModuleHttpSession() {
  std::string problem;
  table_ = table_or(problem);
  if (table_) session_ = table_->session_open();
}

ModuleHttpSession::~ModuleHttpSession() {
  if (table_) table_->session_close(session_);
}

HttpResponse ModuleHttpSession::post(const HttpRequest& request) {
  if (!table_) return unavailable(http_module_problem().value_or("the sync module is missing"));
  return table_->session_perform(session_, request, true);
}

long ModuleHttpSession::connections_opened() const {
  return table_ ? table_->session_connections(session_) : 0;
}

std::optional<UrlTarget> module_url_target(const std::string& url) {
  std::string problem;
  const HttpModuleTable* table = table_or(problem);
  return table ? table->url_target(url) : std::nullopt;
}

HttpResponse module_http_post(const HttpRequest& request) {
  return ModuleHttpSession().post(request);
}

}  // namespace kiosk::sync::client
