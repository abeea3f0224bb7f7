// The reply coach on the labelled drafts in tests/data: precision and recall of its
// "generic" flag, then its speed per draft as the list of earlier replies grows (the
// baseline is the same drafts with no earlier replies, measured in the same run).
//
//   coach_eval [DATA_DIR] [--show]      DATA_DIR defaults to this tree's tests/data
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kiosk/core/reply_coach.h"

namespace {

struct Labelled {
  bool generic = false;
  std::string mention;
  std::string draft;
};

std::vector<Labelled> load(const std::string& path) {
  std::vector<Labelled> out;
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("label") || !j.contains("draft")) {
      std::fprintf(stderr, "%s:%d: not a labelled draft\n", path.c_str(), n);
      std::exit(2);
    }
    out.push_back({j["label"] == "generic", j.value("mention", ""), j["draft"]});
  }
  return out;
}

kiosk::core::EarlierReplies load_earlier(const std::string& path) {
  kiosk::core::EarlierReplies e;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') e.add(line);
  return e;
}

void evaluate(const char* name, const std::vector<Labelled>& set,
              const kiosk::core::EarlierReplies& earlier, bool show) {
  int tp = 0, fp = 0, fn = 0, tn = 0;
  for (const auto& d : set) {
    const auto r = kiosk::core::coach_reply(d.draft, d.mention, earlier);
    if (r.generic && d.generic) ++tp;
    if (r.generic && !d.generic) ++fp;
    if (!r.generic && d.generic) ++fn;
    if (!r.generic && !d.generic) ++tn;
    if (show && r.generic != d.generic)
      std::printf("  MISS (labelled %s, score %d, issue %d person %d step %d dup %.2f): %s\n",
                  d.generic ? "generic" : "specific", r.score, r.names_issue, r.names_person,
                  r.next_step, r.duplicate_similarity, d.draft.c_str());
  }
  const double precision = tp + fp ? 100.0 * tp / (tp + fp) : 0;
  const double recall = tp + fn ? 100.0 * tp / (tp + fn) : 0;
  std::printf(
      "%-8s %3zu drafts (%2d generic): precision %5.1f %%  recall %5.1f %%  "
      "(tp %d, fp %d, fn %d, tn %d)\n",
      name, set.size(), tp + fn, precision, recall, tp, fp, fn, tn);
}

// Earlier replies that look like real ones: the labelled drafts with words swapped by a
// fixed-seed generator, so none is an exact copy.
kiosk::core::EarlierReplies synthetic_earlier(const std::vector<Labelled>& drafts, std::size_t n) {
  kiosk::core::EarlierReplies e;
  std::uint64_t seed = 42;
  auto rnd = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  for (std::size_t i = 0; i < n; ++i) {
    std::string text = drafts[rnd() % drafts.size()].draft;
    std::vector<std::string> words;
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto sp = text.find(' ', pos);
      if (sp == std::string::npos) sp = text.size();
      words.push_back(text.substr(pos, sp - pos));
      pos = sp + 1;
    }
    for (int k = 0; k < 4 && words.size() > 1; ++k)
      std::swap(words[rnd() % words.size()], words[rnd() % words.size()]);
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    e.add(out);
  }
  return e;
}

double median_us_per_draft(const std::vector<Labelled>& set,
                           const kiosk::core::EarlierReplies& earlier) {
  std::vector<double> runs;
  int sink = 0;
  for (int r = 0; r < 7; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int rep = 0; rep < 5; ++rep)
      for (const auto& d : set) sink += kiosk::core::coach_reply(d.draft, d.mention, earlier).score;
    const auto t1 = std::chrono::steady_clock::now();
    runs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() /
                   static_cast<double>(5 * set.size()));
  }
  std::sort(runs.begin(), runs.end());
  if (sink == -1) std::printf("%d\n", sink);  // keeps the work from being optimised away
  return runs[runs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = KIOSK_SOURCE_DIR "/tests/data";
  bool show = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--show")
      show = true;
    else
      dir = a;
  }
  const auto dev = load(dir + "/coach_drafts.jsonl");
  const auto holdout = load(dir + "/coach_drafts_holdout.jsonl");
  const auto earlier = load_earlier(dir + "/coach_earlier_replies.txt");
  std::printf("Reply coach, generic flag (earlier replies: %zu)\n", earlier.size());
  evaluate("dev", dev, earlier, show);
  evaluate("holdout", holdout, earlier, show);
  auto all = dev;
  all.insert(all.end(), holdout.begin(), holdout.end());
  evaluate("all", all, earlier, false);

  std::printf("\nSpeed per draft (median of 7 runs over %zu drafts x 5)\n", all.size());
  const kiosk::core::EarlierReplies none;
  const double base = median_us_per_draft(all, none);
  std::printf("  %6d earlier replies: %8.1f us/draft  %9.0f drafts/s  (baseline)\n", 0, base,
              1e6 / base);
  for (std::size_t n : {1000u, 10000u, 50000u}) {
    const auto e = synthetic_earlier(all, n);
    const double us = median_us_per_draft(all, e);
    std::printf("  %6zu earlier replies: %8.1f us/draft  %9.0f drafts/s  (%.1fx baseline)\n", n, us,
                1e6 / us, us / base);
  }
  return 0;
}
