// Baseline for bench/startup_idle.sh: the platform layer's window with one line of ImGui
// text and the same wait-for-events loop as the kiosk, without store, sync or screens. The
// kiosk's figures are quoted as ratios to this one, measured in the same run.
#include <imgui.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "platform/window.h"

int main(int argc, char** argv) {
  const std::string backend_name = argc > 1 ? argv[1] : "sdl2";
  const auto backend = platform::parse_backend(backend_name);
  if (!backend) {
    std::fprintf(stderr, "usage: bare_window [sdl2|glfw]\n");
    return 2;
  }
  setenv("KIOSK_SDL2_MODULE", KIOSK_SDL2_MODULE_PATH, 0);
  std::string error;
  auto window = platform::create_window(*backend, {}, &error);
  if (!window) {
    std::fprintf(stderr, "bare_window: %s\n", error.c_str());
    return 1;
  }
  bool first = true;
  while (!window->should_close()) {
    window->begin_frame();
    ImGui::Begin("baseline");
    ImGui::TextUnformatted("Hello");
    ImGui::End();
    window->end_frame();
    if (first) {
      using namespace std::chrono;
      std::printf("first_frame_realtime_ns=%lld\n",
                  static_cast<long long>(
                      duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count()));
      std::fflush(stdout);
      first = false;
    }
    window->wait_events(15.0);
  }
  return 0;
}
