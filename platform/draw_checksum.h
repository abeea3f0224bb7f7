// A checksum of what a frame draws (Dear ImGui's draw lists: vertices, colours, indices and
// clip rectangles), for benchmarks that ask "in which frame did the screen change?" without
// reading pixels back. Header-only so that bench/ can add it to Debian's own ImGui example.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>

namespace platform {

inline std::uint64_t draw_checksum(const ImDrawData* data) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a
  const auto mix = [&h](const void* bytes, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  };
  if (data == nullptr) return h;
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    mix(list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert));
    mix(list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (const ImDrawCmd& cmd : list->CmdBuffer) mix(&cmd.ClipRect, sizeof cmd.ClipRect);
  }
  return h;
}

}  // namespace platform
