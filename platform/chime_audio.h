#pragma once
// Internal to platform/: the chime player's audio device, SDL2's audio subsystem inside the
// SDL2 module (sdl2_audio.cpp), reached from the player through sdl2_module_loader.cpp.
#include <cstddef>
#include <cstdint>
#include <string>

namespace platform::detail {

// Starts the audio subsystem and opens the default output device for the chime's format
// (mono signed 16-bit at kChimeSampleRate). 0 when none opens, with *why in plain words.
std::uint32_t open_chime_audio(std::string* why);
// Plays the samples and returns once the device has taken them (3 s at most).
void play_chime_audio(std::uint32_t device, const std::int16_t* samples, std::size_t count);
// Closes the device and stops the audio subsystem (its threads would wake an idle kiosk).
void close_chime_audio(std::uint32_t device);

}  // namespace platform::detail
