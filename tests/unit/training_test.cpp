// Training packs and the scheduler: the shipped pack validates, each kind of bad pack is
// rejected whole with file and line, spacing grows and shrinks under a stepped clock, and
// contextual prompts respect their rate limit and urgent items.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "kiosk/core/training_pack.h"
#include "kiosk/core/training_schedule.h"
#include "tests/support/process.h"

using namespace kiosk::core;

namespace {

std::string lesson_text(const std::string& id, const std::string& lang,
                        const std::string& extra = "", const std::string& answer = "b") {
  return "id: " + id + "\nversion: 1\nlanguage: " + lang + "\ntitle: Title " + id +
         "\ncategories: wait_time, staff_conduct\n" + extra + "---\nA short body for " + id +
         ".\n---\nquestion: Which one?\na: This\nb: That\nanswer: " + answer + "\nwhy: Because.\n";
}

std::vector<PackFile> good_pack(int lessons = 3) {
  std::vector<PackFile> files;
  for (int i = 0; i < lessons; ++i) {
    const std::string id = "lesson-" + std::to_string(i);
    files.push_back({id + ".en.lesson", lesson_text(id, "en")});
    files.push_back({id + ".es.lesson", lesson_text(id, "es")});
  }
  return files;
}

// The one problem a bad pack must report, and that the pack came back empty.
PackProblem only_problem(const std::vector<PackFile>& files) {
  const auto check = check_pack(files);
  CHECK_FALSE(check.ok());
  CHECK(check.pack.lessons.empty());  // rejected whole
  for (const auto& p : check.problems) MESSAGE(format_problem(p));
  REQUIRE(check.problems.size() == 1);
  return check.problems.front();
}

std::vector<PackFile> shipped_pack() {
  std::vector<PackFile> files;
  const auto dir = std::filesystem::path(kiosk::testing::source_dir()) / "assets" / "training" /
                   "frontline-basics";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({e.path().filename().string(), ss.str()});
  }
  return files;
}

constexpr std::int64_t kDay = kMsPerDay;
constexpr std::int64_t kHour = kMsPerHour;
constexpr std::int64_t kMonday9am = 1'700'000'000'000 / kDay * kDay + 9 * kHour;  // UTC

}  // namespace

TEST_CASE("[pack] the shipped pack validates: 24+ lessons, each in English and Spanish") {
  const auto check = check_pack(shipped_pack());
  for (const auto& p : check.problems) MESSAGE(format_problem(p));
  REQUIRE(check.ok());
  const auto ids = check.pack.ids();
  CHECK(ids.size() >= 24);
  int with_quiz = 0, with_tip = 0;
  for (const auto& id : ids) {
    const Lesson* en = check.pack.find(id, "en");
    const Lesson* es = check.pack.find(id, "es");
    REQUIRE(en);
    REQUIRE(es);
    CHECK(en->language == "en");
    CHECK(es->language == "es");
    CHECK(reading_seconds(*en) <= 100);  // about a minute, question included
    with_quiz += en->quiz ? 1 : 0;
    with_tip += en->tip.empty() ? 0 : 1;
  }
  CHECK(with_quiz >= 20);
  CHECK(with_tip == static_cast<int>(ids.size()));
}

TEST_CASE("[pack] every shipped lesson has its own Spanish text in every field English has") {
  const auto check = check_pack(shipped_pack());
  REQUIRE(check.ok());
  for (const auto& id : check.pack.ids()) {
    CAPTURE(id);
    const Lesson* en = check.pack.find(id, "en");
    const Lesson* es = check.pack.find(id, "es");
    REQUIRE(en);
    REQUIRE(es);
    REQUIRE(es->language == "es");
    CHECK(es->title != en->title);
    CHECK(es->body != en->body);
    CHECK(es->tip.empty() == en->tip.empty());
    if (!en->tip.empty()) CHECK(es->tip != en->tip);
    REQUIRE(es->quiz.has_value() == en->quiz.has_value());
    if (!en->quiz) continue;
    CHECK(es->quiz->question != en->quiz->question);
    CHECK(es->quiz->why != en->quiz->why);  // shown after the answer
    REQUIRE(es->quiz->choices.size() == en->quiz->choices.size());
    for (std::size_t i = 0; i < en->quiz->choices.size(); ++i)
      CHECK(es->quiz->choices[i].second != en->quiz->choices[i].second);
  }
}

