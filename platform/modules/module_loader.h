#pragma once
// Finds and loads one of the kiosk's own modules (libkiosk_sync_http.so, libkiosk_sdl2.so):
// libraries with large dependency trees that the kiosk loads with dlopen when it first needs
// them, not the dynamic loader before the window's first frame (docs/performance.md).
//
// Where a module is looked for: the file named by its environment variable when that is set
// (the build tree's tests and benches, whose programs are not next to it), else next to the
// running program (the folder of /proc/self/exe), where the build puts it beside `kiosk`.
#include <mutex>
#include <string>

namespace platform {

struct ModuleSpec {
  const char* what;   // "the sync module": how store IT hears of it
  const char* file;   // "libkiosk_sync_http.so", looked for next to the program
  const char* env;    // "KIOSK_SYNC_MODULE": a path that replaces the search
  const char* entry;  // its one exported function, returning its table
};

// Loads the module and calls its entry point; returns the table when fits(table) says it was
// built with this program (its ABI number and struct sizes). Otherwise nullptr, and problem
// says why in words store IT understands ("the sync module libkiosk_sync_http.so is missing
// next to kiosk (/opt/kiosk): reinstall the kiosk."). A loaded module is never unloaded.
const void* load_module(const ModuleSpec& spec, bool (*fits)(const void* table),
                        std::string& problem);

// One module of the program, loaded on the first table() call (thread-safe). A failure is tried
// again on the next call, so a module put back works without a restart.
class Module {
 public:
  Module(ModuleSpec spec, bool (*fits)(const void* table)) : spec_(spec), fits_(fits) {}
  // The module's table, or nullptr with problem set (load_module above).
  const void* table(std::string& problem);

 private:
  ModuleSpec spec_;
  bool (*fits_)(const void* table);
  std::mutex mutex_;
  const void* table_ = nullptr;  // set once, never unloaded
};

}  // namespace platform
