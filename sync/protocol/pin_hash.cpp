#include "sync/protocol/pin_hash.h"

#include <sodium.h>

#include <charconv>

namespace kiosk::sync::protocol {
namespace {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;  // thread-safe since libsodium 1.0.11
  return ready;
}

// The number after `key=` in the parameter part of the hash string, or -1.
long long param_after(std::string_view s, std::string_view key) {
  const auto at = s.find(key);
  if (at == std::string_view::npos) return -1;
  long long v = -1;
  const char* begin = s.data() + at + key.size();
  const auto r = std::from_chars(begin, s.data() + s.size(), v);
  return r.ec == std::errc() ? v : -1;
}

}  // namespace

core::Result<std::string> hash_pin(std::string_view pin, unsigned long long ops,
                                   std::size_t mem_bytes) {
  if (!sodium_ready()) return core::Result<std::string>::failure("libsodium could not start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin.data(), pin.size(), ops, mem_bytes) != 0)
    return core::Result<std::string>::failure("not enough memory to hash the PIN (Argon2id needs " +
                                              std::to_string(mem_bytes / (1024 * 1024)) + " MiB)");
  return std::string(out);
}

std::optional<std::string> check_pin_hash(std::string_view hash) {
  if (hash.size() >= kMaxPinHashBytes || hash.substr(0, 10) != "$argon2id$")
    return std::string("the PIN hash is not an Argon2id hash string");
  // "$argon2id$v=19$m=16384,t=3,p=1$salt$hash": bound the cost before any work.
  const long long m = param_after(hash, "$m=");
  const long long t = param_after(hash, ",t=");
  if (m <= 0 || t <= 0) return std::string("the PIN hash does not name its cost");
  if (static_cast<unsigned long long>(m) * 1024ULL > kMaxPinMemLimitBytes ||
      static_cast<unsigned long long>(t) > kMaxPinOpsLimit)
    return "the PIN hash costs more (" + std::to_string(m / 1024) + " MiB, " + std::to_string(t) +
           " passes) than a terminal verifies";
  return std::nullopt;
}

PinVerdict verify_pin(std::string_view hash, std::string_view pin) {
  if (check_pin_hash(hash) || !sodium_ready()) return PinVerdict::unusable_hash;
  const std::string h(hash);  // NUL-terminated for libsodium
  return crypto_pwhash_str_verify(h.c_str(), pin.data(), pin.size()) == 0 ? PinVerdict::match
                                                                          : PinVerdict::mismatch;
}

}  // namespace kiosk::sync::protocol
