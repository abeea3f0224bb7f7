// The counter tablet tried in Spanish, in the real kiosk program and a real window (Xvfb):
// the ages on cards and in the status bar are Spanish, the status bar is drawn whole at the
// usual 1280x800 and at the smallest window, 1024x600, in both languages (the sync state is
// never cut), a failed sync reads in Spanish there (a missing sync module as "reinstall the
// kiosk", in both languages), the Training tab says in Spanish why a
// lesson is in the set and why an answer is right, and the Escalations tab's note opens the
// keyboard docked along the bottom, where its keys and the Note button are in reach.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::kiosk_window;
using kiosk::testing::with;

namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

// The lines of a printed frame.
std::vector<std::string> lines_of(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool ends_with_ellipsis(const std::string& line) {
  return line.size() >= kEllipsis.size() &&
         line.compare(line.size() - kEllipsis.size(), kEllipsis.size(), kEllipsis) == 0;
}

bool has_line(const std::string& out, const std::string& line) {
  for (const auto& l : lines_of(out))
    if (l == line) return true;
  return false;
}

// A line that starts with prefix, or "" when none does.
std::string line_starting(const std::string& out, const std::string& prefix) {
  for (const auto& l : lines_of(out))
    if (l.rfind(prefix, 0) == 0) return l;
  return {};
}

// A lesson's field ("answer", "why", "a", ...) as its file in this language has it.
std::string lesson_field(const std::string& id, const std::string& language,
                         const std::string& field) {
  std::ifstream in(kiosk::testing::source_dir() + "/assets/training/frontline-basics/" + id + "." +
                   language + ".lesson");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ": ", 0) == 0) return line.substr(field.size() + 2);
  return {};
}

std::vector<std::string> window_size(int width, int height) {
  return {"--width", std::to_string(width), "--height", std::to_string(height)};
}

}  // namespace

TEST_CASE("[ui] ages read in Spanish on the cards and in the status bar") {
  TempDir dir;
  HqFixture hq(dir);
  const auto kiosk = kiosk::testing::staffed_kiosk(dir, hq, "es");
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    const auto es = kiosk_window(kiosk.db, backend, {}, {"--language", "es"});
    REQUIRE_MESSAGE(es.exit_code == 0, es.err);
    // Synced moments ago by the CLI: the status bar says so in Spanish.
    CHECK(has_line(es.out, "Sincronizado ahora mismo"));
    // The demo posts are minutes and hours old: "hace 12 min", "hace 3 h".
    CHECK(!line_starting(es.out, "hace ").empty());
    CHECK(contains(es.out, " min\n"));
    for (const char* english : {"just now", "min ago", "h ago", "day ago", "days ago"}) {
      CAPTURE(english);
      CHECK_FALSE(contains(es.out, english));
    }
    // The same kiosk in English keeps its English ages.
    const auto en = kiosk_window(kiosk.db, backend, {}, {"--language", "en"});
    REQUIRE_MESSAGE(en.exit_code == 0, en.err);
    CHECK(has_line(en.out, "Last sync: just now"));
    CHECK(contains(en.out, " min ago\n"));
    CHECK_FALSE(contains(en.out, "hace "));
  }
}

