// Hostile text in the real kiosk window (Xvfb), on both backends: posts full of emoji, skin
// tones, joiner sequences, flags, combining accents and Hebrew show clean substitutes and
// readable letters, never ImGui's "?" for a glyph the font lacks.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/integration/kiosk_process.h"

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::TempDir;

TEST_CASE("[ui] emoji and symbols the font cannot draw show as clean substitutes") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  // 😍🔥🔥 👍🏽, a family (ZWJ), a flag, "café" with a combining accent, Hebrew, a
  // unicorn.
  std::ofstream(dir.file("posts.json"))
      << R"({"mentions": [)"
      << R"({"id": "t:1", "source": "x", "author": "Dana \ud83c\udf1f", "minutes_ago": 1,)"
      << R"( "text": "Love it \ud83d\ude0d\ud83d\udd25\ud83d\udd25 \ud83d\udc4d\ud83c\udffd"},)"
      << R"({"id": "t:2", "source": "x", "author": "Lee", "minutes_ago": 2,)"
      << R"( "text": "Cafe\u0301 \ud83c\uddea\ud83c\uddf8 \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67)"
      << R"( \u05e9\u05dc\u05d5\u05dd \ud83e\udd84"}]})";
  REQUIRE(kiosk_cli(db, {"ingest", dir.file("posts.json")}).exit_code == 0);
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    auto r = kiosk_cli(db, {"--backend", backend, "--no-sync", "--print-text", "--screenshot",
                            dir.file(std::string(backend) + ".png")});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contains(r.out,
                   "Love it [heart eyes] [fire \xC3\x97"
                   "2] [thumbs up]"));
    CHECK(contains(r.out, "Dana [glowing star]"));
    CHECK(
        contains(r.out, "Caf\xC3\xA9 [flag ES] [emoji] \xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9 [emoji]"));
    CHECK_FALSE(contains(r.out, "?"));
  }
}
