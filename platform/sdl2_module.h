#pragma once
// SDL2 as a module of its own, libkiosk_sdl2.so: the SDL2 window (sdl2_window.cpp) and the
// chime's audio (sdl2_audio.cpp) with libSDL2's dependency tree (PulseAudio, ALSA, Wayland,
// D-Bus, codecs: about 38 libraries) are loaded with dlopen when the SDL2 backend is chosen or
// the chime player's thread first opens audio, not by the dynamic loader before a GLFW
// window's first frame (docs/performance.md, "SDL2 out of the GLFW window's start-up").
// The rest of platform/ reaches SDL2 only through this table (sdl2_module_loader.cpp); the
// module is found as module_loader.h says, through KIOSK_SDL2_MODULE or next to the program.
//
// The module holds its own copy of Dear ImGui (Debian ships it as a static library): the
// window it makes draws with that copy, and the program's copy is pointed at the same
// ImGui context (imgui_context below), the way Dear ImGui documents for DLLs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "platform/window.h"

struct ImGuiContext;

namespace platform {

inline constexpr const char* kSdl2ModuleFile = "libkiosk_sdl2.so";

// Bumped whenever Sdl2ModuleTable or the types it passes change, so a kiosk refuses a module
// left over from another build instead of crashing in it.
inline constexpr int kSdl2ModuleAbi = 1;

struct Sdl2ModuleTable {
  int abi;                    // kSdl2ModuleAbi of the module's build
  std::size_t window_size;    // sizeof(Window) there
  std::size_t options_size;   // sizeof(WindowOptions) there
  std::size_t imgui_io_size;  // sizeof(ImGuiIO) there: one ImGui version on both sides
  // detail::create_sdl2_window; the caller owns the window.
  Window* (*create_window)(const WindowOptions& options, std::string* error);
  ImGuiContext* (*imgui_context)();  // the module's current ImGui context
  // chime_audio.h, inside the module.
  std::uint32_t (*open_chime_audio)(std::string* why);
  void (*play_chime_audio)(std::uint32_t device, const std::int16_t* samples, std::size_t count);
  void (*close_chime_audio)(std::uint32_t device);
};

}  // namespace platform

// The module's one exported symbol.
extern "C" const platform::Sdl2ModuleTable* kiosk_sdl2_module();
