#pragma once
// Internal to platform/: the backend factories and the ImGui set-up they share.
#include <memory>
#include <string>

#include "platform/window.h"

namespace platform::detail {

std::unique_ptr<Window> create_sdl2_window(const WindowOptions& options, std::string* error);
std::unique_ptr<Window> create_glfw_window(const WindowOptions& options, std::string* error);

// Creates and configures the ImGui context (no imgui.ini, keyboard nav for kiosks with keys).
void create_imgui_context();
// Initialises the OpenGL 3 renderer with GLSL "#version 130".
bool init_renderer();
void shutdown_renderer_and_context();

inline void set_error(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

}  // namespace platform::detail
