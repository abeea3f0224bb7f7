// Tapping in on the terminal (kiosk/app/staff_session.h) against a real store file, with
// hashes made the way head office makes them and time stepped: offline verify, the growing
// lockout kept in the store with its one staff.lockout event, disabled staff, a new PIN from
// head office ending a lockout, an older copy of a record ignored, and another store's staff
// erased when the terminal moves.
#include <doctest/doctest.h>

#include "kiosk/app/view/staff_session.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/pin_hash.h"
#include "tests/support/process.h"

using kiosk::app::TapInResult;
using kiosk::app::try_tap_in;
using Outcome = kiosk::app::TapInResult::Outcome;
namespace store = kiosk::store;
namespace protocol = kiosk::sync::protocol;

namespace {

constexpr std::int64_t kT0 = 1'732'320'000'000;

store::StaffRow row(const std::string& id, const std::string& pin, std::int64_t pin_set_at,
                    bool active = true, std::int64_t changed_at = 0) {
  auto hash = protocol::hash_pin(pin);  // what kiosk-hq staff add stores and sends
  REQUIRE(hash.ok());
  store::StaffRow r;
  r.member = {id, id == "ana" ? "Ana Lopez" : "Max Weber",
              id == "ana" ? kiosk::core::StaffRole::associate : kiosk::core::StaffRole::manager,
              "en"};
  r.pin_hash = hash.value();
  r.active = active;
  r.pin_set_at_ms = pin_set_at;
  r.changed_at_ms = changed_at ? changed_at : pin_set_at;
  return r;
}

void apply(store::Store& s, std::vector<store::StaffRow> staff, std::int64_t now) {
  store::SyncBatch b;
  b.staff = std::move(staff);
  b.new_cursor = 1;
  b.now_ms = now;
  s.apply_sync_batch(b);
}

}  // namespace

