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

core::TrainingRules local_rules(std::int64_t now_ms) {
  return local_training_rules(now_ms);
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

core::TrainingRules local_training_rules(std::int64_t now_ms) {
  core::TrainingRules rules;
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm local{};
  if (localtime_r(&t, &local)) rules.utc_offset_minutes = static_cast<int>(local.tm_gmtoff / 60);
  return rules;
}

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

std::string pack_name_of_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::string name = fs::path(dir).lexically_normal().filename().string();
  if (name.empty()) name = fs::path(dir).lexically_normal().parent_path().filename().string();
  return name;
}

std::optional<ActivePack> load_active_pack(store::Store& store, const std::string& dir,
                                           std::string& error) {
  const auto bundled = core::check_pack(read_pack_dir(dir));
  ActivePack out;
  out.name = pack_name_of_dir(dir);
  if (const auto received = store.received_pack(out.name)) {
    // Checked when it arrived; checked again, as a file can be edited under a program.
    auto check = core::check_pack(received->files);
    if (check.ok() && (!bundled.ok() || core::received_pack_is_newer(check.pack, bundled.pack))) {
      out.pack = std::move(check.pack);
      out.version = received->version;
      out.from = "head office";
      return out;
    }
  }
  if (!bundled.ok()) {
    error = "the training pack in " + dir + " has " + std::to_string(bundled.problems.size()) +
            " problems (first: " + core::format_problem(bundled.problems.front()) +
            "); run kiosk training validate " + dir;
    return std::nullopt;
  }
  out.pack = bundled.pack;
  out.from = "bundled";
  return out;
}

namespace {

// The active pack (head office's when newer, else the folder's), or a sentence saying why not.
std::optional<ActivePack> load_pack(store::Store& store, const std::string& dir) {
  std::string error;
  auto pack = load_active_pack(store, dir, error);
  if (!pack) fail(error);
  return pack;
}

}  // namespace

