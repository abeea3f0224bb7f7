#pragma once
// `ingest --source NAME FILE` for both programs: parse a saved payload file of one source
// and print what was found. Mentions go to `out` as JSON lines (id, source, author, text,
// created_at in RFC 3339 UTC, url, and lang, metrics, rating, location, reply_to,
// owner_reply, edited_at where the source has them); each skipped item and a damaged
// body are one line on `err`. Returns 0 when the file was read (skips included), 1 when it
// could not be read at all.
#include <iosfwd>
#include <string>

#include "kiosk/core/mention.h"

namespace kiosk::sync::sources {

std::string mention_json_line(const core::Mention& m);

int ingest_source_file(const std::string& source_name, const std::string& path, std::ostream& out,
                       std::ostream& err, const std::string& program);

}  // namespace kiosk::sync::sources