TEST_CASE("[ui] the status bar is drawn whole at 1280x800 and 1024x600 in both languages") {
  TempDir dir;
  HqFixture hq(dir);
  const auto kiosk = kiosk::testing::staffed_kiosk(dir, hq, "es");
  struct Expected {
    const char* language;
    const char* staff;  // Max reads Spanish; Ana, no language of her own, the terminal's
    const char* waiting;
    const char* synced;  // "Synced" and its age, whole (no ellipsis)
    const char* who;
  };
  for (const Expected& e :
       {Expected{"es", "max", "Nada por enviar", "Sincronizado ", "Identificado: Max Weber"},
        Expected{"en", "ana", "Nothing waiting to send", "Last sync: ", "Tapped in: Ana Lopez"}}) {
    for (const auto& size : {window_size(1280, 800), window_size(1024, 600)}) {
      const std::string language = e.language;
      CAPTURE(language);
      CAPTURE(size[1]);
      const auto r = kiosk_window(kiosk.db, "sdl2", {},
                                  with(size, {"--language", e.language, "--staff", e.staff}));
      REQUIRE_MESSAGE(r.exit_code == 0, r.err);
      CHECK(has_line(r.out, e.waiting));
      const std::string synced = line_starting(r.out, e.synced);
      CHECK(synced.size() > std::string(e.synced).size());
      CHECK_FALSE(ends_with_ellipsis(synced));
      CHECK(has_line(r.out, e.who));
    }
  }

  // Head office refuses connections: the sync fails. The window says so in Spanish (store IT
  // reads the English detail in `kiosk status` and from `sync --once`), and at the smallest
  // window the bar wraps to two lines with the sync state and the error whole.
  hq.kill();
  const auto failed = kiosk_cli(kiosk.db, {"sync", "--once"});
  CHECK(failed.exit_code != 0);
  CHECK(contains(failed.err, "Sync failed"));
  const auto status = nlohmann::json::parse(kiosk_cli(kiosk.db, {"status", "--json"}).out);
  const std::string last_error = status["last_error"].get<std::string>();
  CHECK(last_error.rfind("Sync failed", 0) == 0);
  CHECK(status["last_error_kind"] == "retry_later");
  for (const auto& size : {window_size(1024, 600), window_size(1280, 800)}) {
    CAPTURE(size[1]);
    const auto error = kiosk_window(kiosk.db, "sdl2", {}, with(size, {"--language", "es"}));
    REQUIRE_MESSAGE(error.exit_code == 0, error.err);
    CHECK_MESSAGE(has_line(error.out, "Sin conexión"), error.out);
    CHECK(has_line(error.out, "Nada por enviar"));
    CHECK(has_line(error.out, "Falló la sincronización; se reintenta"));
    CHECK_FALSE(contains(error.out, last_error.substr(0, 16)));
    CHECK_FALSE(contains(error.out, "Offline"));
    // The last sync's age comes after the failure: whole where there is room, else cut or
    // left out at the smallest window, never the parts before it.
    const std::string synced = line_starting(error.out, "Sincronizado ");
    if (size[1] == "1280") CHECK(synced.size() > std::string("Sincronizado ").size());
    if (!synced.empty() && size[1] == "1280") CHECK_FALSE(ends_with_ellipsis(synced));
  }
  // The same failure in English reads as the English sentence, not the Spanish one.
  const auto en = kiosk_window(kiosk.db, "sdl2", {}, {"--language", "en"});
  REQUIRE_MESSAGE(en.exit_code == 0, en.err);
  CHECK(has_line(en.out, "Sync failed; trying again"));
}

TEST_CASE("[ui] a kiosk without its sync module says to reinstall it, in both languages") {
  TempDir dir;
  HqFixture hq(dir);
  const auto kiosk = kiosk::testing::staffed_kiosk(dir, hq, "es");
  // The module named where there is none, as an installation that lost it.
  const char* build_module = std::getenv("KIOSK_SYNC_MODULE");
  REQUIRE(build_module != nullptr);
  const std::string module_path = build_module;
  setenv("KIOSK_SYNC_MODULE", dir.file("libkiosk_sync_http.so").c_str(), 1);
  const auto failed = kiosk_cli(kiosk.db, {"sync", "--once"});
  setenv("KIOSK_SYNC_MODULE", module_path.c_str(), 1);
  CHECK(failed.exit_code != 0);
  CHECK(contains(failed.err, "reinstall the kiosk"));
  const auto status = nlohmann::json::parse(kiosk_cli(kiosk.db, {"status", "--json"}).out);
  CHECK(status["last_error_kind"] == "reinstall");
  // Store staff read what to do, not that it will pass by itself; whole at the smallest window.
  const auto es =
      kiosk_window(kiosk.db, "sdl2", {}, with(window_size(1024, 600), {"--language", "es"}));
  REQUIRE_MESSAGE(es.exit_code == 0, es.err);
  CHECK_MESSAGE(has_line(es.out, "Hay que reinstalar el kiosco"), es.out);
  CHECK_FALSE(contains(es.out, "Falló la sincronización; se reintenta"));
  const auto en = kiosk_window(kiosk.db, "glfw", {}, {"--language", "en"});
  REQUIRE_MESSAGE(en.exit_code == 0, en.err);
  CHECK_MESSAGE(has_line(en.out, "Sync needs the kiosk reinstalled"), en.out);
  CHECK_FALSE(contains(en.out, "Sync failed; trying again"));
}

