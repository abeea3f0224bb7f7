#pragma once
// The on-screen keyboard for a counter with no physical keyboard: big keys (at least the touch
// target height, ~48 px at 1x) drawn under the text field that was tapped, typing into it.
// Pages: letters (QWERTY, shift for one capital), numbers and symbols, and the accented
// letters Spanish needs (áéíóúüñ¿¡). Touch targets: "key:<letter or symbol>" (letters by their
// lower-case name, whatever shift says), "key:shift", "key:back", "key:space", "key:done",
// "key:page:letters|symbols|accents".
//
// When it shows: a text field drawn through field() opens it when tapped, unless
// UiState::onscreen_keyboard is off (a terminal with a physical keyboard, --keyboard off).
// Done, or the field leaving the screen (its dialog closed), closes it.
#include <string>

#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::keyboard {

struct FieldOptions {
  const char* name = nullptr;  // touch target name of the field ("field:note"), if any
  const char* hint = nullptr;  // grey text while empty (single line only)
  float lines = 0.0f;          // > 0: a multi-line box this many lines tall
  // A field inside a scrolling list: the keys are not drawn under it (they would scroll with
  // the list and push its buttons out of reach) but docked below the list by docked_keys().
  bool docked = false;
};

// Draws the text field `id` (an ImGui id such as "##note") editing text, and the keyboard
// under it while it is this field's. Returns true when the text changed this frame.
bool field(UiState& ui, TextField which, const char* id, std::string& text,
           const FieldOptions& options = {});

// A docked field's keyboard (FieldOptions::docked), drawn where the screen puts it (under its
// list, along the bottom): nothing while the keyboard is not this field's. Returns true when
// the text changed this frame.
bool docked_keys(UiState& ui, TextField which, std::string& text);
// The height docked_keys() takes, for the list above it to give up.
float docked_keys_height();

// Call at the start and the end of each frame: a keyboard whose field was not drawn closes.
void begin_frame(UiState& ui);
void end_frame(UiState& ui);

}  // namespace kiosk::ui::keyboard
