#include "sync/sources/libxml_init.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <mutex>

namespace kiosk::sync::sources {
namespace {

void ignore_generic(void*, const char*, ...) {}
void ignore_structured(void*, xmlErrorPtr) {}

}  // namespace

void ensure_libxml_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  // libxml2 keeps its error handlers per thread.
  thread_local bool silenced = false;
  if (!silenced) {
    xmlSetGenericErrorFunc(nullptr, ignore_generic);
    xmlSetStructuredErrorFunc(nullptr, ignore_structured);
    silenced = true;
  }
}

}  // namespace kiosk::sync::sources
