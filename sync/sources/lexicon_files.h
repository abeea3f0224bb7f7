#pragma once
// Reads the triage lexicons from an assets folder, for the kiosk and for kiosk-hq, which
// triage mentions with the same pure code (kiosk/core/triage.h) as they store them.
#include <string>

#include "kiosk/core/result.h"
#include "kiosk/core/triage.h"

namespace kiosk::sync::sources {

// The assets folder: KIOSK_ASSETS when set, else this source tree's assets/ (a build run from
// its tree finds it there; an installed program gets KIOSK_ASSETS or --assets).
std::string default_assets_dir();

// Reads <assets>/lexicons/{vader_lexicon.txt, emoji_utf8_lexicon.txt, customer_service.tsv}.
// A missing or broken file fails with a sentence saying which and what to do.
core::Result<core::Lexicon> load_lexicon(const std::string& assets_dir);

}  // namespace kiosk::sync::sources
