#include "sync/sources/lexicon_files.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kiosk::sync::sources {
namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

std::string default_assets_dir() {
  if (const char* env = std::getenv("KIOSK_ASSETS"); env && *env) return env;
  return KIOSK_SOURCE_ASSETS_DIR;
}

core::Result<core::Lexicon> load_lexicon(const std::string& assets_dir) {
  const std::string dir = assets_dir + "/lexicons/";
  std::string vader, emoji, cs;
  for (auto [name, text] :
       {std::pair{"vader_lexicon.txt", &vader}, std::pair{"emoji_utf8_lexicon.txt", &emoji},
        std::pair{"customer_service.tsv", &cs}})
    if (!read_file(dir + name, *text))
      return core::Result<core::Lexicon>::failure(
          "cannot read the triage lexicon " + dir + name +
          ": pass --assets DIR (or set KIOSK_ASSETS) to the kiosk's assets folder");
  auto lexicon = core::parse_lexicon({vader, emoji, cs});
  if (!lexicon)
    return core::Result<core::Lexicon>::failure(dir + ": " + lexicon.error() +
                                                "; reinstall the assets folder");
  return lexicon;
}

}  // namespace kiosk::sync::sources
