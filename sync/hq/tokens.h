#pragma once
// Secrets handed out by kiosk-hq and their stored form (libsodium, this file only).
// Terminal tokens and enrollment codes are random; storage keeps only hash_secret() of them,
// so a copied database does not let anyone sync as a terminal.
#include <string>
#include <string_view>

namespace kiosk::sync::hq {

// 32 random bytes, URL-safe base64 without padding: what a terminal sends as its bearer token.
std::string make_token();

// An enrollment code a person types on a touchscreen: 10 characters from an alphabet without
// look-alikes (no 0/O, 1/I/L), shown as "ABCD-EFGH-JK".
std::string make_enrollment_code();

// What a person typed, reduced to what counts: upper case, dashes and spaces dropped. So
// "abcd efgh jk" and "ABCD-EFGH-JK" are the same code.
std::string normalize_enrollment_code(std::string_view typed);

// A random UUID v4 (terminal ids, ids of mentions made at HQ).
std::string make_uuid();

// Hex BLAKE2b-256 (crypto_generichash) of a secret: the only form storage keeps.
std::string hash_secret(std::string_view secret);

}  // namespace kiosk::sync::hq
