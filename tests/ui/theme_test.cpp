// Both themes are readable on a store floor: every text colour is at least 4.5:1 (WCAG 2 AA)
// against every surface it is drawn on, severity colours included, and the text on primary
// buttons against their fill.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "kiosk/ui/theme.h"

using kiosk::ui::contrast_ratio;
using kiosk::ui::Palette;
using kiosk::ui::Theme;

TEST_CASE("[ui] contrast ratio follows the WCAG formula") {
  const ImVec4 black{0, 0, 0, 1};
  const ImVec4 white{1, 1, 1, 1};
  CHECK(contrast_ratio(black, white) == doctest::Approx(21.0f).epsilon(0.001));
  CHECK(contrast_ratio(white, black) == doctest::Approx(21.0f).epsilon(0.001));
  CHECK(contrast_ratio(white, white) == doctest::Approx(1.0f));
  // #777777 on white is the classic 4.48:1, just under AA.
  const float g = 119.0f / 255.0f;
  CHECK(contrast_ratio(ImVec4{g, g, g, 1}, white) == doctest::Approx(4.48f).epsilon(0.01));
}

TEST_CASE("[ui] dark and light themes: text at least 4.5:1 on every surface") {
  for (const Theme theme : {Theme::dark, Theme::light}) {
    const Palette& p = kiosk::ui::palette(theme);
    CAPTURE(theme == Theme::dark ? "dark" : "light");
    const std::vector<std::pair<std::string, ImVec4>> surfaces = {
        {"background", p.background}, {"card", p.card},   {"bar", p.bar},
        {"frame", p.frame},           {"popup", p.popup},
    };
    const std::vector<std::pair<std::string, ImVec4>> texts = {
        {"text", p.text},
        {"text_dim", p.text_dim},
        {"online", p.online},
        {"offline", p.offline},
        {"warning", p.warning},
        {"severity_low", p.severity_low},
        {"severity_medium", p.severity_medium},
        {"severity_high", p.severity_high},
        {"severity_critical", p.severity_critical},
        {"delivered", p.delivered},
        {"acknowledged", p.acknowledged},
    };
    for (const auto& [fg_name, fg] : texts) {
      for (const auto& [bg_name, bg] : surfaces) {
        CAPTURE(fg_name);
        CAPTURE(bg_name);
        CHECK(contrast_ratio(fg, bg) >= 4.5f);
      }
    }
    CHECK(contrast_ratio(p.on_accent, p.accent) >= 4.5f);
    CHECK(contrast_ratio(p.on_accent, p.danger) >= 4.5f);
    // A chosen severity button: its label on the severity's own colour.
    for (const ImVec4& s :
         {p.severity_low, p.severity_medium, p.severity_high, p.severity_critical})
      CHECK(contrast_ratio(p.on_severity, s) >= 4.5f);
  }
  // The two themes really differ: light text on dark, dark text on light.
  CHECK(contrast_ratio(kiosk::ui::palette(Theme::dark).background,
                       kiosk::ui::palette(Theme::light).background) > 10.0f);
}

TEST_CASE("[ui] theme names") {
  CHECK(kiosk::ui::parse_theme("dark") == Theme::dark);
  CHECK(kiosk::ui::parse_theme("light") == Theme::light);
  CHECK_FALSE(kiosk::ui::parse_theme("blue").has_value());
}
