#pragma once
// The app's one source of wall-clock time; everything below it takes time as a parameter.
#include <chrono>
#include <cstdint>

namespace kiosk::app {

inline std::int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace kiosk::app
