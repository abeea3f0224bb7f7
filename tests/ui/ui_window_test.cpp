// A real window under Xvfb, both backends: the kiosk screen renders, its text is submitted, and
// a scripted tap sequence Escalate -> High -> Confirm yields a RequestEscalate; a bottom tab's
// screen is whole, and a filter chip drawn chosen, in the frame that reads the finger lifting.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "kiosk/ui/kiosk_screen.h"
#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "platform/png_writer.h"
#include "platform/window.h"
#include "tests/ui/demo_view.h"

namespace {

using kiosk::ui::Intents;
using kiosk::ui::UiState;
using kiosk::ui::ViewState;

void frame(platform::Window& window, const ViewState& view, UiState& ui, Intents& intents) {
  window.poll_events();
  ui.now_ms = kiosk::ui::test::demo_now_ms;
  window.begin_frame();
  kiosk::ui::draw_kiosk_screen(view, ui, intents);
  window.end_frame();
}

// Finger lands on the centre of a named target, stays down one frame, lifts, then a few frames
// let popups open or close.
void tap(platform::Window& window, const ViewState& view, UiState& ui, Intents& intents,
         const std::string& name) {
  REQUIRE_MESSAGE(ui.hit_rects.count(name) == 1, "no touch target named " << name);
  const kiosk::ui::HitRect r = ui.hit_rects.at(name);
  window.inject_pointer(r.center_x(), r.center_y(), false);
  frame(window, view, ui, intents);
  window.inject_pointer(r.center_x(), r.center_y(), true);
  frame(window, view, ui, intents);
  window.inject_pointer(r.center_x(), r.center_y(), false);
  for (int i = 0; i < 3; ++i) frame(window, view, ui, intents);
}

std::size_t distinct_colours(const platform::Image& image) {
  std::set<std::uint32_t> colours;
  for (std::size_t i = 0; i + 3 < image.rgba.size(); i += 4 * 7) {  // sample every 7th pixel
    colours.insert(static_cast<std::uint32_t>(image.rgba[i]) << 16 |
                   static_cast<std::uint32_t>(image.rgba[i + 1]) << 8 | image.rgba[i + 2]);
  }
  return colours.size();
}

std::filesystem::path screenshot_dir() {
  if (const char* bin = std::getenv("KIOSK_BINARY_DIR"); bin != nullptr) {
    return std::filesystem::path(bin) / "ui_screenshots";
  }
  return std::filesystem::temp_directory_path() / "kiosk_ui_screenshots";
}

// A window of the backend at scale 1, themed, with the shipped English texts.
std::unique_ptr<platform::Window> open_window(platform::Backend backend) {
  std::string error;
  platform::WindowOptions options;
  options.title = "Frontline Kiosk test";
  options.vsync = false;
  options.ui_scale = 1.0f;
  auto window = platform::create_window(backend, options, &error);
  REQUIRE_MESSAGE(window != nullptr, error);
  kiosk::ui::apply_theme(window->ui_scale());
  kiosk::ui::test::use_english_texts();
  return window;
}

void run_flow(platform::Backend backend) {
  CAPTURE(platform::to_string(backend));
  std::string error;
  auto window = open_window(backend);
  CHECK(window->width() > 0);
  CHECK(window->height() > 0);

  const ViewState view = [] {
    ViewState v = kiosk::ui::test::demo_view();
    v.tapped_in = kiosk::core::StaffMember{"ana", "Ana Lopez", kiosk::core::StaffRole::associate,
                                           "en"};  // acting needs someone tapped in
    return v;
  }();
  UiState ui;
  ui.record = true;
  ui.heading_font = window->heading_font();
  Intents intents;
  for (int i = 0; i < 3; ++i) frame(*window, view, ui, intents);

  // (a) the screenshot is a picture, not one colour
  platform::Image image;
  REQUIRE(window->read_pixels(image));
  CHECK(image.width == window->width());
  CHECK(image.rgba.size() ==
        static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4U);
  CHECK(distinct_colours(image) > 50);

  // PNG written and non-trivial
  const auto dir = screenshot_dir();
  std::filesystem::create_directories(dir);
  const auto png = dir / ("kiosk_" + std::string(platform::to_string(backend)) + ".png");
  REQUIRE_MESSAGE(platform::write_png(png.string(), image, &error), error);
  CHECK(std::filesystem::file_size(png) > 5000);

  // (b) the mention's text was submitted
  CHECK(std::find(ui.drawn_text.begin(), ui.drawn_text.end(),
                  std::string(kiosk::ui::test::queue_text)) != ui.drawn_text.end());
  CHECK(ui.hit_rects.count("escalate:google:42") == 0);  // already escalated: state line instead

  // (c) Escalate -> High -> Confirm
  const std::string escalate = "escalate:mastodon:111";
  CHECK(ui.hit_rects.at(escalate).height() >= 40.0f);  // touch-sized at scale 1
  tap(*window, view, ui, intents, escalate);
  CHECK(ui.dialog_mention_id == "mastodon:111");
  REQUIRE(ui.hit_rects.count("severity:high") == 1);
  tap(*window, view, ui, intents, "severity:high");
  CHECK(ui.dialog_severity == kiosk::core::Severity::high);

  REQUIRE(window->read_pixels(image));
  REQUIRE(platform::write_png(
      (dir / ("dialog_" + std::string(platform::to_string(backend)) + ".png")).string(), image,
      &error));

  CHECK(intents.empty());
  tap(*window, view, ui, intents, "confirm");
  REQUIRE(intents.size() == 1);
  const auto* request = std::get_if<kiosk::ui::RequestEscalate>(&intents.front());
  REQUIRE(request != nullptr);
  CHECK(request->mention_id == "mastodon:111");
  CHECK(request->severity == kiosk::core::Severity::high);
  CHECK(ui.dialog_mention_id.empty());
  CHECK(ui.hit_rects.count("confirm") == 0);  // the dialog is gone

  // wake() from another thread ends a long wait_events() early (the sync worker's path).
  for (int i = 0; i < 3; ++i) window->wait_events(0.05);  // drain what the frames left behind
  const auto start = std::chrono::steady_clock::now();
  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    window->wake();
  });
  window->wait_events(10.0);
  waker.join();
  const auto waited = std::chrono::steady_clock::now() - start;
  MESSAGE("wait_events returned after "
          << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() << " ms");
  CHECK(waited < std::chrono::seconds(5));
  CHECK_FALSE(window->should_close());
}

