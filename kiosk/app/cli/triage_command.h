#pragma once
// `kiosk triage`: triage texts from stdin for store IT and tests, and the loader of the
// lexicons the triage needs (the app reads the files; kiosk/core only parses their text).
#include <cstdio>
#include <string>

#include "kiosk/core/result.h"
#include "kiosk/core/triage.h"

namespace kiosk::app {

// Reads <assets>/lexicons/{vader_lexicon.txt, emoji_utf8_lexicon.txt, customer_service.tsv}.
core::Result<core::Lexicon> load_lexicon(const std::string& assets_dir);

// One JSON object per input line: a plain text, or {"text": ..., "rating": 1-5, "id": ...,
// "followers"/"likes"/"reposts"/"replies" (or inside "metrics")}. A line that cannot be read
// is one line on stderr and the rest continue; returns 1 if any line was skipped.
int command_triage(const std::string& assets_dir, std::FILE* in, std::FILE* out, std::FILE* err);

}  // namespace kiosk::app
