// gzip bodies of the sync wire: what goes in comes out, and inflating stops at the limit.
#include <doctest/doctest.h>

#include <string>

#include "sync/protocol/gzip.h"

using namespace kiosk::sync::protocol;

TEST_CASE("[gzip] a body comes back as it went, in fewer bytes") {
  std::string body;
  for (int i = 0; i < 500; ++i)
    body += R"({"id":"google:)" + std::to_string(i) + R"(","text":"Waited at the till"},)";
  const std::string gz = gzip_compress(body);
  REQUIRE_FALSE(gz.empty());
  CHECK(gz.size() * 5 < body.size());
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);  // the gzip magic, not raw zlib
  const Inflated back = gzip_decompress(gz, body.size());
  CHECK(back.status == InflateStatus::ok);
  CHECK(back.data == body);
}

TEST_CASE("[gzip] inflating stops as soon as the limit is passed") {
  const std::string bomb = gzip_compress(std::string(64u << 20, ' '));
  CHECK(bomb.size() < (1u << 20) / 4);
  const Inflated out = gzip_decompress(bomb, 1u << 20);
  CHECK(out.status == InflateStatus::too_large);
  CHECK(out.data.empty());
}

TEST_CASE("[gzip] a body that is not gzip, or cut short, is corrupt, never half-read") {
  CHECK(gzip_decompress("{\"cursor\": 0}", 1024).status == InflateStatus::corrupt);
  const std::string gz = gzip_compress(std::string(10000, 'x') + "end");
  const Inflated cut = gzip_decompress(gz.substr(0, gz.size() / 2), 1u << 20);
  CHECK(cut.status == InflateStatus::corrupt);
  CHECK(cut.data.empty());
  CHECK(gzip_decompress("", 1024).status == InflateStatus::corrupt);
}
