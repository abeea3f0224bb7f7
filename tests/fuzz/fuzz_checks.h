#pragma once
// What every fuzz target checks beyond "no crash, no leak, no undefined behaviour": the
// promises the rest of the program relies on. A broken promise traps, so libFuzzer saves the
// input like any crash.
#include <string_view>

#include "kiosk/core/mention.h"

namespace kiosk::fuzz {

// Traps when `ok` is false, naming the promise on stderr first.
void require(bool ok, const char* promise);

// A mention as a parser hands it to head office: an id "<source>:..." (any id when `source`
// is empty: pushed mentions name their own source) within the wire's bound
// and without control characters, valid UTF-8 in every text, text within its length limit,
// rating 1-5, coordinates on Earth, a JSON line for `ingest` that parses back, and the same
// mention after the trip head office -> terminal (encode_entity, then decode_change, as a
// terminal reads its changefeed).
void check_mention(const core::Mention& m, std::string_view source);

}  // namespace kiosk::fuzz
