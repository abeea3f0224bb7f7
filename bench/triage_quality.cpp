// Triage quality and speed on labelled customer-service posts (the airline-sentiment data in
// the shared data folder): 3-class macro-F1, accuracy, negative recall and precision of our
// triage beside a plain VADER baseline scored in the same run, and posts per second on one
// thread (median of several runs, thread CPU time). See bench/README.md.
//
//   triage_quality [--shared DIR] [--assets DIR] [--split dev|train] [--runs N]
//                  [--show-errors N]
//
// DIR defaults: $KIOSK_SHARED_DIR, and the source tree's assets/.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/core/triage.h"
#include "kiosk/core/utf8.h"

using namespace kiosk::core;

namespace {

struct Post {
  std::string text;
  Sentiment label = Sentiment::neutral;
};

std::string slurp(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// RFC 4180: fields separated by commas, quoted fields may hold commas, "" and newlines.
std::vector<std::vector<std::string>> parse_csv(const std::string& s) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// The tweets keep Twitter's HTML escapes; a source connector decodes them before triage.
std::string decode_entities(std::string s) {
  const std::array<std::pair<std::string_view, std::string_view>, 4> entities = {
      {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}}};
  for (const auto& [from, to] : entities)
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1))
      s.replace(at, from.size(), to);
  return s;
}

struct Scores {
  double accuracy = 0, macro_f1 = 0, neg_recall = 0, neg_precision = 0;
  std::array<std::array<int, 3>, 3> confusion{};  // [truth][predicted]
};

Scores evaluate(const std::vector<Post>& posts, const std::vector<Sentiment>& predicted) {
  Scores s;
  for (std::size_t i = 0; i < posts.size(); ++i)
    ++s.confusion[static_cast<std::size_t>(posts[i].label)][static_cast<std::size_t>(predicted[i])];
  int correct = 0;
  double f1_sum = 0;
  for (std::size_t c = 0; c < 3; ++c) {
    int tp = s.confusion[c][c], truth = 0, pred = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      truth += s.confusion[c][k];
      pred += s.confusion[k][c];
    }
    correct += tp;
    const double p = pred ? double(tp) / pred : 0, r = truth ? double(tp) / truth : 0;
    f1_sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
    if (c == static_cast<std::size_t>(Sentiment::negative)) {
      s.neg_recall = r;
      s.neg_precision = p;
    }
  }
  s.accuracy = posts.empty() ? 0 : double(correct) / double(posts.size());
  s.macro_f1 = f1_sum / 3;
  return s;
}

Sentiment vader_label(double compound) {
  return compound >= 0.05    ? Sentiment::positive
         : compound <= -0.05 ? Sentiment::negative
                             : Sentiment::neutral;
}

