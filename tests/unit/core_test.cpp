// The domain's pure functions: escalation status join, HLC ordering, backoff, UUIDs, UTF-8.
#include <doctest/doctest.h>

#include <cstdint>

#include <array>
#include <set>

#include "kiosk/core/backoff.h"
#include "kiosk/core/category.h"
#include "kiosk/core/escalation.h"
#include "kiosk/core/hlc.h"
#include "kiosk/core/time_format.h"
#include "kiosk/core/utf8.h"
#include "kiosk/core/uuid.h"

using namespace kiosk::core;

TEST_CASE("[escalation] status merges as a join: the further-along status wins either way") {
  using S = EscalationStatus;
  CHECK(merge_status(S::open, S::acknowledged) == S::acknowledged);
  CHECK(merge_status(S::acknowledged, S::open) == S::acknowledged);
  CHECK(merge_status(S::resolved, S::acknowledged) == S::resolved);
  CHECK(merge_status(S::open, S::open) == S::open);
}

TEST_CASE("[escalation] a card's progress follows delivery then head office's status") {
  Escalation e;
  CHECK(progress_of(e) == EscalationProgress::queued_on_terminal);
  e.delivered_at_ms = 5;
  CHECK(progress_of(e) == EscalationProgress::delivered_to_hq);
  e.status = EscalationStatus::acknowledged;
  CHECK(progress_of(e) == EscalationProgress::acknowledged);
  e.status = EscalationStatus::resolved;
  CHECK(progress_of(e) == EscalationProgress::resolved);
  CHECK(to_string(EscalationProgress::delivered_to_hq) == "delivered_to_hq");
}

TEST_CASE("[escalation] severities and statuses round-trip through their names") {
  for (auto s : {Severity::low, Severity::medium, Severity::high, Severity::critical})
    CHECK(parse_severity(to_string(s)) == s);
  CHECK_FALSE(parse_severity("urgent").has_value());
  CHECK_FALSE(parse_status("").has_value());
}

TEST_CASE("[hlc] stays ordered when the wall clock steps back") {
  HybridLogicalClock clock;
  const auto a = clock.tick(1000);
  const auto b = clock.tick(900);  // clock stepped back
  const auto c = clock.tick(900);
  CHECK(a < b);
  CHECK(b < c);
  const auto d = clock.observe({5000, 3}, 1000);  // a remote clock ahead of ours
  CHECK(d > HlcTimestamp{5000, 3});
  CHECK(clock.tick(1000) > d);
}

TEST_CASE("[hlc] text form sorts like the timestamps and parses back") {
  const HlcTimestamp a{999, 12}, b{1000, 1};
  CHECK(format_hlc(a) < format_hlc(b));
  CHECK(parse_hlc(format_hlc(b)) == b);
  CHECK_FALSE(parse_hlc("garbage").has_value());
  CHECK_FALSE(parse_hlc("12-").has_value());
}

