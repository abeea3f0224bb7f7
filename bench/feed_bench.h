#pragma once
// What the feed benchmarks share (feed_scroll, search_index): medians of timed runs, the
// triage lexicon, a fresh scratch folder, and the texts their mentions are made of.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/core/triage.h"
#include "sync/sources/lexicon_files.h"

namespace kiosk::bench {

using Clock = std::chrono::steady_clock;

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Median milliseconds of f over runs calls.
template <typename F>
double query_ms(F&& f, int runs = 15) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    f();
    times.push_back(ms_since(t0));
  }
  return median(times);
}

// The lexicon from assets/, or a sentence on stderr and exit 1.
inline std::shared_ptr<const core::Lexicon> lexicon_or_exit(const char* program) {
  auto lexicon = sync::sources::load_lexicon(sync::sources::default_assets_dir());
  if (!lexicon) {
    std::fprintf(stderr, "%s: %s\n", program, lexicon.error().c_str());
    std::exit(1);
  }
  return std::make_shared<const core::Lexicon>(std::move(lexicon.value()));
}

// An empty folder of that name under the system's temp folder.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Posts of several lengths, a complaint, praise, a question, an urgent one and a safety one.
inline constexpr const char* kFeedTexts[] = {
    "Waited 25 minutes at the only open checkout, nobody came. Not coming back on a Saturday.",
    "Shout-out to the guy in the bakery who found me the last loaf, made my day",
    "Is the Elm St store open late on Friday?",
    "STILL WAITING at the counter!!! 40 minutes and no one at the desk",
    "The floor near aisle 7 was wet with no sign, nearly slipped with my toddler. Someone "
    "should put a sign there before a person gets hurt, it has been like this all afternoon."};

}  // namespace kiosk::bench