TEST_CASE("[pack] a good pack parses every field") {
  const auto check = check_pack(good_pack(2));
  REQUIRE(check.ok());
  REQUIRE(check.pack.lessons.size() == 4);
  const Lesson& l = check.pack.lessons.front();
  CHECK(l.id == "lesson-0");
  CHECK(l.language == "en");
  CHECK(l.version == 1);
  CHECK(l.categories == std::vector<Category>{Category::wait_time, Category::staff_conduct});
  CHECK(l.body == "A short body for lesson-0.");
  REQUIRE(l.quiz);
  CHECK(l.quiz->choices.size() == 2);
  CHECK(l.quiz->answer == 'b');
  CHECK(l.quiz->why == "Because.");
}

TEST_CASE("[pack] each kind of bad pack is rejected whole, with file and line") {
  auto files = good_pack();
  SUBCASE("missing field") {
    files[2].content = "id: lesson-1\nversion: 1\nlanguage: en\ncategories: wait_time\n---\nBody\n";
    const auto p = only_problem(files);
    CHECK(p.file == "lesson-1.en.lesson");
    CHECK(p.line == 5);  // where the header ends
    CHECK(p.message.find("missing field \"title\"") != std::string::npos);
  }
  SUBCASE("duplicate id") {
    files.push_back({"copy.en.lesson", lesson_text("lesson-1", "en")});
    const auto check = check_pack(files);
    CHECK(check.pack.lessons.empty());
    const bool found = std::any_of(check.problems.begin(), check.problems.end(), [](auto& p) {
      return p.file == "copy.en.lesson" && p.line == 1 &&
             p.message.find("duplicate id \"lesson-1\"") != std::string::npos &&
             p.message.find("lesson-1.en.lesson") != std::string::npos;
    });
    CHECK(found);
  }
  SUBCASE("answer not among the choices") {
    files[0].content = lesson_text("lesson-0", "en", "", "d");
    const auto p = only_problem(files);
    CHECK(p.file == "lesson-0.en.lesson");
    CHECK(p.line == 12);
    CHECK(p.message == "answer \"d\" is not one of the choices (a, b)");
  }
  SUBCASE("broken UTF-8") {
    files[1].content = lesson_text("lesson-0", "es", "tip: Caf\xC3 con leche\n");
    const auto p = only_problem(files);
    CHECK(p.file == "lesson-0.es.lesson");
    CHECK(p.line == 6);
    CHECK(p.message.find("UTF-8") != std::string::npos);
  }
  SUBCASE("a lesson in one language only") {
    files.erase(files.begin() + 5);  // lesson-2.es
    const auto p = only_problem(files);
    CHECK(p.file == "lesson-2.en.lesson");
    CHECK(p.line == 1);
    CHECK(p.message.find("no es version") != std::string::npos);
  }
  SUBCASE("unknown category") {
    files[3].content =
        "id: lesson-1\nversion: 1\nlanguage: es\ntitle: T\n"
        "categories: wait_time, queues\n---\nB\n";
    const auto check = check_pack(files);
    CHECK_FALSE(check.ok());
    REQUIRE_FALSE(check.problems.empty());
    CHECK(format_problem(check.problems.front())
              .rfind("lesson-1.es.lesson:5: unknown category "
                     "\"queues\"",
                     0) == 0);
  }
  SUBCASE("translations that disagree on the answer") {
    files[1].content = lesson_text("lesson-0", "es", "", "a");
    const auto p = only_problem(files);
    CHECK(p.file == "lesson-0.es.lesson");
    CHECK(p.line == 12);
    CHECK(p.message.find("translations must agree") != std::string::npos);
  }
  SUBCASE("unknown field, and a file named after another lesson") {
    files[0].content = lesson_text("lesson-0", "en", "titel: Typo\n");
    auto p = only_problem(files);
    CHECK(p.line == 6);
    CHECK(p.message.find("unknown field \"titel\"") != std::string::npos);
    files[0] = {"wrong-name.en.lesson", lesson_text("lesson-0", "en")};
    p = only_problem(files);
    CHECK(p.message.find("must be named lesson-0.en.lesson") != std::string::npos);
  }
}

TEST_CASE("[pack] problems read as file:line: message") {
  CHECK(format_problem({"a.en.lesson", 3, "missing"}) == "a.en.lesson:3: missing");
  CHECK(format_problem({"(pack)", 0, "empty"}) == "(pack): empty");
  CHECK_FALSE(check_pack({}).ok());
}

