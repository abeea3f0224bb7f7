#include "kiosk/app/cli/training_commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>

#include "sync/protocol/contracts.h"

#include <ctime>

#include "kiosk/app/view/clock.h"
#include "kiosk/core/reply_coach.h"
#include "kiosk/core/training_pack.h"
#include "kiosk/core/training_schedule.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::app {
namespace {

using json = nlohmann::json;

std::string dump_line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json report_json(const core::CoachReport& r) {
  json hints = json::array(), kinds = json::array();
  for (const auto& h : r.hints) {
    hints.push_back(h.text);
    kinds.push_back(std::string(core::to_string(h.kind)));
  }
  return {{"generic", r.generic},
          {"score", r.score},
          {"hints", hints},
          {"hint_kinds", kinds},
          {"generic_phrases", r.generic_phrases},
          {"near_duplicate", r.near_duplicate},
          {"duplicate_similarity",
           static_cast<double>(static_cast<int>(r.duplicate_similarity * 100)) / 100},
          {"names_issue", r.names_issue},
          {"names_person", r.names_person},
          {"next_step", r.next_step},
          {"language", r.language}};
}

int fail(const std::string& message) {
  std::fprintf(stderr, "kiosk training: %s\n", message.c_str());
  return 1;
}

// Every regular file of the folder, by name. Empty when the folder cannot be read.
std::vector<core::PackFile> read_pack_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<core::PackFile> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({e.path().filename().string(), ss.str()});
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return files;
}

// The store's local day follows the machine's time zone (its offset now).
core::TrainingRules local_rules(std::int64_t now_ms) {
  core::TrainingRules rules;
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm local{};
  if (localtime_r(&t, &local)) rules.utc_offset_minutes = static_cast<int>(local.tm_gmtoff / 60);
  return rules;
}

json pick_json(const core::TrainingPack& pack, const core::Pick& p, const std::string& language) {
  json j = {{"id", p.lesson_id},
            {"reason", std::string(core::to_string(p.reason))},
            {"why", p.why},
            {"box", p.box},
            {"seconds", p.seconds}};
  if (const core::Lesson* l = pack.find(p.lesson_id, language)) {
    j["title"] = l->title;
    j["version"] = l->version;
    j["language"] = l->language;
    json cats = json::array();
    for (auto c : l->categories) cats.push_back(std::string(core::to_string(c)));
    j["categories"] = cats;
  }
  return j;
}

}  // namespace

int command_coach(std::istream& in, std::ostream& out, const std::string& earlier_file) {
  core::EarlierReplies earlier;
  if (!earlier_file.empty()) {
    std::ifstream f(earlier_file, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "kiosk coach: cannot read %s: check the path and permissions\n",
                   earlier_file.c_str());
      return 1;
    }
    std::string line;
    while (std::getline(f, line))
      if (!line.empty() && line[0] != '#') earlier.add(line);
  }
  int errors = 0, line_no = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    std::string mention, draft;
    if (line[first] == '{') {
      const auto j = json::parse(line, nullptr, false);
      std::string problem;
      if (j.is_discarded())
        problem = "not valid JSON (or not UTF-8)";
      else if (!j.contains("draft") || !j["draft"].is_string())
        problem = "missing \"draft\" (a string)";
      else if (j.contains("mention") && !j["mention"].is_string() && !j["mention"].is_null())
        problem = "\"mention\" must be a string";
      if (!problem.empty()) {
        ++errors;
        const std::string message = "line " + std::to_string(line_no) + ": " + problem +
                                    "; expected {\"mention\": \"...\", \"draft\": \"...\"} or a "
                                    "bare line of text";
        std::fprintf(stderr, "kiosk coach: %s\n", message.c_str());
        out << dump_line({{"error", message}}) << '\n' << std::flush;
        continue;
      }
      draft = j["draft"].get<std::string>();
      if (j.contains("mention") && j["mention"].is_string())
        mention = j["mention"].get<std::string>();
    } else {
      draft = line;
    }
    out << dump_line(report_json(core::coach_reply(draft, mention, earlier))) << '\n' << std::flush;
  }
  return errors ? 1 : 0;
}

