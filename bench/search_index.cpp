// The feed's search with the trigram index (mentions_search) against reading every row (the
// scan it replaces), in the same run: a common and a rare word on 1,000 and 100,000 mentions,
// the chips' counts and the first page of 48 for each, medians; then what the index costs:
// the database's size and the time to store 100,000 mentions, with the index and without it.
//
//   search_index [RUNS=15]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/feed_bench.h"
#include "kiosk/store/kiosk_store.h"

namespace {

using kiosk::bench::Clock;
using kiosk::bench::kFeedTexts;
using kiosk::bench::ms_since;
using kiosk::bench::query_ms;
using kiosk::store::FeedFilter;
using kiosk::store::Store;

// Stores count triaged mentions in batches of 5,000, as a sync brings them; milliseconds taken.
// Without the index, its table and triggers are dropped first (the schema before it).
double fill(const std::string& path, int count,
            const std::shared_ptr<const kiosk::core::Lexicon>& lexicon, bool with_index) {
  if (!with_index) {
    Store migrated(path);
    kiosk::store::Database raw(path);
    raw.exec(
        "DROP TRIGGER mentions_search_insert; DROP TRIGGER mentions_search_delete; "
        "DROP TRIGGER mentions_search_update; DROP TABLE mentions_search");
  }
  Store s(path);
  s.set_lexicon(lexicon);
  std::vector<kiosk::core::Mention> batch;
  const std::int64_t now = 1'732'320'000'000;
  const auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::string text = std::string(kFeedTexts[i % 5]) + " #" + std::to_string(i);
    if (i % 10'000 == 500) text += " The freezer door was left open.";  // the rare word
    kiosk::core::Mention m{"m" + std::to_string(i),
                           "s1",
                           i % 3 ? "mastodon" : "google",
                           "customer " + std::to_string(i % 997),
                           text,
                           "",
                           now - std::int64_t{i} * 60'000};
    if (i % 3 == 0) m.rating = 1 + i % 5;
    batch.push_back(std::move(m));
    if (batch.size() == 5'000) {
      s.upsert_mentions(batch, now);
      batch.clear();
    }
  }
  s.upsert_mentions(batch, now);
  return ms_since(t0);
}

void compare(const std::string& path, const char* label, int runs) {
  Store s(path);
  std::printf("%s mentions (median of %d; scan / index / ratio):\n", label, runs);
  for (const char* word : {"bakery", "freezer", "ok"}) {
    const auto found = s.feed_count({FeedFilter::all, word});
    for (const bool counts : {true, false}) {
      double ms[2] = {0, 0};
      for (const auto path_kind : {Store::SearchPath::scan, Store::SearchPath::automatic}) {
        s.set_search_path(path_kind);
        ms[path_kind == Store::SearchPath::scan ? 0 : 1] =
            counts ? query_ms([&] { s.feed_counts(word); }, runs)
                   : query_ms(
                         [&] {
                           s.feed_page({FeedFilter::all, word}, 0, 48);
                         },
                         runs);
      }
      const std::string what = std::string(counts ? "counts of 6 chips, \"" : "page of 48, \"") +
                               word + "\" (" + std::to_string(found) + " found)";
      std::printf("  %-40s %9.3f ms %9.3f ms %8.3fx\n", what.c_str(), ms[0], ms[1], ms[1] / ms[0]);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(3, std::atoi(argv[1])) : 15;
  const auto lex = kiosk::bench::lexicon_or_exit("search_index");
  const auto dir = kiosk::bench::fresh_dir("kiosk-search-index");
  const std::string small = (dir / "small.sqlite").string();
  const std::string big = (dir / "big.sqlite").string();
  const std::string bare = (dir / "bare.sqlite").string();

  fill(small, 1'000, lex, true);
  const double bare_ms = fill(bare, 100'000, lex, false);
  const double big_ms = fill(big, 100'000, lex, true);
  compare(small, "1,000", runs);
  compare(big, "100,000", runs);

  const auto mib = [](const std::string& p) {
    return static_cast<double>(std::filesystem::file_size(p)) / (1024.0 * 1024.0);
  };
  std::printf("storing 100,000 mentions (batches of 5,000; without / with the index / ratio):\n");
  std::printf("  time  %9.0f ms %9.0f ms %7.2fx\n", bare_ms, big_ms, big_ms / bare_ms);
  std::printf("  size  %9.1f MiB %7.1f MiB %7.2fx\n", mib(bare), mib(big), mib(big) / mib(bare));
  std::filesystem::remove_all(dir);
  return 0;
}