TEST_CASE("[schedule] spacing grows with right+sure answers, shrinks with unsure or wrong") {
  const TrainingRules rules;
  std::int64_t now = kMonday9am;
  LessonProgress p;
  std::vector<std::int64_t> gaps;
  for (int i = 0; i < 4; ++i) {  // right and sure, each time it comes back
    p = record_answer(p, 1, {true, true}, now, rules);
    gaps.push_back(p.due_ms - now);
    now = p.due_ms + 9 * kHour;  // answered at the next shift start after it is due
  }
  for (std::size_t i = 1; i < gaps.size(); ++i) CHECK(gaps[i] > gaps[i - 1]);
  CHECK(p.box == 5);
  const auto before = gaps.back();  // the longest spacing: 30 days
  CHECK(before > 20 * kDay);

  const auto unsure = record_answer(p, 1, {true, false}, now, rules);
  CHECK(unsure.box == p.box - 1);
  CHECK(unsure.due_ms - now < before);
  const auto wrong = record_answer(p, 1, {false, true}, now, rules);
  CHECK(wrong.box == 1);
  CHECK(wrong.due_ms - now < unsure.due_ms - now);
  CHECK(wrong.due_ms - now <= kDay);  // back tomorrow
  CHECK(wrong.answered == p.answered + 1);
  CHECK(wrong.correct == p.correct);

  // Right but unsure on a new lesson does not jump ahead like right and sure does.
  const auto new_sure = record_answer({}, 1, {true, true}, now, rules);
  const auto new_unsure = record_answer({}, 1, {true, false}, now, rules);
  CHECK(new_unsure.due_ms < new_sure.due_ms);
}

TEST_CASE("[schedule] due dates fall on the store's local day") {
  TrainingRules rules;
  rules.utc_offset_minutes = -300;                            // UTC-5
  const std::int64_t late_evening = kMonday9am + 13 * kHour;  // 22:00 UTC, 17:00 local
  const auto p = record_answer({}, 1, {false, false}, late_evening, rules);
  CHECK(local_day(p.due_ms, -300) == local_day(late_evening, -300) + 1);
  CHECK(first_tap_in_of_day(std::nullopt, late_evening, rules));
  CHECK_FALSE(first_tap_in_of_day(late_evening - 2 * kHour, late_evening, rules));
  CHECK_FALSE(first_tap_in_of_day(late_evening - 10 * kHour, late_evening, rules));  // 07:00 local
  CHECK(
      first_tap_in_of_day(late_evening - 18 * kHour, late_evening, rules));  // 23:00 the day before
}

TEST_CASE("[schedule] the daily set favours wrong, then unsure answers, and says why") {
  const auto pack = check_pack(good_pack(8)).pack;
  const TrainingRules rules;
  std::int64_t now = kMonday9am;
  StaffProgress progress;
  // Day 1: no history, so two new lessons.
  auto set = daily_set(pack, progress, now, rules);
  REQUIRE(set.size() == 2);
  CHECK(set[0].reason == PickReason::new_lesson);
  CHECK(set[0].why.find("not taken") != std::string::npos);
  // Answer six lessons over three days: 1 wrong, 2 unsure, the rest right and sure.
  for (int i = 0; i < 6; ++i) {
    const QuizAnswer a = i == 4   ? QuizAnswer{false, true}
                         : i == 2 ? QuizAnswer{true, false}
                                  : QuizAnswer{true, true};
    progress["lesson-" + std::to_string(i)] = record_answer({}, 1, a, now, rules);
  }
  now += 1 * kDay;
  set = daily_set(pack, progress, now, rules);
  REQUIRE_FALSE(set.empty());
  CHECK(set[0].lesson_id == "lesson-4");
  CHECK(set[0].reason == PickReason::answered_wrong);
  CHECK(set[0].why.find("wrongly 1 day ago") != std::string::npos);
  // What the window needs to say the same in the staff member's language.
  CHECK(set[0].lesson_reason == PickReason::answered_wrong);
  CHECK(set[0].last_answered_ms == now - 1 * kDay);
  REQUIRE(set.size() >= 2);
  CHECK(set[1].lesson_id == "lesson-2");
  CHECK(set[1].reason == PickReason::answered_unsure);
  int seconds = 0;
  for (const auto& p : set) seconds += p.seconds;
  CHECK(seconds <= rules.daily_max_seconds);

  const auto n = next(pack, progress, now, rules);
  REQUIRE(n.pick);
  CHECK(n.pick->lesson_id == "lesson-4");
  CHECK(n.why == set[0].why);
}

