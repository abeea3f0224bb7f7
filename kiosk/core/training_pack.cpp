// Training pack files: [1] reading one file into fields with line numbers, [2] checking one
// lesson, [3] checking the lessons against each other (ids, languages, translations agree).
#include "kiosk/core/training_pack.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "kiosk/core/utf8.h"

namespace kiosk::core {
namespace {

constexpr std::string_view kSuffix = ".lesson";

struct Field {
  std::string value;
  int line = 0;
};

// One file as read: its three sections, each field with the line it came from.
struct RawLesson {
  std::string file;
  std::map<std::string, Field> header;
  std::map<std::string, Field> quiz;
  std::string body;
  int body_line = 0;  // line of the "---" that opens the body; 0 if there is none
  int last_line = 0;
};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::size_t count_codepoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

int count_words(std::string_view s) {
  int n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

bool is_header_field(std::string_view k) {
  return k == "id" || k == "version" || k == "order" || k == "language" || k == "title" ||
         k == "categories" || k == "tip";
}

bool is_choice_key(std::string_view k) {
  return k.size() == 1 && k[0] >= 'a' && k[0] <= 'f';
}

bool is_quiz_field(std::string_view k) {
  return k == "question" || k == "answer" || k == "why" || is_choice_key(k);
}

// [1] Splits a file into header, body and quiz. Broken UTF-8 is reported per line and
// repaired so the rest of the file can still be checked.
RawLesson read_raw(const PackFile& f, std::vector<PackProblem>& problems) {
  RawLesson raw;
  raw.file = f.name;
  std::string_view text = f.content;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // editors' UTF-8 mark
  int section = 0;                                                 // 0 header, 1 body, 2 quiz
  int line_no = 0;
  std::map<std::string, Field>* current = &raw.header;
  std::string last_key;
  std::vector<std::string> body_lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view line_view =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (nl == std::string_view::npos && line_view.empty()) break;
    ++line_no;
    if (!line_view.empty() && line_view.back() == '\r') line_view.remove_suffix(1);
    std::string line(line_view);
    if (!is_valid_utf8(line)) {
      problems.push_back({f.name, line_no, "broken UTF-8: save the file as UTF-8 text"});
      line = repair_utf8(line);
    }
    if (trim(line) == "---") {
      if (section == 0) raw.body_line = line_no;
      if (section == 2) {
        problems.push_back({f.name, line_no,
                            "a third \"---\": a lesson has a header, a body "
                            "and at most one question"});
        continue;
      }
      ++section;
      current = section == 2 ? &raw.quiz : nullptr;
      last_key.clear();
      continue;
    }
    if (section == 1) {
      body_lines.push_back(line);
      continue;
    }
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if ((line[0] == ' ' || line[0] == '\t') && !last_key.empty()) {
      auto& v = (*current)[last_key].value;  // a continuation line
      v += (v.empty() ? "" : " ") + t;
      continue;
    }
    const auto colon = t.find(':');
    if (colon == std::string::npos) {
      problems.push_back({f.name, line_no, "expected \"field: value\", found " + quoted(t)});
      continue;
    }
    std::string key = trim(std::string_view(t).substr(0, colon));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    const bool known = section == 0 ? is_header_field(key) : is_quiz_field(key);
    if (!known) {
      problems.push_back(
          {f.name, line_no,
           "unknown field " + quoted(key) +
               (section == 0 ? " in the header (fields: id, version, order, language, "
                               "title, categories, tip)"
                             : " in the question (fields: question, a to f, answer, why)")});
      last_key.clear();
      continue;
    }
    if (auto it = current->find(key); it != current->end()) {
      problems.push_back({f.name, line_no,
                          "field " + quoted(key) + " appears twice (first on line " +
                              std::to_string(it->second.line) + ")"});
      last_key.clear();
      continue;
    }
    (*current)[key] = Field{trim(std::string_view(t).substr(colon + 1)), line_no};
    last_key = key;
  }
  raw.last_line = line_no;
  // The body keeps its paragraphs; blank lines around it go.
  while (!body_lines.empty() && trim(body_lines.back()).empty()) body_lines.pop_back();
  std::size_t first = 0;
  while (first < body_lines.size() && trim(body_lines[first]).empty()) ++first;
  for (std::size_t i = first; i < body_lines.size(); ++i) {
    if (i > first) raw.body += '\n';
    raw.body += body_lines[i];
  }
  return raw;
}

// A whole number of at most six digits, or 0.
int whole_number(const std::string& s) {
  const bool digits = !s.empty() && s.size() <= 6 &&
                      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits ? std::stoi(s) : 0;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_language(std::string_view l) {
  return l.size() == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z';
}

// [2] One lesson on its own: required fields, their shapes and sizes.
std::optional<Lesson> check_lesson(const RawLesson& raw, const PackRules& rules,
                                   std::vector<PackProblem>& problems) {
  const std::size_t before = problems.size();
  auto add = [&](int line, std::string message) {
    problems.push_back({raw.file, line, std::move(message)});
  };
  const int header_end = raw.body_line > 0 ? raw.body_line : std::max(1, raw.last_line);
  if (raw.body_line == 0)
    add(header_end, "no \"---\" line: the body starts after a line that is exactly ---");
  // A field that must be there and not empty; a missing one is reported where its section ends.
  auto find_required = [&](const std::map<std::string, Field>& fields, const char* key,
                           int missing_line, const char* section) -> const Field* {
    const auto it = fields.find(key);
    if (it == fields.end() || it->second.value.empty()) {
      add(it == fields.end() ? missing_line : it->second.line,
          std::string("missing field \"") + key + "\" in the " + section);
      return nullptr;
    }
    return &it->second;
  };
  auto required = [&](const char* key) {
    return find_required(raw.header, key, header_end, "header");
  };
  Lesson lesson;
  lesson.file = raw.file;
  if (const auto* f = required("id")) {
    if (!valid_id(f->value))
      add(f->line,
          "id " + quoted(f->value) + " may only hold lowercase letters, digits and inner hyphens");
    lesson.id = f->value;
  }
  if (const auto* f = required("version")) {
    lesson.version = whole_number(f->value);
    if (lesson.version < 1)
      add(f->line, "version " + quoted(f->value) + " must be a whole number from 1 up");
  }
  if (const auto it = raw.header.find("order"); it != raw.header.end()) {
    lesson.order = whole_number(it->second.value);
    if (lesson.order < 1)
      add(it->second.line,
          "order " + quoted(it->second.value) + " must be a whole number from 1 up");
  }
  if (const auto* f = required("language")) {
    if (!valid_language(f->value))
      add(f->line, "language " + quoted(f->value) + " must be a two-letter code such as en or es");
    lesson.language = f->value;
  }
  if (const auto* f = required("title")) {
    if (count_codepoints(f->value) > rules.max_title_chars)
      add(f->line, "title is longer than " + std::to_string(rules.max_title_chars) + " characters");
    lesson.title = f->value;
  }
  if (const auto* f = required("categories")) {
    std::string_view rest = f->value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string name = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (name.empty()) continue;
      if (const auto c = parse_category(name)) {
        if (std::find(lesson.categories.begin(), lesson.categories.end(), *c) ==
            lesson.categories.end())
          lesson.categories.push_back(*c);
      } else {
        std::string known;
        for (auto k : all_categories())
          known += (known.empty() ? "" : ", ") + std::string(to_string(k));
        add(f->line, "unknown category " + quoted(name) + " (categories: " + known + ")");
      }
    }
  }
  if (const auto it = raw.header.find("tip"); it != raw.header.end()) {
    if (count_codepoints(it->second.value) > rules.max_tip_chars)
      add(it->second.line,
          "tip is longer than " + std::to_string(rules.max_tip_chars) + " characters");
    lesson.tip = it->second.value;
  }
  if (raw.body_line > 0) {
    if (raw.body.empty()) add(raw.body_line, "the body is empty");
    const int words = count_words(raw.body);
    if (words > rules.max_body_words)
      add(raw.body_line + 1, "the body has " + std::to_string(words) +
                                 " words; a lesson reads in about a minute (at most " +
                                 std::to_string(rules.max_body_words) + ")");
    lesson.body = raw.body;
  }
  if (!raw.quiz.empty()) {
    Quiz quiz;
    int quiz_line = raw.last_line;
    for (const auto& [key, field] : raw.quiz) quiz_line = std::min(quiz_line, field.line);
    auto quiz_field = [&](const char* key) {
      return find_required(raw.quiz, key, quiz_line, "question");
    };
    if (const auto* f = quiz_field("question")) quiz.question = f->value;
    for (char k = 'a'; k <= 'f'; ++k)
      if (const auto it = raw.quiz.find(std::string(1, k)); it != raw.quiz.end())
        quiz.choices.emplace_back(k, it->second.value);
    if (quiz.choices.size() < 2)
      add(quiz_line, "a question needs at least two choices (a: and b:)");
    for (std::size_t i = 0; i < quiz.choices.size(); ++i)
      if (quiz.choices[i].first != static_cast<char>('a' + i))
        add(raw.quiz.at(std::string(1, quiz.choices[i].first)).line,
            std::string("choice ") + quiz.choices[i].first + " comes without choice " +
                static_cast<char>('a' + i) + ": name the choices a, b, c... in order");
    if (const auto* f = quiz_field("answer")) {
      const bool among = f->value.size() == 1 &&
                         std::any_of(quiz.choices.begin(), quiz.choices.end(),
                                     [&](const auto& c) { return c.first == f->value[0]; });
      std::string keys;
      for (const auto& c : quiz.choices)
        keys += (keys.empty() ? "" : ", ") + std::string(1, c.first);
      if (!among)
        add(f->line, "answer " + quoted(f->value) + " is not one of the choices (" + keys + ")");
      else
        quiz.answer = f->value[0];
    }
    if (const auto* f = quiz_field("why")) quiz.why = f->value;
    lesson.quiz = std::move(quiz);
  }
  if (problems.size() != before) return std::nullopt;
  return lesson;
}

std::string category_list(const std::vector<Category>& cs) {
  std::vector<std::string> names;
  for (auto c : cs) names.emplace_back(to_string(c));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string choice_keys(const std::optional<Quiz>& q) {
  std::string out;
  if (q)
    for (const auto& c : q->choices) out += c.first;
  return out;
}

int field_line(const RawLesson& raw, const char* key, bool quiz = false) {
  const auto& fields = quiz ? raw.quiz : raw.header;
  const auto it = fields.find(key);
  return it == fields.end() ? 1 : it->second.line;
}

}  // namespace

int reading_seconds(const Lesson& lesson) {
  int words = count_words(lesson.title) + count_words(lesson.body);
  int seconds = (words * 60 + 199) / 200;
  if (lesson.quiz) {
    words = count_words(lesson.quiz->question) + count_words(lesson.quiz->why);
    for (const auto& c : lesson.quiz->choices) words += count_words(c.second);
    seconds += (words * 60 + 199) / 200 + 10;  // and a few seconds to choose
  }
  return std::max(seconds, 10);
}

std::vector<std::string> TrainingPack::ids() const {
  std::vector<std::string> out;
  for (const auto& l : lessons)
    if (out.empty() || out.back() != l.id) out.push_back(l.id);
  return out;
}

const Lesson* TrainingPack::find(std::string_view id, std::string_view language) const {
  const Lesson* fallback = nullptr;
  for (const auto& l : lessons) {
    if (l.id != id) continue;
    if (l.language == language) return &l;
    if (!fallback || l.language == "en") fallback = &l;
  }
  return fallback;
}

PackCheck check_pack(const std::vector<PackFile>& files, const PackRules& rules) {
  PackCheck out;
  std::vector<std::pair<RawLesson, Lesson>> good;
  std::map<std::pair<std::string, std::string>, std::string> seen;  // (id, language) -> file
  std::set<std::pair<std::string, std::string>> attempted;  // files with problems of their own
  for (const auto& f : files) {
    if (f.name.size() <= kSuffix.size() ||
        f.name.compare(f.name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
      continue;
    RawLesson raw = read_raw(f, out.problems);
    auto lesson = check_lesson(raw, rules, out.problems);
    if (!lesson) {
      // Its own problems are reported; do not also call its language missing.
      if (raw.header.count("id") && raw.header.count("language"))
        attempted.emplace(raw.header["id"].value, raw.header["language"].value);
      continue;
    }
    // [3] Across files: names, duplicates, then translations below.
    const std::string expected = lesson->id + "." + lesson->language + std::string(kSuffix);
    if (f.name != expected)
      out.problems.push_back({f.name, field_line(raw, "id"),
                              "the file holding lesson " + quoted(lesson->id) + " in " +
                                  lesson->language + " must be named " + expected});
    const auto key = std::make_pair(lesson->id, lesson->language);
    if (const auto it = seen.find(key); it != seen.end()) {
      out.problems.push_back({f.name, field_line(raw, "id"),
                              "duplicate id " + quoted(lesson->id) + " in " + lesson->language +
                                  " (also in " + it->second + ")"});
      continue;
    }
    seen[key] = f.name;
    good.emplace_back(std::move(raw), std::move(*lesson));
  }
  if (good.empty() && out.problems.empty())
    out.problems.push_back({"(pack)", 0, "no lesson files (NAME.LANGUAGE.lesson) in the pack"});

  std::map<std::string, std::vector<std::size_t>> by_id;
  for (std::size_t i = 0; i < good.size(); ++i) by_id[good[i].second.id].push_back(i);
  for (const auto& [id, idx] : by_id) {
    // Plain references, not a structured binding: the lambdas below capture them.
    const auto& ref_raw = good[idx.front()].first;
    const auto& ref = good[idx.front()].second;
    for (const auto& lang : rules.languages) {
      const bool has = std::any_of(idx.begin(), idx.end(),
                                   [&](std::size_t i) { return good[i].second.language == lang; });
      if (!has && !attempted.count({id, lang}))
        out.problems.push_back({ref.file, field_line(ref_raw, "id"),
                                "lesson " + quoted(id) + " has no " + lang + " version (add " + id +
                                    "." + lang + std::string(kSuffix) + ")"});
    }
    // Translations must teach and test the same thing, so progress carries across languages.
    for (std::size_t k = 1; k < idx.size(); ++k) {
      const auto& raw = good[idx[k]].first;
      const auto& l = good[idx[k]].second;
      auto differs = [&](int line, const std::string& what, const std::string& mine,
                         const std::string& theirs) {
        out.problems.push_back({l.file, line,
                                what + " " + quoted(mine) + " differs from " + quoted(theirs) +
                                    " in " + ref.file + ": translations must agree"});
      };
      if (l.version != ref.version)
        differs(field_line(raw, "version"), "version", std::to_string(l.version),
                std::to_string(ref.version));
      if (l.order != ref.order)
        differs(field_line(raw, "order"), "order", std::to_string(l.order),
                std::to_string(ref.order));
      if (category_list(l.categories) != category_list(ref.categories))
        differs(field_line(raw, "categories"), "categories", category_list(l.categories),
                category_list(ref.categories));
      if (choice_keys(l.quiz) != choice_keys(ref.quiz))
        differs(l.quiz ? field_line(raw, "question", true) : raw.body_line, "choices",
                choice_keys(l.quiz), choice_keys(ref.quiz));
      else if (l.quiz && ref.quiz && l.quiz->answer != ref.quiz->answer)
        differs(field_line(raw, "answer", true), "answer", std::string(1, l.quiz->answer),
                std::string(1, ref.quiz->answer));
    }
  }

  std::sort(out.problems.begin(), out.problems.end(), [](const auto& a, const auto& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  if (!out.problems.empty()) return out;
  for (auto& g : good) out.pack.lessons.push_back(std::move(g.second));
  std::sort(out.pack.lessons.begin(), out.pack.lessons.end(), [](const auto& a, const auto& b) {
    return std::tie(a.order, a.id, a.language) < std::tie(b.order, b.id, b.language);
  });
  return out;
}

std::string format_problem(const PackProblem& p) {
  if (p.line <= 0) return p.file + ": " + p.message;
  return p.file + ":" + std::to_string(p.line) + ": " + p.message;
}

bool received_pack_is_newer(const TrainingPack& received, const TrainingPack& bundled) {
  for (const Lesson& b : bundled.lessons) {
    const Lesson* r = received.find(b.id, b.language);
    if (r && r->id == b.id && r->version < b.version) return false;
  }
  return true;
}

}  // namespace kiosk::core
