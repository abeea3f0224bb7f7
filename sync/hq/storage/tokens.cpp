#include "sync/hq/storage/tokens.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
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

bool secrets_equal(std::string_view presented, std::string_view expected) {
  ensure_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> a{};
  std::array<unsigned char, crypto_generichash_BYTES> b{};
  crypto_generichash(a.data(), a.size(), reinterpret_cast<const unsigned char*>(presented.data()),
                     presented.size(), nullptr, 0);
  crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(expected.data()),
                     expected.size(), nullptr, 0);
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string make_uuid() {
  ensure_sodium();
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return core::format_uuid_v4(bytes);
}

namespace {
std::string hex_blake2b(std::string_view key, std::string_view secret) {
  ensure_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                     key.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}
}  // namespace

std::string hash_secret(std::string_view key, std::string_view secret) {
  if (key.size() != kServerKeyBytes) throw std::logic_error("hash_secret needs the server key");
  return hex_blake2b(key, secret);
}

std::string unkeyed_hash(std::string_view secret) {
  return hex_blake2b({}, secret);
}

std::string make_request_id() {
  ensure_sodium();
  std::array<unsigned char, 6> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

std::string default_secret_path(const std::string& db_path) {
  return db_path + ".secret";
}

core::Result<std::string> load_or_create_server_key(const std::string& path) {
  using R = core::Result<std::string>;
  ensure_sodium();
  // Create it if missing: O_EXCL so two processes starting at once end up with one key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::array<unsigned char, kServerKeyBytes> key{};
    randombytes_buf(key.data(), key.size());
    const bool written =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      ::unlink(path.c_str());
      return R::failure("cannot write the server secret " + path + " (" + std::strerror(errno) +
                        "); check the disk and the folder's permissions");
    }
  } else if (errno != EEXIST) {
    return R::failure("cannot create the server secret " + path + " (" + std::strerror(errno) +
                      "); kiosk-hq needs to write beside the database, or give --secret-file");
  }
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return R::failure("cannot read the server secret " + path + " (" + std::strerror(errno) +
                      "); check its permissions");
  struct stat st {};
  ::fstat(fd, &st);
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return R::failure("the server secret " + path + " may be read by other users; run: chmod 600 " +
                      path);
  }
  std::string key(kServerKeyBytes + 1, '\0');
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(kServerKeyBytes))
    return R::failure("the server secret " + path + " is not a kiosk-hq secret (it must be " +
                      std::to_string(kServerKeyBytes) +
                      " bytes); restore it from a backup. Without it every terminal must "
                      "re-enroll");
  key.resize(kServerKeyBytes);
  return key;
}

}  // namespace kiosk::sync::hq

namespace kiosk::sync::hq {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
  // crypto_auth_hmacsha256 takes a key of any length through its streaming API.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return hex;
}

}  // namespace kiosk::sync::hq