TEST_CASE("[schedule] next() says when nothing is due, and a newer version comes back") {
  auto pack = check_pack(good_pack(1)).pack;
  const TrainingRules rules;
  StaffProgress progress;
  progress["lesson-0"] = record_answer({}, 1, {true, true}, kMonday9am, rules);
  auto n = next(pack, progress, kMonday9am + kHour, rules);
  CHECK_FALSE(n.pick);
  REQUIRE(n.next_due_ms);
  CHECK(n.why.find("in 3 days") != std::string::npos);
  for (auto& l : pack.lessons) l.version = 2;  // HQ published a new version
  n = next(pack, progress, kMonday9am + kHour, rules);
  REQUIRE(n.pick);
  CHECK(n.pick->reason == PickReason::lesson_updated);
  CHECK(progress["lesson-0"].box == 2);  // progress on the old version is kept
}

TEST_CASE("[context] a mention offers the matching lesson, at most N an hour, dismissable") {
  auto files = good_pack(5);
  files.push_back({"clean.en.lesson",
                   "id: clean\nversion: 1\nlanguage: en\ntitle: Clean\n"
                   "categories: cleanliness\n---\nBody\n"});
  files.push_back({"clean.es.lesson",
                   "id: clean\nversion: 1\nlanguage: es\ntitle: Limpio\n"
                   "categories: cleanliness\n---\nCuerpo\n"});
  const auto pack = check_pack(files).pack;
  REQUIRE(pack.ids().size() == 6);
  TrainingRules rules;
  rules.prompts_per_hour = 3;
  const StaffProgress progress;
  ContextualState state;
  std::int64_t now = kMonday9am;
  const ContextEvent dirty{ContextEvent::Kind::mention, Category::cleanliness, "m1"};

  auto d = on_context_event(state, dirty, false, pack, progress, now, rules);
  REQUIRE(d.prompt);
  CHECK(d.prompt->pick.lesson_id == "clean");
  CHECK(d.prompt->pick.reason == PickReason::matches_mention);
  CHECK(d.why.find("cleanliness mention") != std::string::npos);
  state = dismiss_prompt(d.state, now);  // one tap
  CHECK_FALSE(state.open);

  // Wait-time mentions: three prompts within the hour, then none until it rolls over.
  int shown = 0;
  for (int i = 0; i < 5; ++i) {
    now += 10 * 60'000;
    const ContextEvent wait{ContextEvent::Kind::mention, Category::wait_time,
                            "w" + std::to_string(i)};
    d = on_context_event(state, wait, false, pack, progress, now, rules);
    if (d.prompt) ++shown;
    state = close_prompt(d.state);
  }
  CHECK(shown == 2);  // the cleanliness prompt counts towards the three
  CHECK(d.why.find("at most 3") != std::string::npos);
  now += kHour;
  d = on_context_event(state, {ContextEvent::Kind::escalation, Category::wait_time, "e1"}, false,
                       pack, progress, now, rules);
  REQUIRE(d.prompt);
  CHECK(d.prompt->pick.reason == PickReason::matches_escalation);

  // The dismissed lesson is not offered again the same day.
  state = close_prompt(d.state);
  now += kHour;
  d = on_context_event(state, dirty, false, pack, progress, now, rules);
  CHECK_FALSE(d.prompt);
  CHECK(d.why.find("offered or dismissed recently") != std::string::npos);
}

TEST_CASE("[context] never a prompt while an urgent item is open, nor over an open one") {
  const auto pack = check_pack(good_pack(3)).pack;
  const TrainingRules rules;
  ContextualState state;
  const ContextEvent wait{ContextEvent::Kind::mention, Category::wait_time, "m"};
  auto d = on_context_event(state, wait, true, pack, {}, kMonday9am, rules);
  CHECK_FALSE(d.prompt);
  CHECK(d.why.find("urgent") != std::string::npos);
  CHECK(d.state.shown_ms.empty());  // a refused prompt does not use up the hour
  d = on_context_event(d.state, wait, false, pack, {}, kMonday9am + 1000, rules);
  REQUIRE(d.prompt);
  d = on_context_event(d.state, wait, false, pack, {}, kMonday9am + 2000, rules);
  CHECK_FALSE(d.prompt);
  CHECK(d.why.find("already on screen") != std::string::npos);
  d = on_context_event(d.state, {ContextEvent::Kind::mention, Category::safety, "s"}, false, pack,
                       {}, kMonday9am + 3000, rules);
  CHECK(d.why.find("already on screen") != std::string::npos);
  d.state = close_prompt(d.state);
  d = on_context_event(d.state, {ContextEvent::Kind::mention, Category::safety, "s"}, false, pack,
                       {}, kMonday9am + 4000, rules);
  CHECK_FALSE(d.prompt);
  CHECK(d.why == "No lesson is about safety.");
}

