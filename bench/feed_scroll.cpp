// The feed's cost against its size: frame time while scrolling a feed of 1,000 mentions and of
// 100,000 (the baseline and the big one, measured in the same run), and the time of the
// queries behind it (a page at the top, middle and end, by offset and by key; the chips'
// counts with and without a search).
//
//   feed_scroll [FRAMES=400]
//
// Frames are drawn by the real window loop (kiosk::app::WindowLoop) on the null backend:
// ImGui builds every frame as on screen (layout, text wrapping, the rows fetched from the
// store when the screen reaches them) but nothing is rasterised, so the figure is the UI's
// CPU per frame, without the GL driver's. Each frame scrolls 180 px down the feed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/feed_bench.h"
#include "kiosk/app/window/window_loop.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/theme.h"

namespace {

using kiosk::bench::Clock;
using kiosk::bench::kFeedTexts;
using kiosk::bench::median;
using kiosk::bench::ms_since;
using kiosk::bench::query_ms;

void fill(const std::string& path, int count,
          const std::shared_ptr<const kiosk::core::Lexicon>& lexicon) {
  kiosk::store::Store s(path);
  s.set_lexicon(lexicon);
  std::vector<kiosk::core::Mention> batch;
  const std::int64_t now = 1'732'320'000'000;
  for (int i = 0; i < count; ++i) {
    kiosk::core::Mention m{"m" + std::to_string(i),
                           "s1",
                           i % 3 ? "mastodon" : "google",
                           "customer " + std::to_string(i % 997),
                           std::string(kFeedTexts[i % 5]) + " #" + std::to_string(i),
                           "",
                           now - std::int64_t{i} * 60'000};
    if (i % 3 == 0) m.rating = 1 + i % 5;
    if (i % 2 == 0) m.reach.author_followers = i % 10'000;
    batch.push_back(std::move(m));
    if (batch.size() == 10'000) {
      s.upsert_mentions(batch, now);
      batch.clear();
    }
  }
  s.upsert_mentions(batch, now);
}

// Median milliseconds per drawn frame over `frames` frames of scrolling.
double frame_ms(const std::string& path, int frames) {
  kiosk::store::Store s(path);
  std::string error;
  platform::WindowOptions wo;
  wo.width = 1280;
  wo.height = 800;
  auto window = platform::create_window(platform::Backend::null, wo, &error);
  if (!window) {
    std::fprintf(stderr, "feed_scroll: %s\n", error.c_str());
    std::exit(1);
  }
  kiosk::ui::apply_theme(window->ui_scale());
  kiosk::app::WindowLoop loop(
      *window, s, [] { return std::int64_t{1'732'320'000'000}; }, {}, true);
  for (int i = 0; i < 5; ++i) loop.turn();  // first view built, fonts ready
  std::vector<double> times;
  for (int i = 0; i < frames; ++i) {
    loop.ui_state().feed_top_offset += 180.0f;
    const auto t0 = Clock::now();
    loop.turn();
    times.push_back(ms_since(t0));
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  const int frames = argc > 1 ? std::max(10, std::atoi(argv[1])) : 400;
  const auto lex = kiosk::bench::lexicon_or_exit("feed_scroll");
  const auto dir = kiosk::bench::fresh_dir("kiosk-feed-scroll");
  const std::string small = (dir / "small.sqlite").string();
  const std::string big = (dir / "big.sqlite").string();
  auto t0 = Clock::now();
  fill(small, 1'000, lex);
  fill(big, 100'000, lex);
  std::printf("filled 1,000 and 100,000 triaged mentions in %.0f ms\n", ms_since(t0));

  const double small_ms = frame_ms(small, frames);
  const double big_ms = frame_ms(big, frames);
  std::printf("frame while scrolling (median of %d, null backend):\n", frames);
  std::printf(
      "  1,000 mentions    %.3f ms\n  100,000 mentions  %.3f ms\n  ratio             %.2fx\n",
      small_ms, big_ms, big_ms / small_ms);

  kiosk::store::Store s(big);
  using kiosk::store::FeedFilter;
  std::printf("queries on 100,000 mentions (median of 15):\n");
  std::printf("  page of 48 at the top           %.3f ms\n",
              query_ms([&] { s.feed_page({}, 0, 48); }));
  std::printf("  page of 48 at row 50,000        %.3f ms\n",
              query_ms([&] { s.feed_page({}, 50'000, 48); }));
  std::printf("  page of 48 at the end           %.3f ms\n",
              query_ms([&] { s.feed_page({}, 99'952, 48); }));
  const auto key = s.key_of(s.feed_page({}, 99'900, 1).at(0).mention.id);
  std::printf("  page of 48 after a key at the end  %.3f ms\n",
              query_ms([&] { s.feed_page_after({}, key, 48); }));
  std::printf(
      "  Praise page of 48 at the end    %.3f ms\n", query_ms([&] {
        s.feed_page({FeedFilter::praise, ""}, s.feed_count({FeedFilter::praise, ""}) - 48, 48);
      }));
  std::printf("  counts of all six chips         %.3f ms\n", query_ms([&] { s.feed_counts(""); }));
  std::printf("  counts with a search (\"bakery\")  %.3f ms\n",
              query_ms([&] { s.feed_counts("bakery"); }));
  std::printf("  page of 48 with that search     %.3f ms\n", query_ms([&] {
                s.feed_page({FeedFilter::all, "bakery"}, 0, 48);
              }));
  std::filesystem::remove_all(dir);
  return 0;
}
