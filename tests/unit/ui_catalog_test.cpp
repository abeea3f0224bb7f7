// Every screen text is a key in a catalog under assets/ui/; every shipped language must have
// every key, with "{}" exactly where a value goes, or the kiosk refuses to start with it.
#include <doctest/doctest.h>

#include <filesystem>

#include "kiosk/app/view/ui_catalog.h"
#include "tests/support/process.h"

using namespace kiosk;

TEST_CASE("[catalog] every shipped language has every key the screens use") {
  const std::string assets = kiosk::testing::source_dir() + "/assets";
  int languages = 0;
  for (const auto& file : std::filesystem::directory_iterator(assets + "/ui")) {
    if (file.path().extension() != ".json") continue;
    const std::string language = file.path().stem().string();
    CAPTURE(language);
    const auto catalog = app::load_ui_catalog(assets, language);
    REQUIRE_MESSAGE(catalog.ok(), catalog.error());
    CHECK(catalog->language == language);
    for (const auto& text : catalog->texts) CHECK_FALSE(text.empty());
    ++languages;
  }
  CHECK(languages >= 1);
  CHECK(app::load_ui_catalog(assets, "en").ok());
}

TEST_CASE("[catalog] a broken catalog is refused with the key that is wrong") {
  SUBCASE("a missing key") {
    auto r =
        app::parse_ui_catalog(R"({"language":"xx","strings":{"escalate":"Escalar"}})", "xx.json");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("xx.json is missing \"app_name\"") != std::string::npos);
  }
  SUBCASE("a key nobody uses (a typo)") {
    auto r = app::parse_ui_catalog(R"({"strings":{"escalte":"Escalar"}})", "xx.json");
    CHECK(r.error().find("\"escalte\"") != std::string::npos);
  }
  SUBCASE("a value slot lost in translation") {
    auto r = app::parse_ui_catalog(R"({"strings":{"waiting_many":"waiting"}})", "xx.json");
    CHECK(r.error().find("\"waiting_many\" must contain {}") != std::string::npos);
  }
  SUBCASE("not a catalog at all") {
    CHECK_FALSE(app::parse_ui_catalog("[1,2]", "xx.json").ok());
    CHECK_FALSE(app::parse_ui_catalog("{\"strings\":{\"escalate\":\"\xff\"}}", "xx.json").ok());
  }
  SUBCASE("a language that is not shipped") {
    auto r = app::load_ui_catalog(kiosk::testing::source_dir() + "/assets", "tlh");
    CHECK(r.error().find("--language") != std::string::npos);
  }
}
