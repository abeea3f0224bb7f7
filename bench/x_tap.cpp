// Taps on an X display through the XTEST extension, as a finger on a touchscreen would reach
// the window (pointer moves, button press, release), and prints when each press and release
// was handed to the X server: "down|up T_BEFORE_NS T_AFTER_NS" (CLOCK_REALTIME). T_AFTER is
// after XSync, when the server has queued the event for the window. One process for all
// taps, so no process start sits between the clock and the event (bench/tap_feedback.sh).
//
//   x_tap TAPS X1 Y1 [X2 Y2]      taps alternate between the two points
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace {

long long realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void button(Display* display, bool down, const char* name) {
  const long long before = realtime_ns();
  XTestFakeButtonEvent(display, 1, down ? True : False, CurrentTime);
  XSync(display, False);
  const long long after = realtime_ns();
  std::printf("%s %lld %lld\n", name, before, after);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 6) {
    std::fprintf(stderr, "usage: x_tap TAPS X1 Y1 [X2 Y2]\n");
    return 2;
  }
  const int taps = std::atoi(argv[1]);
  const int points[2][2] = {
      {std::atoi(argv[2]), std::atoi(argv[3])},
      {std::atoi(argv[argc == 6 ? 4 : 2]), std::atoi(argv[argc == 6 ? 5 : 3])}};
  Display* display = XOpenDisplay(nullptr);
  if (display == nullptr) {
    std::fprintf(stderr, "x_tap: cannot open the X display (is DISPLAY set?)\n");
    return 1;
  }
  int event_base = 0, error_base = 0, major = 0, minor = 0;
  if (!XTestQueryExtension(display, &event_base, &error_base, &major, &minor)) {
    std::fprintf(stderr, "x_tap: the X server has no XTEST extension\n");
    return 1;
  }
  for (int i = 0; i < taps; ++i) {
    const int* p = points[i % 2];
    XTestFakeMotionEvent(display, -1, p[0], p[1], CurrentTime);
    XSync(display, False);
    sleep_ms(300);  // hover settles: the frames it draws are not the tap's
    button(display, true, "down");
    sleep_ms(150);
    button(display, false, "up");
    sleep_ms(350);
  }
  XCloseDisplay(display);
  return 0;
}
