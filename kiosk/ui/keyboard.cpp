#include "kiosk/ui/keyboard.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <vector>

#include "kiosk/ui/model/strings.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui::keyboard {
namespace {

// A key: what it types (UTF-8) and, for letters, its capital.
struct Key {
  const char* text;
  const char* upper;
};

using Row = std::vector<Key>;

const std::array<Row, 3>& letter_rows() {
  static const std::array<Row, 3> rows = {
      Row{{"q", "Q"},
          {"w", "W"},
          {"e", "E"},
          {"r", "R"},
          {"t", "T"},
          {"y", "Y"},
          {"u", "U"},
          {"i", "I"},
          {"o", "O"},
          {"p", "P"}},
      Row{{"a", "A"},
          {"s", "S"},
          {"d", "D"},
          {"f", "F"},
          {"g", "G"},
          {"h", "H"},
          {"j", "J"},
          {"k", "K"},
          {"l", "L"},
          {"\xC3\xB1", "\xC3\x91"}},  // ñ Ñ
      Row{{"z", "Z"}, {"x", "X"}, {"c", "C"}, {"v", "V"}, {"b", "B"}, {"n", "N"}, {"m", "M"}}};
  return rows;
}

const std::array<Row, 3>& symbol_rows() {
  static const std::array<Row, 3> rows = {
      Row{{"1", "1"},
          {"2", "2"},
          {"3", "3"},
          {"4", "4"},
          {"5", "5"},
          {"6", "6"},
          {"7", "7"},
          {"8", "8"},
          {"9", "9"},
          {"0", "0"}},
      Row{{"-", "-"},
          {"/", "/"},
          {":", ":"},
          {";", ";"},
          {"(", "("},
          {")", ")"},
          {"$", "$"},
          {"&", "&"},
          {"@", "@"},
          {"\"", "\""}},
      Row{{".", "."}, {",", ","}, {"?", "?"}, {"!", "!"}, {"'", "'"}, {"%", "%"}, {"+", "+"}}};
  return rows;
}

const std::array<Row, 3>& accent_rows() {
  static const std::array<Row, 3> rows = {Row{{"\xC3\xA1", "\xC3\x81"},   // á Á
                                              {"\xC3\xA9", "\xC3\x89"},   // é É
                                              {"\xC3\xAD", "\xC3\x8D"},   // í Í
                                              {"\xC3\xB3", "\xC3\x93"},   // ó Ó
                                              {"\xC3\xBA", "\xC3\x9A"}},  // ú Ú
                                          Row{{"\xC3\xB1", "\xC3\x91"},   // ñ Ñ
                                              {"\xC3\xBC", "\xC3\x9C"},   // ü Ü
                                              {"\xC2\xBF", "\xC2\xBF"},   // ¿
                                              {"\xC2\xA1", "\xC2\xA1"}},  // ¡
                                          Row{{",", ","}, {".", "."}, {"?", "?"}, {"!", "!"}}};
  return rows;
}

// Removes the last character (a whole UTF-8 sequence).
void pop_char(std::string& text) {
  while (!text.empty()) {
    const auto byte = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((byte & 0xC0u) != 0x80u) break;
  }
}

// Draws the keyboard; returns true when it changed text.
bool draw_keys(UiState& ui, std::string& text) {
  bool changed = false;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float spacing = style.ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  // Ten key widths to the widest row (the last rows: seven keys, shift and delete at 1.5);
  // never under the touch target height, never under 48 px.
  const float key_w = std::max((avail - spacing * 9.0f) / 10.0f, 48.0f);
  const float key_h = std::max(touch_target_height(), 48.0f);
  const ImVec4 fill = style.Colors[ImGuiCol_FrameBg];

  const auto& rows = ui.keyboard_page == KeyboardPage::symbols   ? symbol_rows()
                     : ui.keyboard_page == KeyboardPage::accents ? accent_rows()
                                                                 : letter_rows();
  const bool letters = ui.keyboard_page != KeyboardPage::symbols;
  ImGui::PushID("##keyboard");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    // Rows centred, as on a phone; the last row has shift on its left and delete on its right.
    float row_w = static_cast<float>(row.size()) * (key_w + spacing) - spacing;
    const bool last = r + 1 == rows.size();
    const float side_w = key_w * 1.5f;
    if (last) row_w += 2.0f * (side_w + spacing);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max((avail - row_w) * 0.5f, 0.0f));
    if (last) {
      const bool shift = ui.keyboard_shift && letters;
      if (widgets::button(ui, "key:shift", tr(Str::kb_shift), ImVec2(side_w, key_h),
                          shift ? colors::accent : fill, shift ? colors::on_accent : colors::text))
        ui.keyboard_shift = !ui.keyboard_shift;
      ImGui::SameLine();
    }
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (k > 0) ImGui::SameLine();
      const Key& key = row[k];
      const char* shown = ui.keyboard_shift && letters ? key.upper : key.text;
      if (widgets::button(ui, std::string("key:") + key.text, shown, ImVec2(key_w, key_h), fill,
                          colors::text)) {
        text += shown;
        ui.keyboard_shift = false;
        changed = true;
      }
    }
    if (last) {
      ImGui::SameLine();
      if (widgets::button(ui, "key:back", tr(Str::pin_delete), ImVec2(side_w, key_h), fill,
                          colors::text_dim) &&
          !text.empty()) {
        pop_char(text);
        changed = true;
      }
    }
  }
  // Bottom row: the other two pages, space, done.
  const float page_w = key_w * 1.5f;
  const float done_w = key_w * 2.0f;
  const float space_w = std::max(avail - 2.0f * page_w - done_w - 3.0f * spacing, key_w);
  const auto page_key = [&](KeyboardPage page, const char* name, const char* label) {
    if (widgets::button(ui, name, label, ImVec2(page_w, key_h), fill, colors::text_dim)) {
      ui.keyboard_page = page;
      ui.keyboard_shift = false;
    }
  };
  if (ui.keyboard_page == KeyboardPage::letters) {
    page_key(KeyboardPage::symbols, "key:page:symbols", "?123");
    ImGui::SameLine();
    page_key(KeyboardPage::accents, "key:page:accents", "\xC3\xA1\xC3\xA9\xC3\xAD");
  } else if (ui.keyboard_page == KeyboardPage::symbols) {
    page_key(KeyboardPage::letters, "key:page:letters", "ABC");
    ImGui::SameLine();
    page_key(KeyboardPage::accents, "key:page:accents", "\xC3\xA1\xC3\xA9\xC3\xAD");
  } else {
    page_key(KeyboardPage::letters, "key:page:letters", "ABC");
    ImGui::SameLine();
    page_key(KeyboardPage::symbols, "key:page:symbols", "?123");
  }
  ImGui::SameLine();
  if (widgets::button(ui, "key:space", tr(Str::kb_space), ImVec2(space_w, key_h), fill,
                      colors::text_dim)) {
    text += ' ';
    changed = true;
  }
  ImGui::SameLine();
  if (widgets::button(ui, "key:done", tr(Str::kb_done), ImVec2(done_w, key_h)))
    ui.keyboard_field = TextField::none;
  ImGui::PopID();
  return changed;
}

}  // namespace

