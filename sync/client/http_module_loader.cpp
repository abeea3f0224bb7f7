// Finds and loads libkiosk_sync_http.so on first use (http_module.h says where and why).
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "sync/client/http_module.h"

namespace kiosk::sync::client {
namespace {

struct Loaded {
  std::mutex mutex;
  const HttpModuleTable* table = nullptr;  // set once, never unloaded
};

Loaded& loaded() {
  static Loaded l;
  return l;
}

// The table, or why not (with loaded().mutex held).
const HttpModuleTable* load(std::string& problem) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  const std::string program = ec ? std::string("kiosk") : self.filename().string();
  fs::path file;
  std::string where;    // "libkiosk_sync_http.so next to kiosk (/opt/kiosk)"
  std::string missing;  // "libkiosk_sync_http.so is missing next to kiosk (/opt/kiosk)"
  if (const char* env = std::getenv("KIOSK_SYNC_MODULE"); env && *env) {
    file = env;
    where = file.string() + " (KIOSK_SYNC_MODULE)";
    missing = where + " is missing";
  } else {
    file = (ec ? fs::path(".") : self.parent_path()) / kHttpModuleFile;
    const std::string beside = program + " (" + file.parent_path().string() + ")";
    where = std::string(kHttpModuleFile) + " next to " + beside;
    missing = std::string(kHttpModuleFile) + " is missing next to " + beside;
  }
  const std::string reinstall = ": reinstall the kiosk.";
  if (!fs::exists(file, ec)) {
    problem = "the sync module " + missing + reinstall;
    return nullptr;
  }
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    problem = "the sync module " + where + " could not be loaded (" +
              (why ? why : "unknown reason") + ")" + reinstall;
    return nullptr;
  }
  using Entry = const HttpModuleTable* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "kiosk_sync_http_module"));
  const HttpModuleTable* table = entry ? entry() : nullptr;
  if (!table || table->abi != kHttpModuleAbi || table->request_size != sizeof(HttpRequest) ||
      table->response_size != sizeof(HttpResponse)) {
    dlclose(handle);
    problem = "the sync module " + where + " belongs to another version of the kiosk" + reinstall;
    return nullptr;
  }
  return table;  // kept loaded until the process ends: curl is not made to be unloaded
}

const HttpModuleTable* table_or(std::string& problem) {
  Loaded& l = loaded();
  std::lock_guard lock(l.mutex);
  if (l.table) return l.table;
  l.table = load(problem);
  return l.table;
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
