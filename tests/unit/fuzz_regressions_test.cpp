// Inputs the fuzz targets (tests/fuzz/, scripts/fuzz.sh) showed breaking a promise, kept as
// tests so the bug stays fixed. Each names the promise it broke.
#include <doctest/doctest.h>

#include <string>

#include "kiosk/core/utf8.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/sources/pushed.h"
#include "sync/sources/sources.h"
#include "sync/sources/timestamps.h"

using namespace kiosk::sync::sources;
namespace protocol = kiosk::sync::protocol;

namespace {

// What head office stores is what its terminals read: a mention that does not decode at
// the terminal stops that terminal's sync at the change.
void require_terminal_reads(const Page& page) {
  for (const auto& m : page.mentions) {
    const auto back = protocol::decode_change(1, "mention", protocol::encode_entity(m));
    INFO(m.id.substr(0, 80));
    REQUIRE_MESSAGE(back.ok(), back.error());
    CHECK(back.value().mention->id == m.id);
  }
}

}  // namespace

TEST_CASE("[fuzz] an id over the wire's 512 bytes is skipped with its reason, the page goes on") {
  const std::string long_uri = "at://did:plc:abc/app.bsky.feed.post/" + std::string(600, 'k');
  const std::string body =
      R"({"posts": [
    {"uri": ")" +
      long_uri + R"(", "record": {"text": "Long one", "createdAt": "2026-11-20T17:02:11Z"}},
    {"uri": "at://did:plc:abc/app.bsky.feed.post/3k", "author": {"handle": "dana.bsky.social"},
     "record": {"text": "Short one", "createdAt": "2026-11-20T17:02:11Z"}}]})";
  const Page page = parse_bluesky(body);
  REQUIRE(page.mentions.size() == 1);
  CHECK(page.mentions[0].text == "Short one");
  REQUIRE(page.skipped.size() == 1);
  CHECK(page.skipped[0].reason.find("over the 512") != std::string::npos);
  CHECK(page.skipped[0].item.size() < 120);
  require_terminal_reads(page);
}

TEST_CASE("[fuzz] an id with a line break or control character is skipped") {
  const Page page = parse_google(R"({"reviews": [
    {"reviewId": "AI\nx", "starRating": "ONE", "createTime": "2026-11-20T17:02:11Z"},
    {"reviewId": "AI\u0001y", "starRating": "TWO", "createTime": "2026-11-20T17:02:11Z"},
    {"reviewId": "AIz", "starRating": "FIVE", "createTime": "2026-11-20T17:02:11Z"}]})");
  REQUIRE(page.mentions.size() == 1);
  CHECK(page.mentions[0].id == "google:AIz");
  REQUIRE(page.skipped.size() == 2);
  for (const auto& s : page.skipped) {
    CHECK(s.reason.find("control characters") != std::string::npos);
    CHECK(s.item.find('\n') == std::string::npos);
  }
}

TEST_CASE(
    "[fuzz] a language, reply link or place the wire cannot carry is dropped, the post kept") {
  SUBCASE("mastodon: a language that is not a tag") {
    const Page page = parse_mastodon(R"([{"id": "1", "created_at": "2026-11-20T17:02:11Z",
      "content": "<p>Queue out the door</p>", "language": ")" +
                                     std::string(40, 'e') + R"("}])");
    REQUIRE(page.mentions.size() == 1);
    CHECK(page.mentions[0].lang.empty());
    require_terminal_reads(page);
  }
  SUBCASE("mastodon: a real tag stays") {
    const Page page = parse_mastodon(R"([{"id": "1", "created_at": "2026-11-20T17:02:11Z",
      "content": "<p>Hi</p>", "language": "pt-BR"}])");
    REQUIRE(page.mentions.size() == 1);
    CHECK(page.mentions[0].lang == "pt-BR");
  }
  SUBCASE("reddit: a parent id that makes a reply link over 512 bytes") {
    const Page page = parse_reddit(R"({"kind": "Listing", "data": {"children": [{"kind": "t1",
      "data": {"name": "t1_abc", "body": "Agreed, slow tills", "created_utc": 1523049024.0,
      "parent_id": ")" + std::string(510, 'p') +
                                   R"("}}]}})");
    REQUIRE(page.mentions.size() == 1);
    CHECK(page.mentions[0].reply_to.empty());
    require_terminal_reads(page);
  }
  SUBCASE("facebook: a place name over 512 bytes is shortened") {
    const Page page = parse_facebook(R"({"data": [{"id": "1_2", "message": "At the store",
      "created_time": "2019-05-07T18:14:20+0000", "place": {"name": ")" +
                                     std::string(2000, 'n') + R"("}}]})");
    REQUIRE(page.mentions.size() == 1);
    CHECK(page.mentions[0].location.name.size() <= protocol::kMaxPlaceNameBytes);
    CHECK(kiosk::core::is_valid_utf8(page.mentions[0].location.name));
    require_terminal_reads(page);
  }
}

TEST_CASE("[fuzz] pushed mentions: a rating past 32 bits is refused, not wrapped to 1 star") {
  const auto batch = parse_pushed_mentions(R"({"mentions": [
    {"id": "a", "source": "tool", "text": "Fine", "created_at": "2026-11-20T17:02:11Z",
     "rating": 4294967297},
    {"id": "b", "source": "tool", "text": "Fine", "created_at": "2026-11-20T17:02:11Z",
     "rating": 18446744073709551615},
    {"id": "c", "source": "tool", "text": "Fine", "created_at": "2026-11-20T17:02:11Z",
     "rating": 4}]})");
  REQUIRE(batch.error.empty());
  REQUIRE(batch.accepted.size() == 1);
  CHECK(batch.accepted[0].mention.rating == 4);
  REQUIRE(batch.rejected.size() == 2);
  CHECK(batch.rejected[0].reason.find("rating") != std::string::npos);
}

TEST_CASE("[fuzz] pushed mentions: an id with a control character is refused") {
  const auto batch = parse_pushed_mentions(R"({"mentions": [
    {"id": "a\u0001b", "source": "tool", "text": "Fine", "created_at": "2026-11-20T17:02:11Z"}]})");
  REQUIRE(batch.rejected.size() == 1);
  CHECK(batch.rejected[0].reason.find("control character") != std::string::npos);
}

TEST_CASE("[fuzz] a date reads back from the RFC 3339 form ingest prints") {
  // An offset can move a date in year 1 or 9999 past what RFC 3339 writes.
  for (const char* text : {"0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
                           "Mon, 01 Jan 0001 00:00:00 +0100"}) {
    INFO(text);
    const auto ms = parse_any_date_ms(text);
    if (ms) CHECK(parse_iso8601_ms(format_rfc3339(*ms)) == ms);
  }
  const auto pacific = parse_pacific_local_ms("9999-12-31 23:00:00");
  if (pacific) CHECK(parse_iso8601_ms(format_rfc3339(*pacific)) == pacific);
  CHECK(parse_iso8601_ms("9999-12-31T23:59:59Z").has_value());
  CHECK(parse_iso8601_ms("0001-01-01T00:00:00Z").has_value());
}
