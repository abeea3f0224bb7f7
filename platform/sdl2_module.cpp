// The inside of libkiosk_sdl2.so: the SDL2 window and the chime's audio behind the function
// table that sdl2_module_loader.cpp finds with dlsym. Built with hidden visibility, so this is
// the only symbol the module exports.
#include <imgui.h>

#include "platform/backends.h"
#include "platform/chime_audio.h"
#include "platform/sdl2_module.h"

namespace platform {
namespace {

Window* create_window(const WindowOptions& options, std::string* error) {
  return detail::create_sdl2_window(options, error).release();
}

ImGuiContext* imgui_context() {
  return ImGui::GetCurrentContext();
}

const Sdl2ModuleTable kTable{kSdl2ModuleAbi,
                             sizeof(Window),
                             sizeof(WindowOptions),
                             sizeof(ImGuiIO),
                             create_window,
                             imgui_context,
                             detail::open_chime_audio,
                             detail::play_chime_audio,
                             detail::close_chime_audio};

}  // namespace
}  // namespace platform

extern "C" __attribute__((visibility("default"))) const platform::Sdl2ModuleTable*
kiosk_sdl2_module() {
  return &platform::kTable;
}
