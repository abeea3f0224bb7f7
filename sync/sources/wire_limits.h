#pragma once
// The last step of every source parser: each mention must fit what the sync wire carries
// (sync/protocol/contracts.h, [mention]), or head office would store a change that stops
// every terminal of the store at it. Whatever a source sends, a mention whose id cannot be
// carried is skipped with the reason; a field that only decorates it (a reply link, a
// language, a place name, a link) is dropped or shortened, and the post is kept.
#include <string>
#include <string_view>

#include "sync/sources/sources.h"

namespace kiosk::sync::sources {

// Moves the mentions that cannot be carried to `skipped` and trims the rest in place.
void fit_page_to_wire(Page& page);

// Why `id` cannot be a mention id ("its id is 700 bytes, over the 512 ..."), empty when it can:
// non-empty, at most kMaxMentionIdBytes, valid UTF-8 and free of control characters.
std::string mention_id_problem(std::string_view id);

}  // namespace kiosk::sync::sources