// CPU time of this thread, so other programs on a shared machine do not count against us.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Posts per CPU-second on this thread: each run scores the whole split `passes` times.
template <typename F>
double median_posts_per_second(const std::vector<Post>& posts, int runs, int passes, F&& one) {
  std::vector<double> rates;
  double sink = 0;
  for (int r = 0; r < runs; ++r) {
    const double t0 = thread_cpu_seconds();
    for (int pass = 0; pass < passes; ++pass)
      for (const auto& p : posts) sink += one(p);
    const double secs = thread_cpu_seconds() - t0;
    rates.push_back(double(posts.size()) * passes / secs);
  }
  if (sink == 12345.678) std::puts("");  // keeps the work from being optimised away
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

void print_row(const char* name, const Scores& s, double rate) {
  std::printf("%-28s %8.4f %8.4f %10.4f %10.4f %12.0f\n", name, s.macro_f1, s.accuracy,
              s.neg_recall, s.neg_precision, rate);
}

void print_confusion(const char* name, const Scores& s) {
  std::printf("%s confusion (rows truth, columns predicted: negative neutral positive)\n", name);
  const char* names[] = {"negative", "neutral", "positive"};
  for (std::size_t t = 0; t < 3; ++t)
    std::printf("  %-9s %6d %6d %6d\n", names[t], s.confusion[t][0], s.confusion[t][1],
                s.confusion[t][2]);
}

int usage(const char* why) {
  std::fprintf(stderr,
               "triage_quality: %s\nusage: triage_quality [--shared DIR] [--assets DIR] "
               "[--split dev|train] [--runs N] [--show-errors N]\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const char* env_shared = std::getenv("KIOSK_SHARED_DIR");
  std::string shared = env_shared ? env_shared : "";
  std::string assets = KIOSK_SOURCE_ASSETS_DIR;
  std::string split = "dev";
  int runs = 7, show_errors = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + a).c_str());
    const std::string v = argv[++i];
    if (a == "--shared")
      shared = v;
    else if (a == "--assets")
      assets = v;
    else if (a == "--split")
      split = v;
    else if (a == "--runs")
      runs = std::max(1, std::atoi(v.c_str()));
    else if (a == "--show-errors")
      show_errors = std::atoi(v.c_str());
    else
      return usage(("unknown option " + a).c_str());
  }
  if (shared.empty()) return usage("set KIOSK_SHARED_DIR or pass --shared DIR");
  if (split != "dev" && split != "train") return usage("--split is dev or train");

  bool ok = false;
  const std::string csv_path = shared + "/data/airline-sentiment/tweets.csv";
  const std::string csv = slurp(csv_path, ok);
  if (!ok) return usage(("cannot read " + csv_path).c_str());
  std::string files[3];
  const char* names[3] = {"vader_lexicon.txt", "emoji_utf8_lexicon.txt", "customer_service.tsv"};
  for (int i = 0; i < 3; ++i) {
    files[i] = slurp(assets + "/lexicons/" + names[i], ok);
    if (!ok) return usage(("cannot read " + assets + "/lexicons/" + names[i]).c_str());
  }
  auto lexicon = parse_lexicon({files[0], files[1], files[2]});
  if (!lexicon) return usage(lexicon.error().c_str());

  std::vector<Post> posts;
  const auto rows = parse_csv(csv);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != 9 || row[1] != split) continue;
    const auto label = row[2] == "negative"   ? Sentiment::negative
                       : row[2] == "positive" ? Sentiment::positive
                                              : Sentiment::neutral;
    posts.push_back({decode_entities(repair_utf8(row[8])), label});
  }
  std::printf("%s split: %zu posts (lexicon: %zu words and emoji, %zu phrases)\n\n", split.c_str(),
              posts.size(), lexicon->word_count(), lexicon->phrase_count());

  std::vector<Sentiment> ours, baseline;
  for (const auto& p : posts) {
    ours.push_back(triage(*lexicon, {p.text, std::nullopt, {}}).sentiment);
    baseline.push_back(
        vader_label(score_sentiment(*lexicon, p.text, SentimentRules::plain_vader).compound));
  }
  const int passes = 10;
  const double base_rate = median_posts_per_second(posts, runs, passes, [&](const Post& p) {
    return score_sentiment(*lexicon, p.text, SentimentRules::plain_vader).compound;
  });
  const double our_rate = median_posts_per_second(posts, runs, passes, [&](const Post& p) {
    return triage(*lexicon, {p.text, {}, {}}).score;
  });
  const auto base = evaluate(posts, baseline), mine = evaluate(posts, ours);

  std::printf("%-28s %8s %8s %10s %10s %12s\n", "", "macro-F1", "accuracy", "neg recall",
              "neg prec", "posts/s");
  print_row("VADER baseline (+-0.05)", base, base_rate);
  print_row("triage (customer service)", mine, our_rate);
  std::printf(
      "\nposts/s: per CPU-second of one thread (thread CPU time, so other programs on the "
      "machine do not count), median of %d runs of %d passes over the split; triage takes "
      "%.2fx the baseline's time per post\n\n",
      runs, passes, base_rate / our_rate);
  print_confusion("baseline", base);
  print_confusion("triage", mine);

  const char* label_names[] = {"negative", "neutral", "positive"};
  for (std::size_t i = 0; i < posts.size() && show_errors > 0; ++i) {
    if (ours[i] == posts[i].label) continue;
    --show_errors;
    const auto t = triage(*lexicon, {posts[i].text, {}, {}});
    std::printf("[truth %s, triage %s %.3f] %s\n",
                label_names[static_cast<std::size_t>(posts[i].label)],
                label_names[static_cast<std::size_t>(ours[i])], t.score, posts[i].text.c_str());
  }
  return 0;
}
