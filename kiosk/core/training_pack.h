#pragma once
// Training packs: short customer-service lessons, one human-editable text file per lesson and
// language (docs/training.md has the format). This is the pure half: it takes file names and
// their contents and returns the lessons, or every problem with its file and line. A pack
// with any problem is rejected whole, so the kiosk and HQ keep the previous pack.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/category.h"

namespace kiosk::core {

// Lessons without an `order:` field come after the ordered ones, by id.
inline constexpr int kDefaultLessonOrder = 1000;

struct Quiz {
  std::string question;
  std::vector<std::pair<char, std::string>> choices;  // ('a', "text"), in file order
  char answer = 0;                                    // one of the choice keys
  std::string why;                                    // shown after the answer, right or wrong
};

struct Lesson {
  std::string id;  // same in every language: progress follows the id
  int version = 0;
  int order = kDefaultLessonOrder;  // where a new member of staff meets it, lowest first
  std::string language;             // "en", "es", ...
  std::string title;
  std::vector<Category> categories;  // what it teaches; contextual prompts match on these
  std::string tip;                   // optional one-liner for the idle screen
  std::string body;
  std::optional<Quiz> quiz;
  std::string file;  // where it came from, for messages
};

// Seconds a member of staff needs for a lesson: reading at about 200 words a minute, plus
// the quiz. The daily set fills two to three minutes with these.
int reading_seconds(const Lesson& lesson);

struct TrainingPack {
  std::vector<Lesson> lessons;  // every language, sorted by order, id, then language

  // Lesson ids in order (the order new lessons are offered), each once.
  std::vector<std::string> ids() const;
  // The lesson in this language, else in English, else any; nullptr if the id is unknown.
  const Lesson* find(std::string_view id, std::string_view language) const;
};

struct PackFile {
  std::string name;     // file name without folders, e.g. "speak-for-the-brand.en.lesson"
  std::string content;  // raw bytes as read
};

struct PackProblem {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem is with the file as a whole
  std::string message;
};

struct PackRules {
  std::vector<std::string> languages = {"en", "es"};  // every lesson must exist in each
  int max_body_words = 260;                           // "a minute to read"
  std::size_t max_title_chars = 80;
  std::size_t max_tip_chars = 140;
};

struct PackCheck {
  TrainingPack pack;                  // empty unless problems is empty
  std::vector<PackProblem> problems;  // sorted by file then line
  bool ok() const { return problems.empty(); }
};

// Parses and validates every file; files whose names do not end in ".lesson" are ignored.
PackCheck check_pack(const std::vector<PackFile>& files, const PackRules& rules = {});

// Whether a pack head office sent (already checked) should be used instead of the one shipped
// with the program: yes, unless the shipped pack has a lesson at a higher version than the
// received one (the program was updated since head office published). Progress follows
// lesson ids, so switching packs either way keeps it.
bool received_pack_is_newer(const TrainingPack& received, const TrainingPack& bundled);

// "file:line: message" (or "file: message" for line 0), as compilers print them.
std::string format_problem(const PackProblem& problem);

}  // namespace kiosk::core