int command_training_next(const TrainingNextOptions& o) {
  const std::int64_t now = o.at_ms.value_or(wall_clock_ms());
  const auto rules = local_rules(now);
  try {
    store::Store s(o.db);
    const auto active = load_pack(s, o.pack_dir);
    if (!active) return 1;
    const core::TrainingPack* pack = &active->pack;
    const auto progress = s.training_progress(o.staff);
    const auto next = core::next(*pack, progress, now, rules, o.language);
    const auto daily = core::daily_set(*pack, progress, now, rules, o.language);
    if (o.json) {
      json set = json::array();
      for (const auto& p : daily) set.push_back(pick_json(*pack, p, o.language));
      json j = {
          {"staff", o.staff},
          {"at_ms", now},
          {"lesson", next.pick ? pick_json(*pack, *next.pick, o.language) : json(nullptr)},
          {"why", next.why},
          {"next_due_ms", next.next_due_ms ? json(*next.next_due_ms) : json(nullptr)},
          {"daily_set", set},
          {"lessons_answered", progress.size()},
          {"lessons_in_pack", pack->ids().size()},
          {"pack", {{"name", active->name}, {"version", active->version}, {"from", active->from}}}};
      if (const auto refused = s.pack_refusal(active->name))
        j["pack"]["refused"] = {{"version", refused->version}, {"reason", refused->reason}};
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
  const std::int64_t now = o.at_ms.value_or(wall_clock_ms());
  const auto rules = local_rules(now);
  try {
    store::Store s(o.db);
    const auto active = load_pack(s, o.pack_dir);
    if (!active) return 1;
    const core::Lesson* lesson = active->pack.find(lesson_id, o.language);
    if (!lesson)
      return fail("no lesson \"" + lesson_id + "\" in the " + active->from + " pack " +
                  active->name + " (kiosk training next --staff ID --json lists what is due)");
    auto recorded = record_training_answer(s, *lesson, o.staff, correct, sure, now);
    if (!recorded) return fail(recorded.error());
    const core::LessonProgress& p = recorded.value();
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

core::Result<core::LessonProgress> record_training_answer(store::Store& s,
                                                          const core::Lesson& lesson,
                                                          const std::string& staff, bool correct,
                                                          bool sure, std::int64_t now) {
  using R = core::Result<core::LessonProgress>;
  const auto rules = local_training_rules(now);
  auto progress = s.training_progress(staff);
  const auto p =
      core::record_answer(progress[lesson.id], lesson.version, {correct, sure}, now, rules);
  // The answer goes to head office (its training report) through the outbox, in the same
  // transaction as the progress it changed.
  const sync::protocol::TrainingAnswered answered{staff,   lesson.id, lesson.version,
                                                  correct, sure,      now};
  const std::string body = sync::protocol::body_of(answered);
  if (auto why = sync::protocol::check_body("training.answered", body)) return R::failure(*why);
  s.save_training_progress(staff, lesson.id, p,
                           store::NewEvent{"training.answered", lesson.id, body}, now);
  return p;
}

core::Result<std::string> suggest_reply(store::Store& s, const std::string& mention_id,
                                        const std::string& text, const std::string& staff,
                                        std::int64_t now) {
  using R = core::Result<std::string>;
  if (!s.mention(mention_id))
    return R::failure("no mention \"" + mention_id +
                      "\" on this terminal (kiosk mentions lists them)");
  const sync::protocol::ReplySuggested v{store::Store::make_id(), mention_id, text, staff, now};
  const std::string body = sync::protocol::body_of(v);
  if (auto why = sync::protocol::check_body("reply.suggested", body)) return R::failure(*why);
  store::ReplySuggestion row;
  row.id = v.suggestion_id;
  row.mention_id = v.mention_id;
  row.staff_id = v.staff_id;
  row.text = v.text;
  row.suggested_at_ms = now;
  s.suggest_reply(row, store::NewEvent{"reply.suggested", mention_id, body});
  return v.suggestion_id;
}

int command_reply(const ReplyOptions& o) {
  if (o.text.empty()) return fail("--text must hold the reply as you would post it");
  const std::int64_t now = wall_clock_ms();
  try {
    store::Store s(o.db);
    const auto mention = s.mention(o.mention_id);
    if (!mention)
      return fail("no mention \"" + o.mention_id +
                  "\" on this terminal (kiosk mentions lists them)");
    // The coach first, as on the screen: the hints help; they never stop a suggestion.
    core::EarlierReplies earlier;
    for (const auto& r : s.reply_suggestions(std::nullopt))
      earlier.add(r.final_text.empty() ? r.text : r.final_text);
    const auto report = core::coach_reply(o.text, mention->text, earlier);
    const auto id = suggest_reply(s, o.mention_id, o.text, o.staff, now);
    if (!id) return fail(id.error());
    const sync::protocol::ReplySuggested v{id.value(), o.mention_id, o.text, o.staff, now};
    if (o.json) {
      json j = report_json(report);
      j["suggestion_id"] = v.suggestion_id;
      std::printf("%s\n", dump_line(j).c_str());
    } else {
      std::printf("Suggested reply %s queued for head office's approval (coach score %d%s)\n",
                  v.suggestion_id.c_str(), report.score, report.generic ? ", reads generic" : "");
      for (const auto& h : report.hints) std::printf("  hint: %s\n", h.text.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

int command_replies(const std::string& db, bool as_json) {
  try {
    store::Store s(db);
    const auto list = s.reply_suggestions(std::nullopt);
    if (as_json) {
      json array = json::array();
      for (const auto& r : list)
        array.push_back({{"id", r.id},
                         {"mention_id", r.mention_id},
                         {"staff_id", r.staff_id},
                         {"text", r.text},
                         {"suggested_at_ms", r.suggested_at_ms},
                         {"outcome", r.outcome},
                         {"final_text", r.final_text},
                         {"comment", r.comment},
                         {"decided_by", r.decided_by},
                         {"decided_at_ms", r.decided_at_ms}});
      std::printf("%s\n", array.dump(2, ' ', false, json::error_handler_t::replace).c_str());
      return 0;
    }
    if (list.empty()) std::printf("No suggested replies yet.\n");
    for (const auto& r : list) {
      std::printf("%s  mention=%s  %s\n  \"%s\"\n", r.id.c_str(), r.mention_id.c_str(),
                  r.outcome.c_str(), r.text.c_str());
      if (r.outcome == "edited")
        std::printf("  head office's version: \"%s\"\n", r.final_text.c_str());
      if (!r.comment.empty()) std::printf("  %s: %s\n", r.decided_by.c_str(), r.comment.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

}  // namespace kiosk::app
