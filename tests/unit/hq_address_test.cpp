// Which head-office addresses a terminal may use: https:// anywhere, plain http:// only to this
// machine unless allowed on purpose, read by the same URL parser that makes the request.
#include <doctest/doctest.h>

#include "sync/client/http_client.h"
#include "sync/client/sync_session.h"

using kiosk::sync::client::check_hq_address;
using kiosk::sync::client::is_loopback_host;
using kiosk::sync::client::is_public_key_pin;
using kiosk::sync::client::url_target;

TEST_CASE("[tls] the host of a URL is the one curl would connect to") {
  CHECK(url_target("https://HQ.Example.com:8443/x")->host == "hq.example.com");
  CHECK(url_target("HTTP://127.0.0.1:8080")->scheme == "http");
  CHECK(url_target("http://[::1]:8080/")->host == "::1");
  // Credentials before '@' are not the host.
  CHECK(url_target("http://127.0.0.1@hq.example.com/")->host == "hq.example.com");
  CHECK_FALSE(url_target("not a url").has_value());
}

TEST_CASE("[tls] loopback hosts") {
  for (const char* host : {"127.0.0.1", "127.255.0.9", "::1", "localhost", "localhost.",
                           "till.localhost", "::ffff:127.0.0.1"}) {
    CAPTURE(host);
    CHECK(is_loopback_host(host));
  }
  for (const char* host : {"10.0.0.1", "128.0.0.1", "hq.example.com", "localhost.example.com",
                           "127.0.0.1.example.com", "::2", ""}) {
    CAPTURE(host);
    CHECK_FALSE(is_loopback_host(host));
  }
}

TEST_CASE("[tls] plain http only to this machine unless allowed") {
  CHECK_FALSE(check_hq_address("https://hq.example.com", false).has_value());
  CHECK_FALSE(check_hq_address("http://127.0.0.1:8080", false).has_value());
  CHECK_FALSE(check_hq_address("http://localhost:8080", false).has_value());
  CHECK_FALSE(check_hq_address("http://[::1]:8080", false).has_value());
  CHECK_FALSE(check_hq_address("http://hq.example.com", true).has_value());
  for (const char* url : {"http://hq.example.com:8080", "http://10.0.0.5",
                          "http://127.0.0.1@hq.example.com/", "http://127.0.0.1.example.com/"}) {
    CAPTURE(url);
    const auto refused = check_hq_address(url, false);
    REQUIRE(refused.has_value());
    CHECK(refused->message.find("plain http to a non-local host") != std::string::npos);
    CHECK(refused->hint.find("--allow-plain-http") != std::string::npos);
  }
  const auto ftp = check_hq_address("ftp://hq.example.com", true);
  REQUIRE(ftp.has_value());
  CHECK(ftp->message.find("must start with http:// or https://") != std::string::npos);
}

TEST_CASE("[tls] public key pins") {
  const std::string pin = "sha256//" + std::string(43, 'A') + "=";
  CHECK(is_public_key_pin(pin));
  CHECK(is_public_key_pin(pin + ";" + pin));
  CHECK_FALSE(is_public_key_pin("sha256//abc="));
  CHECK_FALSE(is_public_key_pin(std::string(43, 'A') + "="));
  CHECK_FALSE(is_public_key_pin(pin + ";"));
  CHECK_FALSE(is_public_key_pin("/etc/hq.pem"));
  const auto bad = check_hq_address("https://hq.example.com", false, {}, "sha256//nope");
  REQUIRE(bad.has_value());
  CHECK(bad->message.find("is not a public key pin") != std::string::npos);
}
