#include "kiosk/app/training_commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>

#include "kiosk/core/reply_coach.h"
#include "kiosk/core/training_pack.h"

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
          {"duplicate_similarity", static_cast<double>(static_cast<int>(r.duplicate_similarity * 100)) / 100},
          {"names_issue", r.names_issue},
          {"names_person", r.names_person},
          {"next_step", r.next_step},
          {"language", r.language}};
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
      if (j.contains("mention") && j["mention"].is_string()) mention = j["mention"].get<std::string>();
    } else {
      draft = line;
    }
    out << dump_line(report_json(core::coach_reply(draft, mention, earlier))) << '\n'
        << std::flush;
  }
  return errors ? 1 : 0;
}

int command_training_validate(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::fprintf(stderr, "kiosk training validate: %s is not a folder: give the pack's folder, "
                         "e.g. assets/training/frontline-basics\n", dir.c_str());
    return 1;
  }
  std::vector<core::PackFile> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({e.path().filename().string(), ss.str()});
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  const auto check = core::check_pack(files);
  const std::string prefix = (fs::path(dir) / "").string();
  for (const auto& p : check.problems) {
    auto shown = p;
    if (shown.file != "(pack)") shown.file = prefix + shown.file;
    std::printf("%s\n", core::format_problem(shown).c_str());
  }
  if (!check.ok()) {
    std::fprintf(stderr, "kiosk training validate: %zu problems; the pack is rejected whole "
                         "(a kiosk keeps its previous pack)\n", check.problems.size());
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

}  // namespace kiosk::app
