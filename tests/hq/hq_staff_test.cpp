// Staff at head office: kiosk-hq staff add | disable | reset-pin | list | lockouts run
// in-process on a real database (a SQLite file, or as hq_staff_pg_test a fresh PostgreSQL
// database), the staff change a terminal's sync brings (only an Argon2id hash, which verifies
// the PIN), and staff.lockout events applied once. Time is passed in.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "sync/hq/api/admin.h"
#include "sync/hq/api/sync_api.h"
#include "sync/hq/storage/open_hq_storage.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"
#include "sync/protocol/pin_hash.h"
#include "tests/hq/hq_test_support.h"

namespace hq = kiosk::sync::hq;
namespace protocol = kiosk::sync::protocol;
using kiosk::sync::hq::test::escalation_event;
using kiosk::sync::hq::test::kiosk_hq;
using kiosk::sync::hq::test::TempDir;
using kiosk::sync::hq::test::test_database;
using kiosk::sync::hq::test::test_secret;

namespace {

constexpr std::int64_t kT0 = 1'732'320'000'000;

struct Hq {
  TempDir dir;
  std::string db;
  std::string secret;
  std::int64_t now = kT0;

  Hq() : db(test_database(dir)), secret(test_secret(dir)) {
    auto r = run({"store", "add", "--id", "S1", "--name", "Downtown"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    r = run({"store", "add", "--id", "S2", "--name", "Uptown"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
  }

  kiosk::sync::hq::test::CliRun run(std::vector<std::string> args) {
    if (args.size() >= 2 && args[0] != "--help") {
      // kiosk-hq SUB [SUBSUB] --db DB --secret-file S ...
      const std::size_t at = args[0] == "store" || args[0] == "staff" ? 2 : 1;
      args.insert(args.begin() + static_cast<long>(at), {"--db", db, "--secret-file", secret});
    }
    return kiosk_hq(args);
  }

  std::string pin_file(const std::string& pin) {
    const std::string path = dir.file("pin-" + pin);
    std::ofstream(path) << pin << "\n";
    return path;
  }

  std::unique_ptr<hq::HqStorage> storage() {
    auto opened = hq::open_hq_storage(db, hq::StorageMode::must_exist, secret);
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    return std::move(opened.value());
  }

  // An enrolled terminal of the store.
  hq::TerminalIdentity terminal(hq::HqStorage& s, const std::string& store) {
    auto code = hq::issue_enrollment_code(s, store, hq::kDefaultCodeValidHours, now);
    REQUIRE(code.ok());
    hq::SyncApi api(s, [this] { return now; });
    auto r =
        api.handle({"POST", "/v1/enroll", "",
                    protocol::encode(protocol::EnrollRequest{code.value(), "Counter"}), false});
    REQUIRE(r.status == 200);
    auto e = protocol::decode_enroll_response(r.body);
    REQUIRE(e.ok());
    return {e->terminal_id, e->store_id};
  }

  protocol::SyncResponse sync(hq::HqStorage& s, const hq::TerminalIdentity& t, std::int64_t cursor,
                              std::vector<protocol::Event> events = {}) {
    protocol::SyncRequest req;
    req.cursor = cursor;
    req.events = std::move(events);
    auto r = s.sync(t, req, now);
    REQUIRE_MESSAGE(r.ok(), r.error());
    return r.value();
  }
};

std::vector<protocol::StaffRecord> staff_changes(const protocol::SyncResponse& r) {
  std::vector<protocol::StaffRecord> out;
  for (const auto& c : r.changes)
    if (c.staff) out.push_back(*c.staff);
  return out;
}

protocol::Event lockout_event(const std::string& staff_id, int failed = 3) {
  protocol::Event e;
  e.id = hq::make_uuid();
  e.kind = "staff.lockout";
  e.hlc = "1732320000000-0001";
  e.body = protocol::body_of(protocol::StaffLockout{staff_id, failed, 1, 30'000, kT0});
  return e;
}

}  // namespace

TEST_CASE("[hq][staff] add, list, disable and reset-pin from the command line") {
  Hq h;
  auto added = h.run({"staff", "add", "--store", "S1", "--id", "ana", "--name", "Ana Lopez",
                      "--role", "manager", "--language", "es", "--pin-file", h.pin_file("4821")});
  REQUIRE_MESSAGE(added.code == 0, added.err);
  CHECK(added.out.find("added ana (Ana Lopez, manager) at store S1") != std::string::npos);
  REQUIRE(h.run({"staff", "add", "--store", "S1", "--id", "luis", "--name", "Luis", "--role",
                 "associate", "--pin-file", h.pin_file("135790")})
              .code == 0);

  SUBCASE("the table and the JSON list them, never with the PIN or its hash") {
    auto table = h.run({"staff", "list", "--store", "S1"});
    REQUIRE(table.code == 0);
    CHECK(table.out.find("ana") != std::string::npos);
    CHECK(table.out.find("Ana Lopez") != std::string::npos);
    CHECK(table.out.find("manager") != std::string::npos);
    CHECK(table.out.find("active") != std::string::npos);
    CHECK(table.out.find("argon2") == std::string::npos);
    auto json = h.run({"staff", "list", "--json"});
    REQUIRE(json.code == 0);
    const auto j = nlohmann::json::parse(json.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["id"] == "ana");
    CHECK(j[0]["role"] == "manager");
    CHECK(j[0]["language"] == "es");
    CHECK(j[0]["active"] == true);
    CHECK(j[1]["language"] == "en");
    CHECK(json.out.find("4821") == std::string::npos);
    CHECK(json.out.find("argon2") == std::string::npos);
  }

  SUBCASE("bad input is refused with a sentence, and nothing is written") {
    auto short_pin = h.run({"staff", "add", "--store", "S1", "--id", "eva", "--name", "Eva",
                            "--role", "associate", "--pin-file", h.pin_file("123")});
    CHECK(short_pin.code == 1);
    CHECK(short_pin.err.find("A PIN is 4 to 8 digits; this one has 3.") != std::string::npos);
    auto letters = h.run({"staff", "add", "--store", "S1", "--id", "eva", "--name", "Eva", "--role",
                          "associate", "--pin-file", h.pin_file("12ab")});
    CHECK(letters.code == 1);
    CHECK(letters.err.find("digits only") != std::string::npos);
    auto role = h.run({"staff", "add", "--store", "S1", "--id", "eva", "--name", "Eva", "--role",
                       "boss", "--pin-file", h.pin_file("1234")});
    CHECK(role.err.find("--role must be associate or manager") != std::string::npos);
    auto twice = h.run({"staff", "add", "--store", "S1", "--id", "ana", "--name", "Ana", "--role",
                        "associate", "--pin-file", h.pin_file("1234")});
    CHECK(twice.code == 1);
    CHECK(twice.err.find("already has a member of staff \"ana\"") != std::string::npos);
    auto store = h.run({"staff", "add", "--store", "S9", "--id", "eva", "--name", "Eva", "--role",
                        "associate", "--pin-file", h.pin_file("1234")});
    CHECK(store.code == 1);
    CHECK(store.err.find("S9") != std::string::npos);
    auto nobody = h.run({"staff", "disable", "--store", "S1", "--id", "zoe"});
    CHECK(nobody.code == 1);
    CHECK(nobody.err.find("no member of staff \"zoe\"") != std::string::npos);
    auto listed = h.run({"staff", "list", "--json"});
    CHECK(nlohmann::json::parse(listed.out).size() == 2);
  }

  SUBCASE("--help says where the PIN comes from and why not the command line") {
    auto help = kiosk_hq({"staff", "add", "--help"});
    CHECK(help.out.find("--pin-file") != std::string::npos);
    CHECK(help.out.find("`ps`") != std::string::npos);
    CHECK(help.out.find("stdin") != std::string::npos);
  }

  SUBCASE("disable and reset-pin change the record and say so") {
    auto off = h.run({"staff", "disable", "--store", "S1", "--id", "luis"});
    REQUIRE(off.code == 0);
    CHECK(off.out.find("luis is disabled at store S1") != std::string::npos);
    auto reset = h.run(
        {"staff", "reset-pin", "--store", "S1", "--id", "ana", "--pin-file", h.pin_file("7777")});
    REQUIRE_MESSAGE(reset.code == 0, reset.err);
    const auto j = nlohmann::json::parse(h.run({"staff", "list", "--json"}).out);
    CHECK(j[1]["id"] == "luis");
    CHECK(j[1]["active"] == false);
  }
}

TEST_CASE("[hq][staff] the store's terminals get a hash that verifies the PIN, then changes") {
  Hq h;
  REQUIRE(h.run({"staff", "add", "--store", "S1", "--id", "ana", "--name", "Ana", "--role",
                 "associate", "--pin-file", h.pin_file("4821")})
              .code == 0);
  REQUIRE(h.run({"staff", "add", "--store", "S2", "--id", "max", "--name", "Max", "--role",
                 "manager", "--pin-file", h.pin_file("9999")})
              .code == 0);
  auto storage = h.storage();
  const auto t1 = h.terminal(*storage, "S1");

  auto first = h.sync(*storage, t1, 0);
  auto staff = staff_changes(first);
  REQUIRE(staff.size() == 1);  // only this store's staff
  CHECK(staff[0].member.id == "ana");
  CHECK(staff[0].member.name == "Ana");
  CHECK(staff[0].active);
  CHECK(staff[0].pin_hash.rfind("$argon2id$", 0) == 0);
  CHECK(protocol::verify_pin(staff[0].pin_hash, "4821") == protocol::PinVerdict::match);
  CHECK(protocol::verify_pin(staff[0].pin_hash, "4822") == protocol::PinVerdict::mismatch);

  // The wire form decodes to the same record (what the kiosk reads).
  const auto decoded = protocol::decode_sync_response(protocol::encode(first));
  REQUIRE(decoded.ok());
  REQUIRE(staff_changes(decoded.value()).size() == 1);
  CHECK(staff_changes(decoded.value())[0] == staff[0]);

  h.now += 60'000;
  REQUIRE(h.run({"staff", "reset-pin", "--store", "S1", "--id", "ana", "--pin-file",
                 h.pin_file("1357")})
              .code == 0);
  REQUIRE(h.run({"staff", "disable", "--store", "S1", "--id", "ana"}).code == 0);
  auto next = h.sync(*storage, t1, first.cursor);
  staff = staff_changes(next);
  REQUIRE(staff.size() == 2);
  CHECK(protocol::verify_pin(staff[0].pin_hash, "1357") == protocol::PinVerdict::match);
  CHECK(protocol::verify_pin(staff[0].pin_hash, "4821") == protocol::PinVerdict::mismatch);
  CHECK(staff[0].pin_set_at_ms > staff_changes(first)[0].pin_set_at_ms);
  CHECK_FALSE(staff[1].active);
  CHECK(h.sync(*storage, t1, next.cursor).changes.empty());
}

TEST_CASE("[hq][staff] a lockout event is kept once, a bad one is rejected alone") {
  Hq h;
  auto storage = h.storage();
  const auto t1 = h.terminal(*storage, "S1");
  const auto lockout = lockout_event("ana");
  auto bad = lockout_event("ana");
  bad.body = R"({"staff_id":"ana","failed_attempts":0,"lockout_number":1,"locked_for_ms":30000,)"
             R"("locked_at_ms":1732320000000})";
  CHECK(protocol::check_event(bad).value_or("").find("failed_attempts") != std::string::npos);

  auto r = h.sync(*storage, t1, 0, {lockout});
  CHECK(r.acked == std::vector<std::string>{lockout.id});
  r = h.sync(*storage, t1, 0, {lockout});  // the terminal did not hear the answer: again
  CHECK(r.acked == std::vector<std::string>{lockout.id});

  auto list = storage->staff_lockouts(std::nullopt);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list.value()[0].store_id == "S1");
  CHECK(list.value()[0].terminal_id == t1.terminal_id);
  CHECK(list.value()[0].lockout.staff_id == "ana");
  CHECK(list.value()[0].lockout.failed_attempts == 3);
  CHECK(list.value()[0].lockout.locked_for_ms == 30'000);

  auto shown = h.run({"staff", "lockouts", "--json"});
  REQUIRE(shown.code == 0);
  CHECK(nlohmann::json::parse(shown.out).size() == 1);
  CHECK(h.run({"staff", "lockouts"}).out.find("staff=ana  3 wrong PINs, locked 30 s") !=
        std::string::npos);
}

TEST_CASE("[hq][staff] an escalation keeps who raised it") {
  Hq h;
  auto storage = h.storage();
  const auto t1 = h.terminal(*storage, "S1");
  REQUIRE(storage->upsert_mentions("S1", {{"m1", "", "google", "a", "text", "", kT0}}, h.now).ok());
  auto e = escalation_event("m1");
  e.escalation.staff_id = "ana";
  CHECK_FALSE(protocol::check_event(e));
  auto r = h.sync(*storage, t1, 0, {e});
  REQUIRE(r.acked.size() == 1);
  auto list = storage->list_escalations(std::string("S1"));
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list.value()[0].escalation.staff_id == "ana");
  // And it travels back down with it.
  bool seen = false;
  for (const auto& c : r.changes)
    if (c.escalation) seen = c.escalation->staff_id == "ana";
  CHECK(seen);
  // An id no terminal could have made is refused.
  auto odd = escalation_event("m1");
  odd.escalation.staff_id = "ana lopez";
  CHECK(protocol::check_event(odd).value_or("").find("staff id") != std::string::npos);
}
