#include "kiosk/app/cli/triage_command.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kiosk/core/utf8.h"
#include "sync/sources/lexicon_files.h"

namespace kiosk::app {
namespace {

using json = nlohmann::json;

bool read_line(std::FILE* in, std::string& line) {
  line.clear();
  int c = 0;
  while ((c = std::fgetc(in)) != EOF) {
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
  }
  return !line.empty();
}

// A count from the input, if it is a non-negative integer.
std::optional<std::int64_t> count_of(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<std::int64_t> reach_count(const json& j, const char* key) {
  if (auto v = count_of(j, key)) return v;
  if (j.contains("metrics")) return count_of(j["metrics"], key);
  return std::nullopt;
}

json to_json(const core::Triage& t, std::size_t line_no, const json& id) {
  json reasons = json::array();
  for (auto r : t.reasons) reasons.push_back(std::string(core::reason_words(r)));
  json j = {{"line", line_no},
            {"sentiment", core::to_string(t.sentiment)},
            {"score", std::round(t.score * 10000) / 10000},
            {"urgency", core::to_string(t.urgency)},
            {"urgency_level", static_cast<int>(t.urgency)},
            {"category", core::to_string(t.category)},
            {"category_words", t.category_words},
            {"attention", core::to_string(t.attention)},
            {"priority", t.priority},
            {"reasons", reasons}};
  if (!id.is_null()) j["id"] = id;
  if (t.staff) j["staff"] = {{"who", t.staff->who}, {"where", t.staff->where}};
  return j;
}

}  // namespace

core::Result<core::Lexicon> load_lexicon(const std::string& assets_dir) {
  return sync::sources::load_lexicon(assets_dir);
}

int command_triage(const std::string& assets_dir, std::FILE* in, std::FILE* out, std::FILE* err) {
  const auto lexicon = load_lexicon(assets_dir);
  if (!lexicon) {
    std::fprintf(err, "kiosk: %s\n", lexicon.error().c_str());
    return 1;
  }
  std::string raw;
  std::size_t line_no = 0, skipped = 0;
  const auto skip = [&](const std::string& why) {
    ++skipped;
    std::fprintf(err, "kiosk triage: line %zu skipped: %s\n", line_no, why.c_str());
  };
  while (read_line(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (raw.find_first_not_of(" \t") == std::string::npos) continue;
    std::string line = raw;
    if (!core::is_valid_utf8(line)) {
      line = core::repair_utf8(line);
      std::fprintf(err,
                   "kiosk triage: line %zu is not valid UTF-8; the bad bytes were read as "
                   "U+FFFD\n",
                   line_no);
    }
    std::string text = line;
    std::optional<int> rating;
    core::Reach reach;
    json id;
    if (line[line.find_first_not_of(" \t")] == '{') {
      const auto j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        skip("not valid JSON (expected {\"text\": \"...\", \"rating\": 1-5} or a plain text)");
        continue;
      }
      if (!j.contains("text") || !j["text"].is_string()) {
        skip("no \"text\" string in this JSON object");
        continue;
      }
      text = j["text"].get<std::string>();
      if (j.contains("rating") && !j["rating"].is_null()) {
        const auto& r = j["rating"];
        if (r.is_number_integer() && r.get<std::int64_t>() >= 1 && r.get<std::int64_t>() <= 5)
          rating = static_cast<int>(r.get<std::int64_t>());
        else
          std::fprintf(err,
                       "kiosk triage: line %zu: \"rating\" must be a whole number of stars from "
                       "1 to 5; triaged from the text alone\n",
                       line_no);
      }
      if (j.contains("id") && (j["id"].is_string() || j["id"].is_number_integer())) id = j["id"];
      reach = {reach_count(j, "followers"), reach_count(j, "likes"), reach_count(j, "reposts"),
               reach_count(j, "replies")};
    }
    const auto t = core::triage(*lexicon, {text, rating, reach});
    std::fprintf(
        out, "%s\n",
        to_json(t, line_no, id).dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  }
  std::fflush(out);
  if (skipped > 0) {
    std::fprintf(err, "kiosk triage: %zu of %zu lines skipped (see above)\n", skipped, line_no);
    return 1;
  }
  return 0;
}

}  // namespace kiosk::app
