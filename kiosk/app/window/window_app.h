#pragma once
// The kiosk window: platform window + screens + the local store + the sync worker.
#include <string>
#include <vector>

#include "kiosk/app/view/saved_settings.h"
#include "kiosk/core/staff.h"
#include "platform/window.h"

namespace kiosk::app {

struct WindowAppOptions {
  std::string db_path;
  std::string assets_dir;  // holds ui/<language>.json
  std::string language = "en";
  platform::Backend backend = platform::Backend::sdl2;
  bool fullscreen = false;
  // Kiosk mode: borderless fullscreen on the primary monitor, no pointer, and closing the
  // window (window manager, Alt+F4, Escape) or opening the settings needs a manager's PIN.
  bool kiosk_mode = false;
  bool hide_cursor = false;  // no pointer over the screens (a touchscreen); kiosk mode sets it
  int width = 1280;
  int height = 800;
  bool sync = true;  // run the background sync worker
  // Tap the person out after this long without a touch (core/staff.h).
  std::int64_t idle_lock_ms = core::kDefaultIdleLockMs;
  // The idle screen (what is open, a rotating tip) after this long without a touch; 0 = never.
  std::int64_t idle_screen_ms = 180'000;
  // No chime sound (an urgent post, head office's update, a missed store-level step still
  // wake the idle screen).
  bool silent = false;
  // Headless runs (tests, docs, the demo without a display): draw, tap, save, exit.
  std::string screenshot_path;  // write the last frame here and exit
  int frames = 0;               // frames to draw before the screenshot (0: until closed)
  // Touch targets to tap in order, e.g. "escalate:<id>"; "wait:<ms>" waits that long first
  // (wall clock, drawing as usual), for the idle lock and lockout timers; "close" asks the
  // window to close as a window manager would; "print" prints the texts of the frame on screen.
  std::vector<std::string> taps;
  // The on-screen keyboard under a tapped text field (off: the terminal has a physical one).
  bool onscreen_keyboard = true;
  // The colours: "dark" or "light" (kiosk/ui/theme.h).
  std::string theme = "dark";
  // Which of theme, language, idle times and keyboard were given for this run (a flag or its
  // environment variable): those win; the others come from the settings dialog's last saved
  // choice (saved_settings.h), else the defaults above.
  GivenSettings given;
  bool print_drawn_text = false;  // print the texts of the last frame (for tests)
  // Who is tapped in, until staff tap-in fills it: their id (empty: nobody), and the
  // training pack folder (default <assets>/training/frontline-basics).
  std::string staff_id;
  std::string pack_dir;
};

// Runs until the window closes (or the screenshot is written). Returns a process exit code;
// errors are printed as one line on stderr.
int run_window(const WindowAppOptions& options);

}  // namespace kiosk::app