bool field(UiState& ui, TextField which, const char* id, std::string& text,
           const FieldOptions& options) {
  bool changed = false;
  if (options.lines > 0.0f) {
    changed = ImGui::InputTextMultiline(id, &text,
                                        ImVec2(-1.0f, ImGui::GetTextLineHeight() * options.lines +
                                                          ImGui::GetStyle().FramePadding.y * 2.0f));
  } else if (options.hint != nullptr) {
    changed = ImGui::InputTextWithHint(id, options.hint, &text);
  } else {
    changed = ImGui::InputText(id, &text);
  }
  if (options.name != nullptr) widgets::record_last_item(ui, options.name);
  if (!text.empty()) widgets::record_text(ui, text);  // what the field shows, for tests
  // A tap on the field brings the keyboard up for it.
  if (ui.onscreen_keyboard && ImGui::IsItemActivated() && ui.keyboard_field != which) {
    ui.keyboard_field = which;
    ui.keyboard_page = KeyboardPage::letters;
    ui.keyboard_shift = false;
  }
  if (ui.keyboard_field == which && options.docked) {
    ui.keyboard_field_seen = true;
  } else if (ui.keyboard_field == which) {
    ui.keyboard_field_seen = true;
    ImGui::Spacing();
    if (draw_keys(ui, text)) changed = true;
    ImGui::Spacing();
  }
  return changed;
}

bool docked_keys(UiState& ui, TextField which, std::string& text) {
  if (ui.keyboard_field != which || !ui.keyboard_field_seen) return false;
  ImGui::Spacing();
  return draw_keys(ui, text);
}

float docked_keys_height() {
  // Four rows of keys (three of letters, the page/space/done row) and the spacing around them.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float key_h = std::max(touch_target_height(), 48.0f);
  return 4.0f * key_h + 3.0f * style.ItemSpacing.y + style.ItemSpacing.y * 2.0f;
}

void begin_frame(UiState& ui) {
  ui.keyboard_field_seen = false;
}

void end_frame(UiState& ui) {
  if (!ui.keyboard_field_seen) ui.keyboard_field = TextField::none;
}

}  // namespace kiosk::ui::keyboard
