// RSS 2.0 (<rss><channel><item>) and Atom (<feed><entry>), Google Alerts included, read with
// libxml2's streaming reader: each item is expanded and read on its own, so a feed cut short
// keeps every item that came complete before the damage, and a huge feed is never held as
// one tree.
//
// RSS item: guid, link, title, description (HTML), content:encoded, pubDate (RFC 822),
// dc:creator or author, dc:date. Atom entry: id, title and content or summary (type text,
// html or xhtml), link@href, published, updated, author/name, xml:lang. Google Alerts
// links are https://www.google.com/url?...&url=<the real address>&...: the real address
// is kept, and its host names the author (Alerts leave author empty).
#include <libxml/xmlreader.h>

#include <string>

#include "kiosk/core/utf8.h"
#include "sync/sources/libxml_init.h"
#include "sync/sources/sources.h"
#include "sync/sources/text.h"
#include "sync/sources/timestamps.h"
#include "sync/sources/wire_limits.h"

namespace kiosk::sync::sources {
namespace {

std::string_view local_name(const xmlNode* n) {
  return n->name ? reinterpret_cast<const char*>(n->name) : "";
}

std::string content_of(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  if (!c) return {};
  std::string out(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return out;
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

// Atom text constructs say how they are written; RSS titles and descriptions are HTML in
// practice whatever the specification says.
std::string readable(const xmlNode* n, bool atom) {
  const auto raw = content_of(n);
  if (atom) {
    const auto type = attribute(n, "type");
    if (type != "html" && type != "xhtml" && type != "text/html") return clean_text(raw);
  }
  return html_to_text(raw);
}

std::string real_address(const std::string& link) {
  const auto host = url_host(link);
  const bool google = host == "www.google.com" || host == "google.com";
  if (google && link.find("/url?") != std::string::npos) {
    auto target = query_parameter(link, "url");
    if (target.empty()) target = query_parameter(link, "q");
    if (!target.empty()) return target;
  }
  return link;
}

struct ItemFields {
  std::string id, title, body, link, author, date, lang;
};

ItemFields gather(const xmlNode* item, bool atom) {
  ItemFields f;
  if (xmlChar* lang = xmlNodeGetLang(item)) {
    f.lang = reinterpret_cast<const char*>(lang);
    xmlFree(lang);
  }
  std::string published, updated, pub_date, dc_date, summary, description, encoded;
  for (const xmlNode* c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const auto name = local_name(c);
    if (name == "id" || name == "guid")
      f.id = clean_text(content_of(c));
    else if (name == "title")
      f.title = readable(c, atom);
    else if (name == "content")
      f.body = readable(c, atom);
    else if (name == "summary")
      summary = readable(c, atom);
    else if (name == "description")
      description = readable(c, false);
    else if (name == "encoded")
      encoded = readable(c, false);
    else if (name == "link") {
      // Atom: <link rel="alternate" href=".."/>; RSS: <link>..</link>.
      const auto href = attribute(c, "href");
      const auto rel = attribute(c, "rel");
      if (!href.empty() && (rel.empty() || rel == "alternate") && f.link.empty())
        f.link = href;
      else if (href.empty() && f.link.empty())
        f.link = clean_text(content_of(c));
    } else if (name == "author" || name == "creator") {
      if (f.author.empty()) {
        const xmlNode* who = c;
        for (const xmlNode* a = c->children; a; a = a->next)
          if (a->type == XML_ELEMENT_NODE && local_name(a) == "name") who = a;
        f.author = clean_text(content_of(who));
      }
    } else if (name == "published")
      published = content_of(c);
    else if (name == "updated")
      updated = content_of(c);
    else if (name == "pubDate")
      pub_date = content_of(c);
    else if (name == "date")
      dc_date = content_of(c);
  }
  if (f.body.empty())
    f.body = !encoded.empty() ? encoded : !description.empty() ? description : summary;
  for (const auto* d : {&published, &pub_date, &dc_date, &updated})
    if (!d->empty() && f.date.empty()) f.date = *d;
  return f;
}

void read_item(const xmlNode* item, std::size_t index, bool atom, Page& page) {
  ItemFields f = gather(item, atom);
  const std::string label = "item " + std::to_string(index + 1);
  const std::string key = !f.id.empty() ? f.id : f.link;
  if (key.empty()) {
    page.skipped.push_back({label, "it has no guid, id or link"});
    return;
  }
  core::Mention m;
  m.id = "rss:" + key;
  m.source = "rss";
  const auto when = parse_any_date_ms(f.date);
  if (!when) {
    page.skipped.push_back(
        {m.id, f.date.empty()
                   ? "it has no date"
                   : "its date \"" + clean_text(f.date.substr(0, 60)) + "\" is not a date"});
    return;
  }
  m.created_at_ms = *when;
  m.text = clean_text(f.body.empty() || f.body == f.title ? f.title : f.title + "\n" + f.body);
  if (m.text.empty()) {
    page.skipped.push_back({m.id, "it has neither a title nor a body"});
    return;
  }
  m.url = real_address(f.link);
  m.author = !f.author.empty() ? f.author : url_host(m.url);
  m.lang = clean_text(f.lang);
  page.mentions.push_back(std::move(m));
}

// The document's declared encoding when it is not UTF-8 ("ISO-8859-1"); such feeds are
// left to libxml2 to convert instead of being repaired as UTF-8.
bool declares_other_encoding(std::string_view body) {
  const auto head = body.substr(0, std::min<std::size_t>(body.size(), 200));
  if (head.rfind("<?xml", 0) != 0) return false;
  const auto at = head.find("encoding=");
  if (at == std::string_view::npos) return false;
  if (at + 10 >= head.size()) return false;  // the declaration is cut off
  const auto value = head.substr(at + 10, 5);
  return !(value == "UTF-8" || value == "utf-8" || value == "Utf-8");
}

Page read_rss(std::string_view body) {
  Page page;
  if (body.size() > kMaxBodyBytes) {
    page.error = "the body is " + std::to_string(body.size() >> 20) + " MiB, over the " +
                 std::to_string(kMaxBodyBytes >> 20) + " MiB a feed may have; nothing was read";
    return page;
  }
  ensure_libxml_initialised();
  const std::string text =
      declares_other_encoding(body) ? std::string(body) : core::repair_utf8(body);
  xmlTextReaderPtr reader =
      xmlReaderForMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!reader) {
    page.error = "the body could not be opened as XML";
    return page;
  }
  bool saw_feed = false;
  std::size_t index = 0;
  int status = xmlTextReaderRead(reader);
  while (status == 1) {
    if (xmlTextReaderNodeType(reader) == XML_READER_TYPE_ELEMENT) {
      const auto* raw_name = xmlTextReaderConstLocalName(reader);
      const std::string_view name = raw_name ? reinterpret_cast<const char*>(raw_name) : "";
      if (name == "rss" || name == "feed" || name == "channel" || name == "RDF") saw_feed = true;
      if (saw_feed && (name == "item" || name == "entry")) {
        const bool atom = name == "entry";
        const xmlNode* item = xmlTextReaderExpand(reader);
        if (!item) {
          status = -1;
          break;
        }
        read_item(item, index++, atom, page);
        status = xmlTextReaderNext(reader);
        continue;
      }
    }
    status = xmlTextReaderRead(reader);
  }
  if (status < 0) {
    std::string why;
    if (const xmlError* e = xmlGetLastError(); e && e->message) {
      why = clean_text(e->message);
      if (e->line > 0) why += " (line " + std::to_string(e->line) + ")";
    }
    page.error = "the feed is damaged or cut short after " + std::to_string(index) +
                 " complete items" + (why.empty() ? "" : ": " + why) +
                 "; the items before the damage were read";
  } else if (!saw_feed) {
    page.error = "the body is not an RSS or Atom feed (no <rss>, <feed> or <channel>)";
  }
  xmlFreeTextReader(reader);
  xmlResetLastError();
  return page;
}

}  // namespace

Page parse_rss(std::string_view body) {
  Page page = read_rss(body);
  fit_page_to_wire(page);
  return page;
}

}  // namespace kiosk::sync::sources
