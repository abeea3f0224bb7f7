#include "sync/sources/ingest_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "sync/sources/sources.h"
#include "sync/sources/timestamps.h"

namespace kiosk::sync::sources {

std::string mention_json_line(const core::Mention& m) {
  using json = nlohmann::ordered_json;  // keys in the order documented
  json j = json::object();
  j["id"] = m.id;
  j["source"] = m.source;
  j["author"] = m.author;
  j["text"] = m.text;
  j["created_at"] = format_rfc3339(m.created_at_ms);
  j["url"] = m.url;
  if (!m.lang.empty()) j["lang"] = m.lang;
  json metrics = json::object();
  if (m.reach.author_followers) metrics["author_followers"] = *m.reach.author_followers;
  if (m.reach.likes) metrics["likes"] = *m.reach.likes;
  if (m.reach.reposts) metrics["reposts"] = *m.reach.reposts;
  if (m.reach.replies) metrics["replies"] = *m.reach.replies;
  if (!metrics.empty()) j["metrics"] = metrics;
  if (m.rating) j["rating"] = *m.rating;
  if (!m.location.name.empty() || m.location.lat) {
    json where = json::object();
    if (!m.location.name.empty()) where["name"] = m.location.name;
    if (m.location.lat && m.location.lon) {
      where["lat"] = *m.location.lat;
      where["lon"] = *m.location.lon;
    }
    j["location"] = where;
  }
  if (!m.reply_to.empty()) j["reply_to"] = m.reply_to;
  if (!m.owner_reply.empty()) j["owner_reply"] = m.owner_reply;
  if (m.edited_at_ms) j["edited_at"] = format_rfc3339(*m.edited_at_ms);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

int ingest_source_file(const std::string& source_name, const std::string& path, std::ostream& out,
                       std::ostream& err, const std::string& program) {
  const auto source = source_from_name(source_name);
  if (!source) {
    err << program << ": unknown source \"" << source_name << "\"; use one of "
        << source_names_list() << "\n";
    return 1;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << program << ": cannot read " << path << ": check the path and permissions\n";
    return 1;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const Page page = parse_payload(*source, buffer.str());
  for (const auto& m : page.mentions) out << mention_json_line(m) << "\n";
  for (const auto& s : page.skipped)
    err << program << ": " << path << ": skipped " << s.item << ": " << s.reason << "\n";
  if (!page.error.empty()) {
    err << program << ": " << path << ": " << page.error << " (as a " << source_name
        << " payload)\n";
    if (page.mentions.empty() && page.skipped.empty()) return 1;
  }
  out.flush();
  return 0;
}

}  // namespace kiosk::sync::sources
