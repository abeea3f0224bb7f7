// The chime's audio through SDL2 (inside libkiosk_sdl2.so; chime_audio.h).
#include <SDL.h>

#include <chrono>

#include "platform/chime_audio.h"
#include "platform/chime_player.h"

namespace platform::detail {

std::uint32_t open_chime_audio(std::string* why) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    *why = std::string("the audio system did not start (") + SDL_GetError() + ")";
    return 0;
  }
  SDL_AudioSpec want{};
  want.freq = kChimeSampleRate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 1024;
  want.callback = nullptr;  // SDL_QueueAudio; SDL converts to the device's format if it must
  const SDL_AudioDeviceID dev = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0);
  if (dev == 0) {
    *why = std::string("no audio device could be opened (") + SDL_GetError() + ")";
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  }
  return dev;
}

void play_chime_audio(std::uint32_t device, const std::int16_t* samples, std::size_t count) {
  SDL_QueueAudio(device, samples, static_cast<Uint32>(count * sizeof(std::int16_t)));
  SDL_PauseAudioDevice(device, 0);
  // Until the device has taken every sample, then a little more for its own buffer.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (SDL_GetQueuedAudioSize(device) > 0 && std::chrono::steady_clock::now() < give_up)
    SDL_Delay(20);
  SDL_Delay(150);
}

void close_chime_audio(std::uint32_t device) {
  SDL_CloseAudioDevice(device);
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

}  // namespace platform::detail