TEST_CASE("[ui][training] a Spanish member of staff reads why a lesson is due and its answer") {
  TempDir dir;
  HqFixture hq(dir);
  const auto kiosk = kiosk::testing::staffed_kiosk(dir, hq, "es");  // Max reads Spanish
  const auto next = nlohmann::json::parse(kiosk_cli(kiosk.db, {"training", "next", "--staff", "max",
                                                               "--json", "--lesson-language", "es"})
                                              .out);
  REQUIRE(!next["daily_set"].empty());
  const std::string id = next["daily_set"][0]["id"];
  const std::string title = next["daily_set"][0]["title"];
  const auto window = [&](const std::vector<std::string>& targets) {
    return kiosk_window(kiosk.db, "sdl2", targets, {"--staff", "max", "--frames", "8"});
  };
  // The daily set: the Spanish title and why it is there, in Spanish.
  const auto list = window({"tab:training"});
  REQUIRE_MESSAGE(list.exit_code == 0, list.err);
  CHECK(contains(list.out, title));
  CHECK_MESSAGE(contains(list.out, "Nueva para ti: todavía no has hecho esta lección."), list.out);
  CHECK_FALSE(contains(list.out, "New to you"));
  // A wrong answer: the right one and why, from the lesson's Spanish file.
  const std::string right = lesson_field(id, "es", "answer");
  REQUIRE(right.size() == 1);
  const std::string wrong = right == "a" ? "b" : "a";
  const auto answered = window(
      {"tab:training", "lesson:" + id, "quiz", "choice:" + wrong, "confidence:sure", "answer"});
  REQUIRE_MESSAGE(answered.exit_code == 0, answered.err);
  CHECK_MESSAGE(contains(answered.out, "No exactamente."), answered.out);
  CHECK(contains(answered.out, "La respuesta correcta: " + lesson_field(id, "es", right)));
  CHECK(contains(answered.out, "Por qué: " + lesson_field(id, "es", "why")));
  CHECK_FALSE(contains(answered.out, lesson_field(id, "en", "why")));
  CHECK_FALSE(contains(answered.out, "Why: "));
}

TEST_CASE("[ui] the Escalations tab's note types on the keyboard docked along the bottom") {
  TempDir dir;
  HqFixture hq(dir);
  const auto kiosk = kiosk::testing::staffed_kiosk(dir, hq, "en");
  REQUIRE(kiosk_cli(kiosk.db, {"escalate", "--mention", kiosk.first_card, "--severity", "high",
                               "--staff", "max"})
              .exit_code == 0);
  const std::string id =
      nlohmann::json::parse(kiosk_cli(kiosk.db, {"escalations", "--json"}).out).at(0)["id"];
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    // At the smallest window the card with its details fills the list: the keys under the
    // field would be cut by the list's bottom edge. Docked, every key and Note are in reach.
    const auto r = kiosk_window(kiosk.db, backend,
                                {"tab:escalations", "details:" + id, "field:escalation_text",
                                 "key:shift", "key:o", "key:k", "print", "note:" + id},
                                with(window_size(1024, 600), {"--staff", "max"}),
                                dir.file(std::string("note-") + backend + ".png"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto frames = kiosk::testing::printed_frames(r.out);
    REQUIRE(!frames.empty());
    CHECK(has_line(frames.back(), "Ok"));    // the field shows what was typed
    CHECK(has_line(frames.back(), "Done"));  // with the keyboard open
    const auto listed = nlohmann::json::parse(kiosk_cli(kiosk.db, {"escalations", "--json"}).out);
    CAPTURE(listed.dump());
    REQUIRE(listed.size() == 1);
    bool noted = false;
    for (const auto& a : listed[0]["history"])
      if (a.value("kind", "") == "note" && a.value("text", "") == "Ok") noted = true;
    CHECK(noted);
  }
}