bool drew(const UiState& ui, const std::string& text) {
  return std::find(ui.drawn_text.begin(), ui.drawn_text.end(), text) != ui.drawn_text.end();
}

// Whether one more frame draws the very same pixels as the one on screen.
bool next_frame_same(platform::Window& window, const ViewState& view, UiState& ui,
                     Intents& intents) {
  platform::Image drawn;
  REQUIRE(window.read_pixels(drawn));
  frame(window, view, ui, intents);
  platform::Image next;
  REQUIRE(window.read_pixels(next));
  return drawn.rgba == next.rgba;
}

// Each bottom tab, tapped: the frame that reads the finger lifting already draws the screen the
// tab opens (its title and contents, the tab shown as chosen), so the frame after it draws the
// very same pixels. Frames are counted, not timed.
void run_tabs(platform::Backend backend) {
  CAPTURE(platform::to_string(backend));
  auto window = open_window(backend);

  ViewState view = kiosk::ui::test::demo_view();
  kiosk::ui::EscalationCard issue;
  issue.id = "e1";
  issue.severity = kiosk::core::Severity::high;
  issue.note = "Wet floor by aisle 7";
  issue.started_at_ms = kiosk::ui::test::demo_now_ms - 60'000;
  view.escalations = {issue};
  UiState ui;
  ui.record = true;
  ui.heading_font = window->heading_font();
  Intents intents;
  for (int i = 0; i < 3; ++i) frame(*window, view, ui, intents);

  const std::string nobody(kiosk::ui::tr(kiosk::ui::Str::training_nobody));
  const std::string feed_title(kiosk::ui::tr(kiosk::ui::Str::feed_title));
  struct Step {
    std::string tab;
    kiosk::ui::Screen screen;
    std::string shows;  // a text of the screen the tab opens
    std::string gone;   // a text of the screen it leaves
    std::string title;  // the header's subtitle there
  };
  const std::vector<Step> steps{
      {"tab:escalations", kiosk::ui::Screen::escalations, issue.note, kiosk::ui::test::queue_text,
       std::string(kiosk::ui::tr(kiosk::ui::Str::escalations_title))},
      {"tab:training", kiosk::ui::Screen::training, nobody, issue.note,
       std::string(kiosk::ui::tr(kiosk::ui::Str::tab_training))},
      {"tab:feed", kiosk::ui::Screen::feed, kiosk::ui::test::queue_text, nobody, feed_title}};
  for (const Step& step : steps) {
    CAPTURE(step.tab);
    REQUIRE(ui.hit_rects.count(step.tab) == 1);
    const kiosk::ui::HitRect r = ui.hit_rects.at(step.tab);
    window->inject_pointer(r.center_x(), r.center_y(), true);
    frame(*window, view, ui, intents);
    CHECK(ui.screen != step.screen);  // a finger down chooses nothing yet
    window->inject_pointer(r.center_x(), r.center_y(), false);
    frame(*window, view, ui, intents);  // the frame that reads the finger lifting
    CHECK(ui.screen == step.screen);
    CHECK(drew(ui, step.shows));
    CHECK_FALSE(drew(ui, step.gone));
    // The header names the screen, each its own; Report an issue belongs to the feed's.
    CHECK(drew(ui, step.title));
    for (const Step& other : steps)  // (Training's is also its tab's label, always drawn)
      if (other.title != step.title && other.screen != kiosk::ui::Screen::training)
        CHECK_FALSE(drew(ui, other.title));
    CHECK(ui.hit_rects.count("report_issue") == (step.screen == kiosk::ui::Screen::feed ? 1U : 0U));
    CHECK_MESSAGE(next_frame_same(*window, view, ui, intents),
                  "the frame after the tap still changed the screen: it was not whole at once");
  }
}

