// Every screen text is a key in a catalog under assets/ui/; every shipped language must have
// every key, with "{}" exactly where a value goes, or the kiosk refuses to start with it.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string_view>

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

TEST_CASE("[catalog] the Spanish screens have no English left: every key is translated") {
  const std::string assets = kiosk::testing::source_dir() + "/assets";
  const auto en = app::load_ui_catalog(assets, "en");
  const auto es = app::load_ui_catalog(assets, "es");
  REQUIRE_MESSAGE(en.ok(), en.error());
  REQUIRE_MESSAGE(es.ok(), es.error());
  // The same in both languages on purpose: the product's name, a word Spanish shares and a
  // unit.
  const std::set<std::string_view> same = {"app_name", "sentiment_neutral", "settings_minutes"};
  for (std::size_t i = 0; i < ui::kStrCount; ++i) {
    const auto name = ui::key_name(static_cast<ui::Str>(i));
    CAPTURE(name);
    CHECK_FALSE(es->texts[i].empty());
    if (!same.count(name)) CHECK(es->texts[i] != en->texts[i]);
  }
}

TEST_CASE("[catalog] a sync failure reads in the screen's language, by its kind") {
  const std::string assets = kiosk::testing::source_dir() + "/assets";
  auto es = app::load_ui_catalog(assets, "es");
  REQUIRE(es.ok());
  ui::use_catalog(std::move(es.value()));
  CHECK(ui::sync_error_label(core::ErrorKind::retry_later) ==
        "Falló la sincronización; se reintenta");
  CHECK(ui::sync_error_label(core::parse_error_kind("reenroll")) ==
        ui::tr(ui::Str::sync_error_reenroll));
  // The sync module missing: reinstall, not a failure that passes by itself.
  CHECK(core::to_string(core::ErrorKind::reinstall) == "reinstall");
  CHECK(ui::sync_error_label(core::parse_error_kind("reinstall")) ==
        "Hay que reinstalar el kiosco");
  // A kind written by a newer build (or none, from before kinds were kept): still Spanish.
  CHECK(ui::sync_error_label(core::parse_error_kind("from_the_future")) ==
        ui::tr(ui::Str::sync_error_other));
  CHECK(ui::sync_error_label(core::parse_error_kind("")) == ui::tr(ui::Str::sync_error_other));
  ui::use_catalog({});
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
