// Fills a kiosk database with mentions for the window benchmarks (bench/window_vs_example.sh).
//
//   make_feed_db DB COUNT [--recent]
//
// Mentions are spread one every 7 minutes back from now. Without --recent, the newest is two
// days old, so every "time ago" on screen reads in days and nothing on screen changes for
// hours ("nothing ticking"). With --recent the newest is one minute old, so the labels on the
// first screen change every few minutes (a countdown on screen).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kiosk/app/view/clock.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/sources/lexicon_files.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_feed_db DB COUNT [--recent]\n");
    return 2;
  }
  const std::string path = argv[1];
  const long count = std::strtol(argv[2], nullptr, 10);
  const bool recent = argc > 3 && std::string(argv[3]) == "--recent";
  if (count < 0) {
    std::fprintf(stderr, "make_feed_db: COUNT must be 0 or more\n");
    return 2;
  }
  const std::int64_t now = kiosk::app::wall_clock_ms();
  const std::int64_t newest = now - (recent ? 60'000 : 2 * 86'400'000);
  const char* words[] = {"queue",  "checkout", "friendly", "staff",  "price", "shelf",
                         "return", "refund",   "clean",    "bakery", "slow",  "great"};
  try {
    kiosk::store::Store store(path);
    // Triaged as they are stored, like every mention the kiosk receives.
    if (auto lexicon =
            kiosk::sync::sources::load_lexicon(kiosk::sync::sources::default_assets_dir()))
      store.set_lexicon(std::make_shared<const kiosk::core::Lexicon>(std::move(lexicon.value())));
    std::vector<kiosk::core::Mention> batch;
    for (long i = 0; i < count; ++i) {
      kiosk::core::Mention m;
      m.id = "bench:" + std::to_string(i);
      m.store_id = "downtown";
      m.source = (i % 3 == 0) ? "google" : (i % 3 == 1 ? "mastodon" : "reviews");
      m.author = "customer " + std::to_string(i % 997);
      for (long w = 0; w < 12 + i % 30; ++w) {
        if (!m.text.empty()) m.text += ' ';
        m.text += words[static_cast<std::size_t>((i * 7 + w * 3) % 12)];
      }
      m.url = "https://example.org/m/" + std::to_string(i);
      m.created_at_ms = newest - static_cast<std::int64_t>(i) * 7 * 60'000;
      batch.push_back(std::move(m));
      if (batch.size() == 5000) {
        store.upsert_mentions(batch, now);
        batch.clear();
      }
    }
    store.upsert_mentions(batch, now);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_feed_db: %s\n", e.what());
    return 1;
  }
  std::printf("make_feed_db: %ld mentions in %s\n", count, path.c_str());
  return 0;
}
