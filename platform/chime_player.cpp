#include "platform/chime_player.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "platform/chime_audio.h"

namespace platform {
namespace {

// One bell-like tone added into out from start: a fundamental and a quieter octave, 5 ms
// attack, exponential decay.
void add_tone(std::vector<double>& out, int rate, double start_s, double length_s, double hz,
              double amplitude) {
  const auto first = static_cast<std::size_t>(start_s * rate);
  const auto count = static_cast<std::size_t>(length_s * rate);
  for (std::size_t i = 0; i < count && first + i < out.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const double attack = std::min(1.0, t / 0.005);
    const double decay = std::exp(-t * 6.0);
    const double w = 2.0 * std::numbers::pi * hz * t;
    out[first + i] += amplitude * attack * decay * (std::sin(w) + 0.3 * std::sin(2.0 * w));
  }
}

}  // namespace

std::vector<std::int16_t> chime_samples(int sample_rate) {
  constexpr double kLength = 0.6;
  std::vector<double> mix(static_cast<std::size_t>(kLength * sample_rate), 0.0);
  add_tone(mix, sample_rate, 0.0, 0.35, 784.0, 0.3);  // G5
  add_tone(mix, sample_rate, 0.2, 0.4, 523.25, 0.3);  // C5
  // The last 20 ms fade to silence, so the end makes no click.
  const std::size_t fade = static_cast<std::size_t>(0.02 * sample_rate);
  std::vector<std::int16_t> out(mix.size());
  for (std::size_t i = 0; i < mix.size(); ++i) {
    double v = mix[i];
    if (i + fade >= mix.size())
      v *= static_cast<double>(mix.size() - 1 - i) / static_cast<double>(fade);
    out[i] = static_cast<std::int16_t>(std::lround(std::clamp(v, -1.0, 1.0) * 32767.0));
  }
  return out;
}

ChimePlayer::ChimePlayer() : thread_([this] { run(); }) {}

ChimePlayer::~ChimePlayer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ChimePlayer::play() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = true;
  }
  wake_.notify_all();
}

void ChimePlayer::run() {
  // Synthesised here, on the player's thread, which alone reads them: not on the window's
  // start-up path before its first frame.
  samples_ = chime_samples();
  // The audio subsystem is started for each chime and stopped after: while it runs, SDL2 keeps
  // threads of its own (ALSA's device hotplug polls several times a second and wakes the
  // window's event wait), and an idle kiosk should use no CPU.
  // SDL2 itself is in libkiosk_sdl2.so (sdl2_module.h), loaded here on the first start: on this
  // thread, not on the window's start-up path.
  std::string why_not;
  const auto start = [&why_not] { return detail::open_chime_audio(&why_not); };
  const auto stop = detail::close_chime_audio;
  // Said once, in plain words, and then silent.
  bool available = true;
  const auto say_silent = [&] {
    std::fprintf(stderr, "kiosk: no sound: %s; chimes are silent, the screen still wakes\n",
                 why_not.c_str());
    available = false;
  };
  if (const std::uint32_t probe = start(); probe != 0) {
    stop(probe);
  } else {
    say_silent();
  }

  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_) break;
    pending_ = false;
    if (!available) continue;
    lock.unlock();
    if (const std::uint32_t dev = start(); dev != 0) {
      detail::play_chime_audio(dev, samples_.data(), samples_.size());
      stop(dev);
    } else {
      say_silent();
    }
    lock.lock();
  }
}

}  // namespace platform
