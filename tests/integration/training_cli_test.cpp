// The real kiosk binary's training commands, as a lesson writer and the reply box use them:
// `kiosk coach` over JSON lines on stdin, `kiosk training validate DIR`.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/process.h"

using kiosk::testing::RunResult;
using kiosk::testing::TempDir;
using json = nlohmann::json;

namespace {

std::string kiosk_bin() {
  return kiosk::testing::binary_dir() + "/kiosk/app/kiosk";
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

std::string data(const std::string& name) {
  return kiosk::testing::source_dir() + "/tests/data/" + name;
}

std::string shipped_pack() {
  return kiosk::testing::source_dir() + "/assets/training/frontline-basics";
}

}  // namespace

TEST_CASE("[cli] kiosk coach answers each labelled draft with one JSON line") {
  // The labelled file's lines are {"label", "mention", "draft"}: extra fields are ignored.
  const std::string input = read(data("coach_drafts.jsonl"));
  const auto in_lines = lines(input);
  const auto r = kiosk::testing::run_with_input(
      {kiosk_bin(), "coach", "--earlier", data("coach_earlier_replies.txt")}, input);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto out_lines = lines(r.out);
  REQUIRE(out_lines.size() == in_lines.size());
  int agree = 0;
  for (std::size_t i = 0; i < out_lines.size(); ++i) {
    const auto out = json::parse(out_lines[i]);
    REQUIRE(out.at("generic").is_boolean());
    const int score = out.at("score").get<int>();
    CHECK(score >= 0);
    CHECK(score <= 100);
    REQUIRE(out.at("hints").is_array());
    CHECK(out.at("hints").size() >= 1);
    CHECK(out.at("hints").size() <= 3);
    for (const auto& h : out.at("hints")) CHECK(h.is_string());
    const bool labelled_generic = json::parse(in_lines[i]).at("label") == "generic";
    agree += out.at("generic").get<bool>() == labelled_generic ? 1 : 0;
  }
  CHECK(agree * 10 >= static_cast<int>(out_lines.size()) * 9);
}

TEST_CASE("[cli] kiosk coach: bare lines, earlier replies, and bad lines that lose nothing") {
  TempDir dir;
  const std::string earlier = dir.file("earlier.txt");
  std::ofstream(earlier) << "# posted last week\n"
                            "Hi Maria, thanks for telling us about the wait at the pharmacy "
                            "counter. I've spoken to the shift lead and from Monday we open a "
                            "second till at lunchtime. Jorge\n";
  const std::string input =
      "We value your feedback, please DM us\n"
      "\n"
      "{\"mention\": \"Queue at the deli was 20 minutes\", \"draft\": \"Hi Maria, thanks for "
      "telling us about the wait at the deli counter. I've spoken to the shift lead and from "
      "Monday we open a second till at lunchtime. Jorge\"}\n"
      "{\"mention\": \"no draft here\"}\n"
      "{\"mention\": \"Toilets were filthy at lunchtime\", \"draft\": \"You're right about the "
      "toilets at lunchtime. I cleaned them myself at 2pm and added a named check each shift "
      "from today. Omar, store manager\"}\n";
  const auto r =
      kiosk::testing::run_with_input({kiosk_bin(), "coach", "--earlier", earlier}, input);
  CHECK(r.exit_code == 1);  // one line could not be read...
  CHECK(r.err.find("line 4: missing \"draft\"") != std::string::npos);
  const auto out = lines(r.out);
  REQUIRE(out.size() == 4);  // ...and every other line was still answered, in order
  const auto bare = json::parse(out[0]);
  CHECK(bare.at("generic") == true);
  CHECK(bare.at("hints")[0].get<std::string>().find("We value your feedback") != std::string::npos);
  const auto copy = json::parse(out[1]);
  CHECK(copy.at("generic") == true);
  CHECK(copy.at("near_duplicate") == true);
  CHECK(json::parse(out[2]).contains("error"));
  const auto good = json::parse(out[3]);
  CHECK(good.at("generic") == false);
  CHECK(good.at("score").get<int>() >= 70);

  const auto missing = kiosk::testing::run_with_input(
      {kiosk_bin(), "coach", "--earlier", dir.file("absent.txt")}, "hello\n");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot read") != std::string::npos);
}

TEST_CASE("[cli] kiosk training validate: the shipped pack passes, a broken copy is refused") {
  const auto ok = kiosk::testing::run({kiosk_bin(), "training", "validate", shipped_pack()});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("valid, 24 lessons in en, es") != std::string::npos);

