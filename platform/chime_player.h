#pragma once
// The chime: a short two-tone sound, synthesised (no asset file), played through SDL2's
// audio subsystem whichever window backend is in use (from libkiosk_sdl2.so, which the
// player's thread loads: sdl2_module.h). play() queues and returns at once; a
// thread of the player's own starts the audio subsystem and opens the device for each chime
// and stops both after, so an idle kiosk holds no device and runs no audio thread (not even
// SDL's device hotplug). When no audio device opens, or the SDL2 module is missing, the
// player says so once on stderr, in plain words, and goes on silently.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace platform {

inline constexpr int kChimeSampleRate = 48'000;

// The chime's samples, mono signed 16-bit at sample_rate: a higher tone then a lower one,
// each with a soft attack and a bell-like decay, about 0.6 s in all.
std::vector<std::int16_t> chime_samples(int sample_rate = kChimeSampleRate);

class ChimePlayer {
 public:
  // Starts the player's thread, which checks once that an audio device opens.
  ChimePlayer();
  ~ChimePlayer();  // waits for a chime being played to end
  ChimePlayer(const ChimePlayer&) = delete;
  ChimePlayer& operator=(const ChimePlayer&) = delete;

  // Plays the chime once; several calls before it starts play it once. Never blocks.
  void play();

 private:
  void run();

  std::vector<std::int16_t> samples_;  // the player's thread's alone
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace platform
