// Added by bench/CMakeLists.txt after the buffer swap of Debian's own ImGui examples, so that
// they print what the kiosk prints with KIOSK_TRACE_STARTUP and KIOSK_TRACE_FRAMES: the first
// frame's wall and CPU time, and (BENCH_TRACE_FRAMES set) one line per frame with its time
// and a checksum of what it drew.
#pragma once

#include <imgui.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "platform/draw_checksum.h"

inline long long bench_realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

inline void bench_after_swap() {
  static int frames = 0;
  static long long previous_swap_ns = 0;  // its loop reads input right after a swap
  static const bool trace_frames = std::getenv("BENCH_TRACE_FRAMES") != nullptr;
  ++frames;
  const long long now_ns = bench_realtime_ns();
  if (frames == 1) {
    std::printf("first_frame_realtime_ns=%lld first_frame_cpu_us=%ld\n", now_ns,
                static_cast<long>(std::clock()));
    std::fflush(stdout);
  }
  if (trace_frames) {
    std::printf("frame=%d t_ns=%lld draw=%016llx began_ns=%lld\n", frames, now_ns,
                static_cast<unsigned long long>(platform::draw_checksum(ImGui::GetDrawData())),
                previous_swap_ns);
    std::fflush(stdout);
  }
  previous_swap_ns = now_ns;
}