// A filter chip, tapped: the frame that reads the finger lifting draws the chip chosen and the
// rows the view holds for it, so the frame after it draws the very same pixels.
void run_chips(platform::Backend backend) {
  CAPTURE(platform::to_string(backend));
  auto window = open_window(backend);
  ViewState view = kiosk::ui::test::demo_view();
  view.chip = kiosk::ui::FeedChip::negative;  // the rows held are the Negative chip's
  view.chip_counts.emplace();                 // counted: the frames after the first
  (*view.chip_counts)[static_cast<std::size_t>(kiosk::ui::FeedChip::negative)] = 1;
  UiState ui;
  ui.record = true;
  ui.heading_font = window->heading_font();
  Intents intents;
  for (int i = 0; i < 3; ++i) frame(*window, view, ui, intents);
  CHECK_FALSE(drew(ui, kiosk::ui::test::queue_text));  // All is chosen: not its rows

  REQUIRE(ui.hit_rects.count("chip:negative") == 1);
  const kiosk::ui::HitRect r = ui.hit_rects.at("chip:negative");
  window->inject_pointer(r.center_x(), r.center_y(), true);
  frame(*window, view, ui, intents);
  CHECK(ui.chip == kiosk::ui::FeedChip::all);  // a finger down chooses nothing yet
  window->inject_pointer(r.center_x(), r.center_y(), false);
  frame(*window, view, ui, intents);  // the frame that reads the finger lifting
  CHECK(ui.chip == kiosk::ui::FeedChip::negative);
  CHECK(drew(ui, kiosk::ui::test::queue_text));
  CHECK_MESSAGE(next_frame_same(*window, view, ui, intents),
                "the frame after the tap still changed the chips: the chosen one was a frame late");
}

}  // namespace

TEST_CASE("[ui][window] SDL2: a tapped chip is chosen in the frame that reads the tap") {
  run_chips(platform::Backend::sdl2);
}

TEST_CASE("[ui][window] GLFW: a tapped chip is chosen in the frame that reads the tap") {
  run_chips(platform::Backend::glfw);
}

TEST_CASE("[ui][window] SDL2: a tab's screen is whole in the frame that reads the tap") {
  run_tabs(platform::Backend::sdl2);
}

TEST_CASE("[ui][window] GLFW: a tab's screen is whole in the frame that reads the tap") {
  run_tabs(platform::Backend::glfw);
}

TEST_CASE("[ui][window] SDL2: kiosk screen renders and a tap escalates") {
  run_flow(platform::Backend::sdl2);
}

TEST_CASE("[ui][window] GLFW: kiosk screen renders and a tap escalates") {
  run_flow(platform::Backend::glfw);
}

TEST_CASE("[ui][window] backend names") {
  CHECK(platform::parse_backend("sdl2") == platform::Backend::sdl2);
  CHECK(platform::parse_backend("glfw") == platform::Backend::glfw);
  CHECK_FALSE(platform::parse_backend("wayland").has_value());
}

TEST_CASE("[ui][window] no display gives one clear sentence") {
  const char* saved = std::getenv("DISPLAY");
  const std::string display = saved != nullptr ? saved : "";
  const char* saved_wayland = std::getenv("WAYLAND_DISPLAY");
  const std::string wayland = saved_wayland != nullptr ? saved_wayland : "";
  unsetenv("DISPLAY");
  unsetenv("WAYLAND_DISPLAY");
  std::string error;
  CHECK(platform::create_window(platform::Backend::sdl2, {}, &error) == nullptr);
  CHECK(error == "No display: set DISPLAY or run under xvfb-run.");
  if (saved != nullptr) setenv("DISPLAY", display.c_str(), 1);
  if (saved_wayland != nullptr) setenv("WAYLAND_DISPLAY", wayland.c_str(), 1);
}
