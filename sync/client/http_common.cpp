// The parts of http_client.h that need no curl, linked by both the kiosk's sync client and
// sync_http: checks on a head office address made before anything is sent.
#include <arpa/inet.h>

#include <cctype>
#include <string>

#include "sync/client/http_client.h"

namespace kiosk::sync::client {

bool is_loopback_host(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // "localhost."
  if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
  if (host.size() > 10 && host.substr(host.size() - 10) == ".localhost") return true;
  if (host.rfind("::ffff:", 0) == 0) host.remove_prefix(7);
  // A dotted IPv4 address in 127.0.0.0/8 (curl writes every IPv4 form, "127.1" too, dotted).
  in_addr addr{};
  const std::string text(host);
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1) return false;
  return (ntohl(addr.s_addr) >> 24) == 127;
}

bool is_public_key_pin(std::string_view pin) {
  constexpr std::string_view prefix = "sha256//";
  while (true) {
    const auto end = pin.find(';');
    std::string_view one = pin.substr(0, end);
    if (one.rfind(prefix, 0) != 0) return false;
    one.remove_prefix(prefix.size());
    // 32 bytes of base64: 43 characters and one '='.
    if (one.size() != 44 || one[43] != '=') return false;
    for (std::size_t i = 0; i < 43; ++i) {
      const auto c = static_cast<unsigned char>(one[i]);
      if (!std::isalnum(c) && c != '+' && c != '/') return false;
    }
    if (end == std::string_view::npos) return true;
    pin.remove_prefix(end + 1);
  }
}

}  // namespace kiosk::sync::client
