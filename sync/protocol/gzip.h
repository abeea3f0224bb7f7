#pragma once
// gzip bodies for the sync wire (zlib): the kiosk compresses large request bodies, kiosk-hq
// compresses sync answers and inflates compressed requests. Inflating is bounded: a body that
// would grow past max_bytes stops there, so a small "zip bomb" never costs more memory than
// an honest request of the limit's size.
#include <cstddef>
#include <string>
#include <string_view>

namespace kiosk::sync::protocol {

// The gzip form of data (RFC 1952), at a level that favours speed on a busy head office.
std::string gzip_compress(std::string_view data);

enum class InflateStatus { ok, too_large, corrupt };

struct Inflated {
  InflateStatus status = InflateStatus::corrupt;
  std::string data;  // the whole body when ok; empty otherwise
};

// Inflates a gzip body, refusing (too_large) as soon as the output would pass max_bytes.
Inflated gzip_decompress(std::string_view gz, std::size_t max_bytes);

// Bodies below this are sent as they are: gzip's header and the CPU cost more than they save.
inline constexpr std::size_t kGzipMinBytes = 1024;

}  // namespace kiosk::sync::protocol
