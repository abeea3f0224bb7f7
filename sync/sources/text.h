#pragma once
// Turning the text layers sources send (HTML, entity-escaped text, damaged UTF-8) into the
// plain UTF-8 a card shows.
#include <string>
#include <string_view>

namespace kiosk::sync::sources {

// HTML to plain text: tags dropped, entities decoded, <br> and the end of a paragraph or
// block become a newline, other whitespace runs become one space, script and style dropped.
std::string html_to_text(std::string_view html);
// Decodes HTML character references (&amp; &lt; &#39; &#x1F600; &nbsp; ...) in text that is
// otherwise plain. Unknown or broken references stay as written.
std::string decode_entities(std::string_view text);
// The last step for every text field: valid UTF-8 (bad bytes become U+FFFD), control
// characters other than newline and tab dropped, trimmed, and cut to kMaxTextBytes.
std::string clean_text(std::string_view text);

// The value of one query parameter of a URL, percent-decoded; empty when absent.
std::string query_parameter(std::string_view url, std::string_view name);
// A URL without tracking parameters (utm_*, adjust_*), for display and deduplication.
std::string strip_tracking_parameters(std::string_view url);
// The host part of an http(s) URL ("www.example.com"), empty when there is none.
std::string url_host(std::string_view url);

}  // namespace kiosk::sync::sources
