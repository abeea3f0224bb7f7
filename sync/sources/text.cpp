#include "sync/sources/text.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <cstdint>
#include <mutex>

#include "kiosk/core/utf8.h"
#include "sync/sources/libxml_init.h"
#include "sync/sources/sources.h"

namespace kiosk::sync::sources {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Builds plain text the way a browser lays out inline HTML: whitespace runs become one
// space, explicit breaks become newlines, never more than one blank line in a row.
class TextBuilder {
 public:
  void text(std::string_view s) {
    for (const char c : s) {
      if (is_space(c)) {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !out_.empty() && out_.back() != '\n') out_ += ' ';
      pending_space_ = false;
      out_ += c;
    }
  }
  void newline() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    pending_space_ = false;
    if (out_.empty()) return;
    const auto n = out_.size();
    if (n >= 2 && out_[n - 1] == '\n' && out_[n - 2] == '\n') return;
    out_ += '\n';
  }
  void block_edge() {
    if (!out_.empty() && out_.back() != '\n') newline();
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool pending_space_ = false;
};

bool name_is(const xmlNode* n, const char* name) {
  return n->name && xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

bool is_block(const xmlNode* n) {
  for (const char* b : {"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5",
                        "h6", "tr", "table", "pre", "section", "article", "header", "footer"})
    if (name_is(n, b)) return true;
  return false;
}

bool is_hidden(const xmlNode* n) {
  return name_is(n, "script") || name_is(n, "style") || name_is(n, "head") ||
         name_is(n, "template");
}

void node_enter(const xmlNode* n, TextBuilder& b) {
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content) b.text(reinterpret_cast<const char*>(n->content));
  } else if (n->type == XML_ELEMENT_NODE) {
    if (name_is(n, "br"))
      b.newline();
    else if (is_block(n))
      b.block_edge();
  }
}

void node_leave(const xmlNode* n, TextBuilder& b) {
  if (n->type == XML_ELEMENT_NODE && is_block(n)) b.newline();
}

bool has_visible_children(const xmlNode* n) {
  return n->children && !(n->type == XML_ELEMENT_NODE && is_hidden(n)) &&
         n->type != XML_ENTITY_REF_NODE;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) {
    TextBuilder b;
    b.text(html);
    return clean_text(b.take());
  }
  ensure_libxml_initialised();
  const auto size = static_cast<int>(std::min<std::size_t>(html.size(), kMaxBodyBytes));
  htmlDocPtr doc = htmlReadMemory(
      html.data(), size, nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!doc) return clean_text(decode_entities(html));
  TextBuilder b;
  // Walks the tree without recursion, so deep nesting cannot exhaust the stack.
  const xmlNode* root = xmlDocGetRootElement(doc);
  const xmlNode* n = root;
  while (n) {
    node_enter(n, b);
    if (has_visible_children(n)) {
      n = n->children;
      continue;
    }
    node_leave(n, b);
    while (n && n != root && !n->next) {
      n = n->parent;
      node_leave(n, b);
    }
    if (!n || n == root) break;
    n = n->next;
  }
  xmlFreeDoc(doc);
  return clean_text(b.take());
}

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, amp - i));
    const std::size_t semi = text.find(';', amp + 1);
    if (semi == std::string_view::npos || semi - amp > 32) {
      out += '&';
      i = amp + 1;
      continue;
    }
    const std::string name(text.substr(amp + 1, semi - amp - 1));
    std::uint32_t cp = 0;
    bool ok = false;
    if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits = name.substr(hex ? 2 : 1);
      if (!digits.empty() && digits.size() <= 8 &&
          digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") ==
              std::string::npos) {
        const auto v = std::stoul(digits, nullptr, hex ? 16 : 10);
        ok = v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
        cp = static_cast<std::uint32_t>(v);
      }
    } else if (!name.empty()) {
      ensure_libxml_initialised();
      if (const auto* e = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()))) {
        cp = e->value;
        ok = true;
      }
    }
    if (ok) {
      core::append_utf8(out, static_cast<char32_t>(cp));
      i = semi + 1;
    } else {
      out += '&';
      i = amp + 1;
    }
  }
  return out;
}

std::string clean_text(std::string_view text) {
  const std::string valid = core::repair_utf8(text);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto c = static_cast<unsigned char>(valid[i]);
    if (c == '\r') {
      if (i + 1 < valid.size() && valid[i + 1] == '\n') continue;
      out += '\n';
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      continue;
    } else {
      out += static_cast<char>(c);
    }
  }
  std::size_t begin = 0, end = out.size();
  while (begin < end && is_space(out[begin])) ++begin;
  while (end > begin && is_space(out[end - 1])) --end;
  out = out.substr(begin, end - begin);
  if (out.size() > kMaxTextBytes) {
    std::size_t cut = kMaxTextBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "\xE2\x80\xA6";
  }
  return out;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return core::repair_utf8(out);
}

// The query of a URL ("a=1&b=2"), without the fragment.
std::string_view query_of(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  auto query = url.substr(q + 1);
  return query.substr(0, query.find('#'));
}

}  // namespace

std::string query_parameter(std::string_view url, std::string_view name) {
  std::string_view query = query_of(url);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string strip_tracking_parameters(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  const auto hash = url.find('#', q);
  std::string_view query =
      url.substr(q + 1, hash == std::string_view::npos ? std::string_view::npos : hash - q - 1);
  std::string kept;
  while (true) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    if (!pair.empty() && pair.rfind("utm_", 0) != 0 && pair.rfind("adjust_", 0) != 0) {
      if (!kept.empty()) kept += '&';
      kept.append(pair);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  std::string out(url.substr(0, q));
  if (!kept.empty()) out += "?" + kept;
  if (hash != std::string_view::npos) out.append(url.substr(hash));
  return out;
}

std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  rest = rest.substr(0, rest.find(':'));
  return std::string(rest);
}

}  // namespace kiosk::sync::sources
