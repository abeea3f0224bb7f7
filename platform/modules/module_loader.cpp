#include "platform/modules/module_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace platform {

const void* load_module(const ModuleSpec& spec, bool (*fits)(const void* table),
                        std::string& problem) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  const std::string program = ec ? std::string("kiosk") : self.filename().string();
  fs::path file;
  std::string where;    // "libkiosk_sync_http.so next to kiosk (/opt/kiosk)"
  std::string missing;  // "libkiosk_sync_http.so is missing next to kiosk (/opt/kiosk)"
  if (const char* env = std::getenv(spec.env); env && *env) {
    file = env;
    where = file.string() + " (" + spec.env + ")";
    missing = where + " is missing";
  } else {
    file = (ec ? fs::path(".") : self.parent_path()) / spec.file;
    const std::string beside = program + " (" + file.parent_path().string() + ")";
    where = std::string(spec.file) + " next to " + beside;
    missing = std::string(spec.file) + " is missing next to " + beside;
  }
  const std::string what = std::string(spec.what) + " ";
  const std::string reinstall = ": reinstall the kiosk.";
  if (!fs::exists(file, ec)) {
    problem = what + missing + reinstall;
    return nullptr;
  }
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    problem =
        what + where + " could not be loaded (" + (why ? why : "unknown reason") + ")" + reinstall;
    return nullptr;
  }
  using Entry = const void* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, spec.entry));
  const void* table = entry ? entry() : nullptr;
  if (!table || !fits(table)) {
    dlclose(handle);
    problem = what + where + " belongs to another version of the kiosk" + reinstall;
    return nullptr;
  }
  return table;  // kept loaded until the process ends: curl and SDL2 are not made to be unloaded
}

const void* Module::table(std::string& problem) {
  std::lock_guard lock(mutex_);
  if (!table_) table_ = load_module(spec_, fits_, problem);
  return table_;
}

}  // namespace platform
