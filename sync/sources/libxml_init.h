#pragma once
// libxml2 is set up once per process: its parser tables initialised and its default error
// printer silenced (parsers report damage through their own results, not on stderr).
namespace kiosk::sync::sources {

void ensure_libxml_initialised();

}  // namespace kiosk::sync::sources
