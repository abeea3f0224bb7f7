#pragma once
// Staff PINs as Argon2id hashes (libsodium's crypto_pwhash_str): head office makes them
// (kiosk-hq staff add / reset-pin), the changefeed carries only the hash, and the terminal
// verifies a typed PIN against it offline. The hash string names its own parameters; a
// terminal refuses a hash whose cost is above kMaxPinMemLimitBytes / kMaxPinOpsLimit, so a
// bad row can never make a tap-in take seconds.
//
// The parameters: 2 passes over 16 MiB (libsodium's interactive pass count, a quarter of its
// memory). bench/pin_verify prints the median verify time (docs/performance.md#pin-verify):
// about 50 ms on the build machine, so well under a second on a terminal ten times slower,
// while each guess at a stolen hash still costs 16 MiB and two passes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/result.h"

namespace kiosk::sync::protocol {

inline constexpr unsigned long long kPinOpsLimit = 2;
inline constexpr std::size_t kPinMemLimitBytes = 16u * 1024u * 1024u;
inline constexpr unsigned long long kMaxPinOpsLimit = 8;
inline constexpr std::size_t kMaxPinMemLimitBytes = 64u * 1024u * 1024u;
inline constexpr std::size_t kMaxPinHashBytes = 128;  // crypto_pwhash_STRBYTES

// The Argon2id hash string of pin ("$argon2id$v=19$m=16384,t=2,p=1$..."). The caller has
// checked the PIN's format (core::check_pin_format). Fails only when memory is short.
core::Result<std::string> hash_pin(std::string_view pin, unsigned long long ops = kPinOpsLimit,
                                   std::size_t mem_bytes = kPinMemLimitBytes);

// Empty when hash is an Argon2id string this terminal will verify, otherwise why not.
std::optional<std::string> check_pin_hash(std::string_view hash);

enum class PinVerdict { match, mismatch, unusable_hash };
PinVerdict verify_pin(std::string_view hash, std::string_view pin);

}  // namespace kiosk::sync::protocol
