#include "sync/hq/tokens.h"

#include <sodium.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <stdexcept>

#include "kiosk/core/uuid.h"

namespace kiosk::sync::hq {
namespace {

// 31 symbols: digits 2-9 and letters without I, L and O.
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::size_t kCodeLength = 10;

void ensure_sodium() {
  // sodium_init() is thread-safe and cheap after the first call.
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

std::string make_token() {
  ensure_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  const std::size_t len =
      sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(len - 1);  // drop the terminating NUL
  return out;
}

std::string make_enrollment_code() {
  ensure_sodium();
  std::string out;
  for (std::size_t i = 0; i < kCodeLength; ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    // uniform() has no modulo bias.
    out.push_back(
        kCodeAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kCodeAlphabet.size()))]);
  }
  return out;
}

std::string normalize_enrollment_code(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string make_uuid() {
  ensure_sodium();
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return core::format_uuid_v4(bytes);
}

std::string hash_secret(std::string_view secret) {
  ensure_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr,
                     0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace kiosk::sync::hq