TEST_CASE(
    "[hlc] text order is timestamp order at any counter value, old stored form still parses") {
  const HlcTimestamp at_9999{1'732'320'000'000, 9'999}, at_10000{1'732'320'000'000, 10'000};
  CHECK(format_hlc(at_9999) < format_hlc(at_10000));
  const HlcTimestamp max_counter{1'732'320'000'000, 4'294'967'295u};
  CHECK(format_hlc(at_10000) < format_hlc(max_counter));
  CHECK(parse_hlc(format_hlc(max_counter)) == max_counter);
  // The wall field holds the whole non-negative int64 range and still sorts by length.
  const HlcTimestamp far{INT64_MAX, 0};
  CHECK(format_hlc(max_counter) < format_hlc(far));
  CHECK(parse_hlc(format_hlc(far)) == far);
  CHECK(format_hlc(at_9999).size() == format_hlc(far).size());
  // Values written before the fixed-width form (13-digit wall, 4 or more counter digits).
  CHECK(parse_hlc("1732320000000-0007") == HlcTimestamp{1'732'320'000'000, 7});
  CHECK(parse_hlc("1732320000000-10000") == at_10000);
  // Anything else is refused.
  CHECK_FALSE(parse_hlc("-10000").has_value());
  CHECK_FALSE(parse_hlc("1732320000000-7").has_value());
  CHECK_FALSE(parse_hlc("1732320000000-+007").has_value());
  CHECK_FALSE(parse_hlc("1732320000000-4294967296").has_value());
  CHECK_FALSE(parse_hlc("01732320000000000-0000000007").has_value());
  CHECK_FALSE(parse_hlc(" 1732320000000-0007").has_value());
  CHECK_FALSE(parse_hlc("9223372036854775808-0000000000").has_value());
  // A full counter moves on to the next millisecond instead of wrapping back to 0.
  HybridLogicalClock full(max_counter);
  CHECK(full.tick(max_counter.wall_ms) > max_counter);
  HybridLogicalClock seen;
  CHECK(seen.observe(max_counter, 0) > max_counter);
}

TEST_CASE("[backoff] doubles up to the cap, jitters below it, and resets after success") {
  Backoff backoff({1000, 8000});
  CHECK(backoff.ceiling_ms(1) == 1000);
  CHECK(backoff.ceiling_ms(3) == 4000);
  CHECK(backoff.ceiling_ms(10) == 8000);
  CHECK(backoff.next_delay_ms(0.5) == 500);
  CHECK(backoff.next_delay_ms(0.5) == 1000);
  CHECK(backoff.next_delay_ms(0.0) == 100);  // never a zero wait: no tight retry loop
  for (int i = 0; i < 20; ++i) CHECK(backoff.next_delay_ms(0.999) <= 8000);
  backoff.reset();
  CHECK(backoff.next_delay_ms(1.0) == 1000);
}

TEST_CASE("[uuid] version-4 text form with variant bits set") {
  std::array<std::uint8_t, 16> bytes{};
  bytes.fill(0xFF);
  const auto id = format_uuid_v4(bytes);
  CHECK(id == "ffffffff-ffff-4fff-bfff-ffffffffffff");
  CHECK(is_uuid(id));
  CHECK_FALSE(is_uuid("ffffffff-ffff-4fff-bfff-fffffffffff"));
  CHECK_FALSE(is_uuid("ffffffff_ffff-4fff-bfff-ffffffffffff"));
}

TEST_CASE("[utf8] broken sequences are detected and replaced, good text is kept") {
  CHECK(is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\xA1"));  // café 😡
  CHECK_FALSE(is_valid_utf8("bad \xFF byte"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a lone surrogate
  CHECK_FALSE(is_valid_utf8("cut \xE2\x82"));  // truncated
  CHECK(repair_utf8("a\xFF"
                    "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(repair_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("[time] ages read the way staff say them") {
  const std::int64_t now = 1'790'000'000'000;
  CHECK(time_ago(now, now - 10'000) == "just now");
  CHECK(time_ago(now, now + 60'000) == "just now");  // the poster's clock is ahead
  CHECK(time_ago(now, now - 5 * 60'000) == "5 min ago");
  CHECK(time_ago(now, now - 3 * 3600'000) == "3 h ago");
  CHECK(time_ago(now, now - 26 * 3600'000) == "1 day ago");
  CHECK(time_ago(now, now - 72 * 3600'000) == "3 days ago");
}

TEST_CASE("[time] ages read in the words a catalog passes in") {
  const std::int64_t now = 1'790'000'000'000;
  const AgeWords spanish{"ahora mismo", "hace {} min", "hace {} h", "hace {} día", "hace {} días"};
  CHECK(time_ago(now, now - 10'000, spanish) == "ahora mismo");
  CHECK(time_ago(now, now + 60'000, spanish) == "ahora mismo");
  CHECK(time_ago(now, now - 5 * 60'000, spanish) == "hace 5 min");
  CHECK(time_ago(now, now - 2 * 3600'000, spanish) == "hace 2 h");
  CHECK(time_ago(now, now - 26 * 3600'000, spanish) == "hace 1 día");
  CHECK(time_ago(now, now - 72 * 3600'000, spanish) == "hace 3 días");
  // A pattern without a slot is used as it is; the default words are English.
  CHECK(time_ago(now, now - 5 * 60'000, AgeWords{"now", "minutes", "h", "d", "dd"}) == "minutes");
  CHECK(time_ago(now, now - 5 * 60'000, AgeWords{}) == "5 min ago");
}

TEST_CASE("[time] instants print in UTC to the minute") {
  CHECK(utc_minute(0) == "1970-01-01 00:00 UTC");
  CHECK(utc_minute(1'732'320'059'999) == "2024-11-23 00:00 UTC");
  CHECK(utc_minute(1'732'323'600'000 + 61'000) == "2024-11-23 01:01 UTC");
}

TEST_CASE("[time] time_ago_changes_at is the first moment the label reads differently") {
  const std::int64_t then = 1'700'000'000'000;
  CHECK(time_ago_changes_at(then, then) == then + 45'000);
  CHECK(time_ago_changes_at(then + 5 * 60'000, then) == then + 5 * 60'000 + 30'000);
  // Every second over the first two days, and every minute over the next month: the label
  // one millisecond before the answer is the current one, the answer's label is not.
  auto check = [&](std::int64_t age_ms) {
    const std::int64_t now = then + age_ms;
    const std::int64_t at = time_ago_changes_at(now, then);
    REQUIRE(at > now);
    REQUIRE(time_ago(at - 1, then) == time_ago(now, then));
    REQUIRE(time_ago(at, then) != time_ago(now, then));
  };
  for (std::int64_t age = -5'000; age < 2 * 86'400'000; age += 997) check(age);
  for (std::int64_t age = 2 * 86'400'000; age < 40LL * 86'400'000; age += 59'999) check(age);
}

TEST_CASE("[utf8] emoji presentation modifiers are dropped, the emoji itself kept") {
  CHECK(strip_presentation_modifiers("Made my day \xE2\x9D\xA4\xEF\xB8\x8F") ==
        "Made my day \xE2\x9D\xA4");
  CHECK(strip_presentation_modifiers("a\xE2\x80\x8D"
                                     "b") == "ab");
  CHECK(strip_presentation_modifiers("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("[category] every category round-trips through its wire name; unknown names refuse") {
  for (const Category c : all_categories()) CHECK(parse_category(to_string(c)) == c);
  CHECK(to_string(Category::wait_time) == "wait_time");
  CHECK_FALSE(parse_category("Wait time").has_value());
  CHECK_FALSE(parse_category("").has_value());
}
