#pragma once
// Internal to kiosk/ui: the few widget wrappers every screen uses, so that each piece of text
// and each named touch target is recorded in UiState when recording is on.
#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/ui/ui_state.h"

namespace kiosk::ui::widgets {

void record_text(UiState& ui, std::string_view text);
// Records the last item's rectangle under name, clipped to what is visible (whole when the
// window's own edge cuts it, so that scripted taps can refuse what no finger could reach).
void record_last_item(UiState& ui, const std::string& name);

void text(UiState& ui, std::string_view text);

// "5 min ago" for a time on screen, against ui.now_ms, in the catalog's words; notes in
// ui.next_label_change_ms when the label will read differently, so the loop wakes for it and for
// nothing else.
std::string age_label(UiState& ui, std::int64_t then_ms);
void text_colored(UiState& ui, const ImVec4& color, std::string_view text);
// Wrapped at wrap_local_x (window-local, as ImGui::PushTextWrapPos takes it); 0: the window's
// right edge.
void text_wrapped(UiState& ui, std::string_view text, float wrap_local_x = 0.0f);

// A touch button: label shown, name recorded as its hit rect (and used as its ImGui id).
// fill: background colour; text: label colour.
bool button(UiState& ui, const std::string& name, std::string_view label, const ImVec2& size,
            const ImVec4& fill, const ImVec4& text);
bool button(UiState& ui, const std::string& name, std::string_view label, const ImVec2& size);
// The colour button() fills with under a finger (hovered) and while pressed on it (hovered and
// held): for a button drawn apart from the invisible one that takes its taps (the bottom tabs).
ImVec4 button_fill(const ImVec4& fill, bool hovered, bool held);

// A filled round chip (status light, severity colour) on the current line, vertically centred
// on a line of text.
void dot(const ImVec4& color);

// A centred modal dialog (PIN pad, escalate, report, reply): opens popup_id if it is not open,
// sizes it to width_em font sizes (at most max_fraction of the screen's width), pads it by
// pad_x_em x pad_y_em font sizes and begins it. When it returns true, draw the content and call
// end_modal(); when false, call nothing.
bool begin_modal(const char* popup_id, float width_em, float max_fraction = 0.92f,
                 float pad_x_em = 1.2f, float pad_y_em = 1.2f);
void end_modal();

// Cuts text to at most max_lines lines of wrap_width (whitespace runs become one space) and
// appends an ellipsis when something was cut. Returns the lines, already wrapped.
std::vector<std::string> clamp_lines(std::string_view text, float wrap_width, int max_lines);

}  // namespace kiosk::ui::widgets
