// Staff end to end with the real programs: kiosk-hq on loopback adds staff (the PIN on stdin
// or in a file), the kiosk gets them by sync and checks PINs offline with head office down;
// a disabled person cannot tap in after the next sync; a lockout reaches head office once;
// a new PIN ends the lockout; an escalation carries who raised it.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;

namespace {

RunResult hq_cli(HqFixture& hq, std::vector<std::string> args, const std::string& input) {
  args.insert(args.begin(), HqFixture::binary());
  args.insert(args.end(), {"--db", hq.db(), "--secret-file", hq.secret()});
  return kiosk::testing::run_with_input(args, input);
}

nlohmann::json staff_on_kiosk(const std::string& db) {
  const auto r = kiosk_cli(db, {"staff", "list", "--json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("[staff][e2e] staff from head office tap in offline; disable, lockout and reset") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();

  // The PIN on stdin (as a script pipes it), and from a file.
  auto ana = hq_cli(hq,
                    {"staff", "add", "--store", "s1", "--id", "ana", "--name", "Ana Lopez",
                     "--role", "associate", "--language", "es"},
                    "4821\n");
  REQUIRE_MESSAGE(ana.exit_code == 0, ana.err);
  const std::string pin_file = dir.file("max.pin");
  std::ofstream(pin_file) << "90210\n";
  hq.admin({"staff", "add", "--store", "s1", "--id", "max", "--name", "Max Weber", "--role",
            "manager", "--pin-file", pin_file});
  std::ofstream(dir.file("other.pin")) << "1111\n";
  hq.admin({"staff", "add", "--store", "s2", "--id", "zoe", "--name", "Zoe", "--role", "manager",
            "--pin-file", dir.file("other.pin")});

  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  auto staff = staff_on_kiosk(db);
  REQUIRE(staff.size() == 2);  // this store's only, by name
  CHECK(staff[0]["id"] == "ana");
  CHECK(staff[0]["role"] == "associate");
  CHECK(staff[0]["language"] == "es");
  CHECK(staff[1]["id"] == "max");
  CHECK(staff[1]["role"] == "manager");

  // Head office goes away: PINs still work, offline.
  hq.kill();
  auto right = kiosk_cli(db, {"staff", "verify", "--id", "ana"}, "4821\n");
  CHECK_MESSAGE(right.exit_code == 0, right.err);
  CHECK(contains(right.out, "Ana Lopez is tapped in."));
  auto wrong = kiosk_cli(db, {"staff", "verify", "--id", "ana"}, "4822\n");
  CHECK(wrong.exit_code == 3);
  CHECK(contains(wrong.err, "Wrong PIN, 2 tries left."));
  auto nobody = kiosk_cli(db, {"staff", "verify", "--id", "zoe"}, "1111\n");
  CHECK(nobody.exit_code == 1);  // another store's staff never reach this terminal
  CHECK(contains(nobody.err, "no member of staff \"zoe\""));

  // Three wrong PINs lock Max out; even his right PIN is refused meanwhile.
  for (int i = 0; i < 2; ++i)
    CHECK(kiosk_cli(db, {"staff", "verify", "--id", "max"}, "11111\n").exit_code == 3);
  auto third = kiosk_cli(db, {"staff", "verify", "--id", "max"}, "11111\n");
  CHECK(third.exit_code == 3);
  CHECK(contains(third.err, "Max Weber is locked out for 30 s."));
  auto locked = kiosk_cli(db, {"staff", "verify", "--id", "max"}, "90210\n");
  CHECK(locked.exit_code == 3);
  CHECK(contains(locked.err, "locked out for"));
  CHECK(staff_on_kiosk(db)[1]["locked"] == true);

  // Back online: the lockout reaches head office, once, however often the kiosk syncs.
  hq.start();
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  auto lockouts = nlohmann::json::parse(hq.admin({"staff", "lockouts", "--json"}).out);
  REQUIRE(lockouts.size() == 1);
  CHECK(lockouts[0]["staff_id"] == "max");
  CHECK(lockouts[0]["store_id"] == "s1");
  CHECK(lockouts[0]["failed_attempts"] == 3);
  CHECK(lockouts[0]["locked_for_ms"] == 30000);

  // Head office disables Ana and gives Max a new PIN: after the next sync Ana cannot tap in,
  // Max's lockout is over and only his new PIN works.
  hq.admin({"staff", "disable", "--store", "s1", "--id", "ana"});
  REQUIRE(hq_cli(hq, {"staff", "reset-pin", "--store", "s1", "--id", "max"}, "2468\n").exit_code ==
          0);
  CHECK(kiosk_cli(db, {"staff", "verify", "--id", "ana"}, "4821\n").exit_code == 0);  // not yet
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  auto disabled = kiosk_cli(db, {"staff", "verify", "--id", "ana"}, "4821\n");
  CHECK(disabled.exit_code == 1);
  CHECK(contains(disabled.err, "disabled by head office"));
  CHECK(kiosk_cli(db, {"staff", "verify", "--id", "max"}, "90210\n").exit_code == 3);
  CHECK(kiosk_cli(db, {"staff", "verify", "--id", "max"}, "2468\n").exit_code == 0);

  // An escalation carries who raised it to head office.
  auto esc = kiosk_cli(
      db, {"escalate", "--mention", "demo:downtown:1", "--severity", "high", "--staff", "max"});
  REQUIRE_MESSAGE(esc.exit_code == 0, esc.err);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  const auto escalations = hq.escalations();
  REQUIRE(escalations.size() == 1);
  CHECK(escalations[0]["staff_id"] == "max");
  CHECK(nlohmann::json::parse(hq.admin({"staff", "lockouts", "--json"}).out).size() == 1);
}