TEST_CASE("[tips] the idle screen gets every lesson's tip once, in the kiosk's language") {
  const auto check = check_pack(shipped_pack());
  REQUIRE(check.ok());
  const auto es = idle_tips(check.pack, "es");
  CHECK(es.size() == check.pack.ids().size());  // every shipped lesson has a tip
  CHECK(std::set<std::string>(es.begin(), es.end()).size() == es.size());
  const auto en = idle_tips(check.pack, "en");
  REQUIRE(en.size() == es.size());
  CHECK(en.front() != es.front());  // translated, not the English again
  CHECK(en.front() == check.pack.find(check.pack.ids().front(), "en")->tip);  // in pack order
  CHECK(idle_tips(check.pack, "fr") == en);  // a language the pack lacks falls back to English
  CHECK(idle_tips(TrainingPack{}, "en").empty());
}

TEST_CASE("[tips] a translation without a tip shows the English tip, not an empty line") {
  auto files = good_pack(2);
  files[0].content = lesson_text("lesson-0", "en", "tip: Let them finish.\n");  // es has none
  files[2].content = lesson_text("lesson-1", "en", "tip: Say sorry once.\n");
  files[3].content = lesson_text("lesson-1", "es", "tip: Pide perdón una vez.\n");
  const auto check = check_pack(files);
  for (const auto& p : check.problems) MESSAGE(format_problem(p));
  REQUIRE(check.ok());
  CHECK(idle_tips(check.pack, "es") ==
        std::vector<std::string>{"Let them finish.", "Pide perdón una vez."});
}

TEST_CASE("[pack] order: new lessons come in the writers' order; translations must agree") {
  auto files = good_pack(3);
  files[4].content = lesson_text("lesson-2", "en", "order: 1\n");
  files[5].content = lesson_text("lesson-2", "es", "order: 1\n");
  auto check = check_pack(files);
  REQUIRE(check.ok());
  CHECK(check.pack.ids() == std::vector<std::string>{"lesson-2", "lesson-0", "lesson-1"});
  const auto set = daily_set(check.pack, {}, kMonday9am, TrainingRules{});
  REQUIRE(!set.empty());
  CHECK(set[0].lesson_id == "lesson-2");
  files[5].content = lesson_text("lesson-2", "es", "order: 2\n");
  const auto p = only_problem(files);
  CHECK(p.file == "lesson-2.es.lesson");
  CHECK(p.line == 6);
  CHECK(p.message.find("order \"2\" differs") != std::string::npos);
  files[5].content = lesson_text("lesson-2", "es", "order: first\n");
  CHECK(only_problem(files).message == "order \"first\" must be a whole number from 1 up");
}

TEST_CASE("[pack] a pack from head office is used unless the bundled one has a newer lesson") {
  const auto bundled = check_pack(good_pack(3)).pack;
  auto files = good_pack(3);
  SUBCASE("the same lessons, or fewer, or newer: head office's") {
    CHECK(received_pack_is_newer(check_pack(files).pack, bundled));
    CHECK(received_pack_is_newer(check_pack(good_pack(2)).pack, bundled));
    for (auto& f : files)
      if (f.name.rfind("lesson-1.", 0) == 0)
        f.content.replace(f.content.find("version: 1"), 10, "version: 3");
    CHECK(received_pack_is_newer(check_pack(files).pack, bundled));
  }
  SUBCASE("the bundled pack has a lesson at a higher version: the program was updated since") {
    const auto received = check_pack(files).pack;
    for (auto& f : files)
      if (f.name.rfind("lesson-2.", 0) == 0)
        f.content.replace(f.content.find("version: 1"), 10, "version: 2");
    CHECK_FALSE(received_pack_is_newer(received, check_pack(files).pack));
  }
}
