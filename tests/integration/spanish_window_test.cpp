// The counter tablet tried in Spanish, in the real kiosk program and a real window (Xvfb):
// the ages on cards and in the status bar are Spanish, the status bar is drawn whole at the
// usual 1280x800 and at the smallest window, 1024x600, in both languages (with a long error,
// only the error is cut, never the sync state), and the Escalations tab's note opens the
// keyboard docked along the bottom, where its keys and the Note button are in reach.
#include <doctest/doctest.h>

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

  // Head office unreachable: the sync fails with a long error. At the smallest window the
  // error is the part cut short, with an ellipsis; the sync state and the rest stay whole.
  hq.kill();
  CHECK(kiosk_cli(kiosk.db, {"sync", "--once"}).exit_code != 0);
  const auto error =
      kiosk_window(kiosk.db, "sdl2", {}, with(window_size(1024, 600), {"--language", "es"}));
  REQUIRE_MESSAGE(error.exit_code == 0, error.err);
  CHECK(has_line(error.out, "Nada por enviar"));
  CHECK(!line_starting(error.out, "Sincronizado ").empty());
  CHECK_FALSE(ends_with_ellipsis(line_starting(error.out, "Sincronizado ")));
  const auto status = nlohmann::json::parse(kiosk_cli(kiosk.db, {"status", "--json"}).out);
  const std::string last_error = status["last_error"].get<std::string>();
  REQUIRE(!last_error.empty());
  CHECK_FALSE(has_line(error.out, last_error));  // too long for the bar at 1024 px
  const std::string cut = line_starting(error.out, last_error.substr(0, 4));
  REQUIRE(!cut.empty());
  CHECK(cut.size() > kEllipsis.size());
  CHECK(cut.size() < last_error.size());
  CHECK(ends_with_ellipsis(cut));
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
