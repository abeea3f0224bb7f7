#pragma once
// Secrets handed out by kiosk-hq and their stored form (libsodium, this file only).
// Terminal tokens and enrollment codes are random; storage keeps only their keyed
// hash_secret(), under a server key kept outside the database, so a copied database does not
// let anyone sync as a terminal nor test guesses offline.
#include <string>
#include <string_view>

#include "kiosk/core/result.h"

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

// A request id for an error answer and the matching line in HQ's log: 12 random hex digits.
std::string make_request_id();

// The server secret: 32 random bytes in a file outside the database (by default
// "<database>.secret", see default_secret_path). Made with mode 0600 on first use; a file
// others may read, or one of the wrong size, is refused with a sentence saying what to do.
inline constexpr std::size_t kServerKeyBytes = 32;
core::Result<std::string> load_or_create_server_key(const std::string& path);
std::string default_secret_path(const std::string& db_path);

// Hex keyed BLAKE2b-256 (crypto_generichash with the server key) of a secret: the only form
// storage keeps, so a copied database without the secret file proves nothing.
std::string hash_secret(std::string_view key, std::string_view secret);

// The unkeyed BLAKE2b-256 that databases from before the server secret hold; used only to
// recognise such a token and tell its terminal to re-enroll.
std::string unkeyed_hash(std::string_view secret);

// Whether a presented secret (an admin API key) is the expected one, in time that does not
// depend on where they differ: both are hashed first, then compared with sodium_memcmp.
bool secrets_equal(std::string_view presented, std::string_view expected);

// Hex HMAC-SHA-256 (libsodium crypto_auth_hmacsha256) of message under key: the signature of
// a webhook body, which the receiver recomputes with the shared secret.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace kiosk::sync::hq
