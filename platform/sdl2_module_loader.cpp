// The SDL2 window and the chime's audio through libkiosk_sdl2.so, loaded on first use
// (sdl2_module.h says where and why).
#include <imgui.h>

#include "platform/backends.h"
#include "platform/chime_audio.h"
#include "platform/modules/module_loader.h"
#include "platform/sdl2_module.h"

namespace platform {
namespace {

bool fits(const void* t) {
  const auto* table = static_cast<const Sdl2ModuleTable*>(t);
  return table->abi == kSdl2ModuleAbi && table->window_size == sizeof(Window) &&
         table->options_size == sizeof(WindowOptions) && table->imgui_io_size == sizeof(ImGuiIO);
}

const Sdl2ModuleTable* table_or(std::string& problem) {
  static Module module(
      {"the SDL2 module", kSdl2ModuleFile, "KIOSK_SDL2_MODULE", "kiosk_sdl2_module"}, fits);
  return static_cast<const Sdl2ModuleTable*>(module.table(problem));
}

}  // namespace

namespace detail {

std::unique_ptr<Window> create_sdl2_window(const WindowOptions& options, std::string* error) {
  std::string problem;
  const Sdl2ModuleTable* table = table_or(problem);
  if (!table) {
    set_error(error, "The SDL2 window cannot open: " + problem +
                         " Until then, --backend glfw opens the window without it.");
    return nullptr;
  }
  std::unique_ptr<Window> window(table->create_window(options, error));
  // This program's ImGui draws the screens into the module's context.
  if (window) ImGui::SetCurrentContext(table->imgui_context());
  return window;
}

std::uint32_t open_chime_audio(std::string* why) {
  std::string problem;
  const Sdl2ModuleTable* table = table_or(problem);
  if (table) return table->open_chime_audio(why);
  if (!problem.empty() && problem.back() == '.') problem.pop_back();
  *why = problem;
  return 0;
}

void play_chime_audio(std::uint32_t device, const std::int16_t* samples, std::size_t count) {
  std::string problem;
  if (const Sdl2ModuleTable* table = table_or(problem))
    table->play_chime_audio(device, samples, count);
}

void close_chime_audio(std::uint32_t device) {
  std::string problem;
  if (const Sdl2ModuleTable* table = table_or(problem)) table->close_chime_audio(device);
}

}  // namespace detail
}  // namespace platform
