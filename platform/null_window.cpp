#include "platform/null_window.h"

#include <imgui.h>

#include <chrono>
#include <cstdint>

#include "platform/backends.h"

namespace platform {

NullWindow::NullWindow(Options options) : options_(std::move(options)) {
  width_ = options_.window.width;
  height_ = options_.window.height;
  detail::create_imgui_context();
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "null";
  io.BackendRendererName = "null";
  // ImGui 1.86 wants every navigation key mapped to a slot of io.KeysDown; no key is ever down.
  for (int key = 0; key < ImGuiKey_COUNT; ++key) io.KeyMap[key] = key;
  finish_setup(1.0f, options_.window);
  drop_font_pixels();
}

void NullWindow::drop_font_pixels() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
  io.Fonts->ClearTexData();
  io.Fonts->ClearInputData();  // the TTF files' bytes (about 1.4 MiB): the glyphs are baked
}

NullWindow::~NullWindow() {
  ImGui::DestroyContext();
}

bool NullWindow::should_close() const {
  std::lock_guard lock(mutex_);
  return close_;
}

void NullWindow::request_close() {
  {
    std::lock_guard lock(mutex_);
    close_ = true;
  }
  cv_.notify_all();
}

void NullWindow::cancel_close() {
  std::lock_guard lock(mutex_);
  close_ = false;
}

bool NullWindow::take_pending() {
  const bool input = input_pending_;
  input_pending_ = false;
  woken_ = false;
  return input;
}

bool NullWindow::wait_events(double timeout_seconds) {
  waits_.push_back(timeout_seconds);
  std::unique_lock lock(mutex_);
  if (options_.stepped && options_.on_wait && !input_pending_ && !woken_ && !close_) {
    // Nothing ends this wait early: it runs its course.
    lock.unlock();
    options_.on_wait(timeout_seconds);
    lock.lock();
  }
  if (!options_.stepped && timeout_seconds != 0.0) {
    const auto ready = [this] { return input_pending_ || woken_ || close_; };
    if (timeout_seconds < 0.0) {
      cv_.wait(lock, ready);
    } else {
      cv_.wait_for(lock, std::chrono::duration<double>(timeout_seconds), ready);
    }
  }
  return take_pending();
}

bool NullWindow::poll_events() {
  std::lock_guard lock(mutex_);
  return take_pending();
}

void NullWindow::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void NullWindow::push_input() {
  {
    std::lock_guard lock(mutex_);
    input_pending_ = true;
  }
  cv_.notify_all();
}

bool NullWindow::read_pixels(Image& /*out*/) const {
  return false;
}

void NullWindow::backend_new_frame() {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
  io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  double now = 0.0;
  if (options_.now_seconds) {
    now = options_.now_seconds();
  } else {
    using namespace std::chrono;
    now = duration<double>(steady_clock::now().time_since_epoch()).count();
  }
  // ImGui wants a positive step; a stepped clock that did not move still makes a frame.
  const double step = last_frame_s_ < 0.0 ? 1.0 / 60.0 : now - last_frame_s_;
  io.DeltaTime = static_cast<float>(step > 0.0 ? step : 1e-4);
  last_frame_s_ = now;
}

void NullWindow::present() {
  ++frames_presented_;
}

std::unique_ptr<Window> create_null_window(const WindowOptions& options) {
  NullWindow::Options o;
  o.window = options;
  return std::make_unique<NullWindow>(std::move(o));
}

}  // namespace platform