  TempDir dir;
  namespace fs = std::filesystem;
  for (const auto& e : fs::directory_iterator(shipped_pack()))
    fs::copy_file(e.path(), fs::path(dir.path) / e.path().filename());
  fs::remove(fs::path(dir.path) / "listen-first.es.lesson");
  {
    const auto path = fs::path(dir.path) / "sign-your-reply.es.lesson";
    std::string text = read(path.string());
    text.replace(text.find("answer: b"), 9, "answer: e");
    std::ofstream(path, std::ios::binary) << text;
  }
  {
    const auto path = fs::path(dir.path) / "clean-toilets.en.lesson";
    std::string text = read(path.string());
    text.replace(text.find("Toilets"), 1, "\xC3");  // line 5, the title
    std::ofstream(path, std::ios::binary) << text;
  }
  const auto bad = kiosk::testing::run({kiosk_bin(), "training", "validate", dir.path});
  CHECK(bad.exit_code == 1);
  const auto problems = lines(bad.out);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].find("clean-toilets.en.lesson:5: broken UTF-8") != std::string::npos);
  CHECK(problems[1].find("listen-first.en.lesson:1: lesson \"listen-first\" has no es version") !=
        std::string::npos);
  CHECK(problems[2].find("sign-your-reply.es.lesson:19: answer \"e\" is not one of the choices") !=
        std::string::npos);
  CHECK(bad.err.find("rejected whole") != std::string::npos);

  const auto not_dir = kiosk::testing::run({kiosk_bin(), "training", "validate", dir.file("x")});
  CHECK(not_dir.exit_code == 1);
  CHECK(not_dir.err.find("is not a folder") != std::string::npos);
}

TEST_CASE("[cli] kiosk training answer and next: progress kept in the store, why in words") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  auto k = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {kiosk_bin(), "--db", db, "training"});
    return kiosk::testing::run(args);
  };
  // A fixed Monday, 10:00 UTC, so the test does not depend on today's date.
  const std::int64_t t0 = 1'700'000'000'000 / 86'400'000 * 86'400'000 + 10 * 3'600'000;
  const auto at = [](std::int64_t ms) { return std::to_string(ms); };

  auto first = json::parse(k({"next", "--staff", "ana", "--json", "--at-ms", at(t0)}).out);
  CHECK(first.at("lesson").at("reason") == "new_lesson");
  CHECK(first.at("lesson").at("id") == "speak-for-the-brand");  // order: 1
  CHECK(first.at("daily_set").size() == 2);                     // two new lessons a day
  CHECK(first.at("lessons_in_pack") == 24);

  auto wrong = k({"answer", "--staff", "ana", "--lesson", "listen-first", "--wrong", "--sure",
                  "--at-ms", at(t0)});
  CHECK(wrong.exit_code == 0);
  CHECK(wrong.out.find("box 1, back in 1 day") != std::string::npos);
  CHECK(k({"answer", "--staff", "ana", "--lesson", "always-on-camera", "--right", "--sure",
           "--at-ms", at(t0)})
            .exit_code == 0);

  // Later the same day: both new lessons for today are used, nothing is due.
  auto later =
      json::parse(k({"next", "--staff", "ana", "--json", "--at-ms", at(t0 + 3'600'000)}).out);
  CHECK(later.at("lesson").is_null());
  CHECK(later.at("why").get<std::string>().find("Nothing due now") != std::string::npos);
  CHECK(later.at("lessons_answered") == 2);

  // The next day the wrong answer comes first, with its reason.
  auto tomorrow =
      json::parse(k({"next", "--staff", "ana", "--json", "--at-ms", at(t0 + 86'400'000)}).out);
  CHECK(tomorrow.at("lesson").at("id") == "listen-first");
  CHECK(tomorrow.at("lesson").at("reason") == "answered_wrong");
  CHECK(tomorrow.at("why").get<std::string>().find("wrongly") != std::string::npos);
  // Another member of staff has their own progress.
  auto bea =
      json::parse(k({"next", "--staff", "bea", "--json", "--at-ms", at(t0 + 86'400'000)}).out);
  CHECK(bea.at("lesson").at("reason") == "new_lesson");

  auto unknown = k({"answer", "--staff", "ana", "--lesson", "nope", "--right", "--sure"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("no lesson \"nope\"") != std::string::npos);
  auto both =
      k({"answer", "--staff", "ana", "--lesson", "listen-first", "--right", "--sure", "--unsure"});
  CHECK(both.exit_code != 0);
}