TEST_CASE("[staff][store] PINs verify offline; wrong ones lock out with one event each time") {
  kiosk::testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  apply(s, {row("ana", "4821", kT0), row("max", "90210", kT0)}, kT0);
  REQUIRE(s.staff().size() == 2);
  CHECK(s.staff()[0].member.name == "Ana Lopez");  // by name

  std::int64_t now = kT0 + 1000;
  auto r = try_tap_in(s, "ana", "4821", now);
  CHECK(r.outcome == Outcome::tapped_in);
  REQUIRE(r.member.has_value());
  CHECK(r.member->id == "ana");

  r = try_tap_in(s, "max", "1111", now += 1000);
  CHECK(r.outcome == Outcome::wrong_pin);
  CHECK(r.tries_left == 2);
  CHECK(r.message == "Wrong PIN, 2 tries left.");
  r = try_tap_in(s, "max", "12", now += 1000);  // a bad shape counts too
  CHECK(r.tries_left == 1);
  CHECK(s.sync_state().events_waiting == 0);
  r = try_tap_in(s, "max", "1111", now += 1000);
  CHECK(r.outcome == Outcome::locked);
  CHECK(r.locked_until_ms == now + 30'000);
  CHECK(s.sync_state().events_waiting == 1);
  auto pending = s.pending_events(10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].kind == "staff.lockout");
  const auto body = protocol::read_staff_lockout(pending[0].body);
  REQUIRE(body.ok());
  CHECK(body->staff_id == "max");
  CHECK(body->failed_attempts == 3);
  CHECK(body->locked_for_ms == 30'000);

  // Locked: the right PIN is refused without being checked, and nothing more is queued.
  r = try_tap_in(s, "max", "90210", now + 29'000);
  CHECK(r.outcome == Outcome::locked);
  CHECK(s.sync_state().events_waiting == 1);
  // A second store object (the app restarted) sees the same lockout.
  {
    store::Store again(dir.file("kiosk.sqlite"));
    CHECK(kiosk::core::is_locked(again.pin_attempts("max"), now + 29'000));
  }
  // After it: three more wrong PINs lock for 60 s.
  now += 30'000;
  for (int i = 0; i < 2; ++i) CHECK(try_tap_in(s, "max", "2222", now += 1000).tries_left > 0);
  r = try_tap_in(s, "max", "2222", now += 1000);
  CHECK(r.outcome == Outcome::locked);
  CHECK(r.locked_until_ms == now + 60'000);
  CHECK(s.sync_state().events_waiting == 2);

  // A new PIN from head office ends the lockout; the old PIN no longer works.
  apply(s, {row("max", "2468", now + 5000)}, now + 5000);
  CHECK(s.pin_attempts("max") == kiosk::core::PinAttempts{});
  CHECK(try_tap_in(s, "max", "90210", now + 6000).outcome == Outcome::wrong_pin);
  CHECK(try_tap_in(s, "max", "2468", now + 7000).outcome == Outcome::tapped_in);
  CHECK(s.pin_attempts("max") == kiosk::core::PinAttempts{});  // a right PIN clears it
}

TEST_CASE("[staff][store] disabled, unknown, older copies, unusable hashes, moving store") {
  kiosk::testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  apply(s, {row("ana", "4821", kT0)}, kT0);
  CHECK(try_tap_in(s, "zoe", "4821", kT0).outcome == Outcome::unknown_staff);

  // An older copy of the record (changed before what is held) changes nothing.
  apply(s, {row("ana", "4821", kT0, /*active=*/false, kT0 + 10)}, kT0 + 10);
  CHECK(try_tap_in(s, "ana", "4821", kT0 + 20).outcome == Outcome::disabled);
  apply(s, {row("ana", "4821", kT0, /*active=*/true, kT0 + 5)}, kT0 + 30);
  CHECK(try_tap_in(s, "ana", "4821", kT0 + 40).outcome == Outcome::disabled);

  // A hash that costs more than a terminal verifies is refused, not tried.
  auto costly = row("max", "90210", kT0);
  costly.pin_hash = "$argon2id$v=19$m=1048576,t=4,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  apply(s, {costly}, kT0);
  auto r = try_tap_in(s, "max", "90210", kT0 + 50);
  CHECK(r.outcome == Outcome::unusable_hash);
  CHECK(r.message.find("costs more") != std::string::npos);

  // Enrolled at another store: this store's staff are gone.
  s.enroll_at_new_store({"http://127.0.0.1:1", "t2", "s2", "Uptown", "token"});
  CHECK(s.staff().empty());
}

TEST_CASE("[staff][store] the window's three steps: read, verify off the store, count") {
  kiosk::testing::TempDir dir;
  store::Store s(dir.file("kiosk.sqlite"));
  apply(s, {row("ana", "4821", kT0), row("max", "90210", kT0)}, kT0);
  const std::int64_t now = kT0 + 1000;

  // A wrong PIN through the steps counts exactly as try_tap_in does.
  auto start = kiosk::app::begin_tap_in(s, "max", now);
  REQUIRE_FALSE(start.settled.has_value());
  CHECK(protocol::check_pin_hash(start.pin_hash) == std::nullopt);
  const auto verdict = kiosk::app::verify_typed_pin(start.pin_hash, "11111");
  CHECK(verdict == protocol::PinVerdict::mismatch);
  auto r = kiosk::app::finish_tap_in(s, "max", verdict, now);
  CHECK(r.outcome == Outcome::wrong_pin);
  CHECK(r.tries_left == 2);
  CHECK(s.pin_attempts("max").failures == 1);

  // A PIN of the wrong shape never reaches Argon2id and is a wrong PIN too.
  CHECK(kiosk::app::verify_typed_pin(start.pin_hash, "12") == protocol::PinVerdict::mismatch);

  // Disabled by a sync while the PIN was being checked: the right PIN is refused at the end.
  start = kiosk::app::begin_tap_in(s, "ana", now);
  REQUIRE_FALSE(start.settled.has_value());
  const auto right = kiosk::app::verify_typed_pin(start.pin_hash, "4821");
  CHECK(right == protocol::PinVerdict::match);
  apply(s, {row("ana", "4821", kT0, false, kT0 + 500)}, now);
  r = kiosk::app::finish_tap_in(s, "ana", right, now);
  CHECK(r.outcome == Outcome::disabled);
  CHECK_FALSE(r.member.has_value());

  // Unknown staff are answered at the first step, without a check.
  start = kiosk::app::begin_tap_in(s, "zoe", now);
  REQUIRE(start.settled.has_value());
  CHECK(start.settled->outcome == Outcome::unknown_staff);
}