int command_training_validate(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::fprintf(stderr,
                 "kiosk training validate: %s is not a folder: give the pack's folder, "
                 "e.g. assets/training/frontline-basics\n",
                 dir.c_str());
    return 1;
  }
  const auto check = core::check_pack(read_pack_dir(dir));
  const std::string prefix = (fs::path(dir) / "").string();
  for (const auto& p : check.problems) {
    auto shown = p;
    if (shown.file != "(pack)") shown.file = prefix + shown.file;
    std::printf("%s\n", core::format_problem(shown).c_str());
  }
  if (!check.ok()) {
    std::fprintf(stderr,
                 "kiosk training validate: %zu problems; the pack is rejected whole "
                 "(a kiosk keeps its previous pack)\n",
                 check.problems.size());
    return 1;
  }
  std::set<std::string> languages;
  int quizzes = 0;
  for (const auto& l : check.pack.lessons) {
    languages.insert(l.language);
    quizzes += l.quiz && l.language == "en" ? 1 : 0;
  }
  std::string langs;
  for (const auto& l : languages) langs += (langs.empty() ? "" : ", ") + l;
  std::printf("%s: valid, %zu lessons in %s (%d with a question)\n", dir.c_str(),
              check.pack.ids().size(), langs.c_str(), quizzes);
  return 0;
}

namespace {

// The pack, or a sentence saying why not.
std::optional<core::TrainingPack> load_pack(const std::string& dir) {
  const auto check = core::check_pack(read_pack_dir(dir));
  if (check.ok()) return check.pack;
  fail("the training pack in " + dir + " has " + std::to_string(check.problems.size()) +
       " problems (first: " + core::format_problem(check.problems.front()) +
       "); run kiosk training validate " + dir);
  return std::nullopt;
}

}  // namespace

int command_training_next(const TrainingNextOptions& o) {
  const auto pack = load_pack(o.pack_dir);
  if (!pack) return 1;
  const std::int64_t now = o.at_ms.value_or(wall_clock_ms());
  const auto rules = local_rules(now);
  try {
    store::Store s(o.db);
    const auto progress = s.training_progress(o.staff);
    const auto next = core::next(*pack, progress, now, rules, o.language);
    const auto daily = core::daily_set(*pack, progress, now, rules, o.language);
    if (o.json) {
      json set = json::array();
      for (const auto& p : daily) set.push_back(pick_json(*pack, p, o.language));
      json j = {{"staff", o.staff},
                {"at_ms", now},
                {"lesson", next.pick ? pick_json(*pack, *next.pick, o.language) : json(nullptr)},
                {"why", next.why},
                {"next_due_ms", next.next_due_ms ? json(*next.next_due_ms) : json(nullptr)},
                {"daily_set", set},
                {"lessons_answered", progress.size()},
                {"lessons_in_pack", pack->ids().size()}};
      std::printf("%s\n", j.dump(2, ' ', false, json::error_handler_t::replace).c_str());
      return 0;
    }
    if (next.pick) {
      const core::Lesson* l = pack->find(next.pick->lesson_id, o.language);
      std::printf("Next for %s: %s (%s)\nWhy: %s\n", o.staff.c_str(), l->title.c_str(),
                  l->id.c_str(), next.why.c_str());
    } else {
      std::printf("Nothing for %s now. %s\n", o.staff.c_str(), next.why.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

int command_training_answer(const TrainingNextOptions& o, const std::string& lesson_id,
                            bool correct, bool sure) {
  const auto pack = load_pack(o.pack_dir);
  if (!pack) return 1;
  const core::Lesson* lesson = pack->find(lesson_id, o.language);
  if (!lesson)
    return fail("no lesson \"" + lesson_id + "\" in " + o.pack_dir +
                " (kiosk training next --staff ID --json lists what is due)");
  const std::int64_t now = o.at_ms.value_or(wall_clock_ms());
  const auto rules = local_rules(now);
  try {
    store::Store s(o.db);
    auto progress = s.training_progress(o.staff);
    const auto p =
        core::record_answer(progress[lesson_id], lesson->version, {correct, sure}, now, rules);
    // The answer goes to head office (its training report) through the outbox, in the same
    // transaction as the progress it changed.
    const sync::protocol::TrainingAnswered answered{o.staff, lesson_id, lesson->version,
                                                    correct, sure,      now};
    if (auto why = sync::protocol::check_body("training.answered", body_of(answered)))
      return fail(*why);
    s.save_training_progress(
        o.staff, lesson_id, p,
        store::NewEvent{"training.answered", lesson_id, sync::protocol::body_of(answered)}, now);
    const auto days = core::local_day(p.due_ms, rules.utc_offset_minutes) -
                      core::local_day(now, rules.utc_offset_minutes);
    std::printf("Recorded for %s: %s, %s and %s; box %d, back in %lld %s\n", o.staff.c_str(),
                lesson_id.c_str(), correct ? "right" : "wrong", sure ? "sure" : "unsure", p.box,
                static_cast<long long>(days), days == 1 ? "day" : "days");
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

}  // namespace kiosk::app
