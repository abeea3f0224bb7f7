// The Escalations tab in the real kiosk program, in a real window (Xvfb), on both backends:
// an issue with no post reported in three taps shows its clock (target and time left from
// the store's policy that came from head office), and a manager acknowledges it with head
// office unreachable: the card says so, and head office gets it once it is back.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::contains;
using kiosk::testing::kiosk_cli;
using kiosk::testing::pin_taps;
using kiosk::testing::with;

namespace {}  // namespace

TEST_CASE("[ui] report an issue in three taps, see its clock, acknowledge it offline") {
  for (const char* backend : {"sdl2", "glfw"}) {
    CAPTURE(backend);
    TempDir dir;
    HqFixture hq(dir);
    hq.load_demo_mentions();
    std::ofstream(dir.file("s1.policy")) << "severity critical\n"
                                            "  level Store manager 5m\n"
                                            "  level District manager 10m\n"
                                            "  respond_within 10m\n";
    hq.admin({"policy", "set", "--store", "s1", "--file", dir.file("s1.policy")});
    std::ofstream(dir.file("sam.pin")) << "1357\n";
    hq.admin({"staff", "add", "--store", "s1", "--id", "sam", "--name", "Sam Ortiz", "--role",
              "associate", "--pin-file", dir.file("sam.pin")});
    std::ofstream(dir.file("ana.pin")) << "4821\n";
    hq.admin({"staff", "add", "--store", "s1", "--id", "ana", "--name", "Ana Lopez", "--role",
              "manager", "--pin-file", dir.file("ana.pin")});
    hq.start();
    const std::string db = dir.file("kiosk.sqlite");
    REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

    // Three taps once tapped in: Report an issue, Safety, Send. Safety starts as critical.
    // Nobody is tapped in yet, so Report an issue asks for a PIN first and then opens.
    const std::string reported_png = dir.file("reported.png");
    auto reported = kiosk_cli(db, with(with({"--backend", backend, "--no-sync", "--print-text",
                                             "--screenshot", reported_png, "--tap", "report_issue"},
                                            pin_taps("sam", "1357")),
                                       {"--tap", "category:safety", "--tap", "send"}));
    REQUIRE_MESSAGE(reported.exit_code == 0, reported.err);
    CHECK(contains(reported.out, "Critical  ·  safety"));
    CHECK(contains(reported.out, "Reported at the counter (no post)"));
    CHECK(contains(reported.out, "Raised 0 min ago"));
    CHECK(contains(reported.out, "Target 10 min"));
    CHECK(contains(reported.out, "left"));
    CHECK(contains(reported.out, "With Store manager"));
    CHECK(std::filesystem::file_size(reported_png) > 10'000);
    const auto listed = nlohmann::json::parse(kiosk_cli(db, {"escalations", "--json"}).out);
    REQUIRE(listed.size() == 1);
    const std::string id = listed[0]["id"];
    CHECK(listed[0]["category"] == "safety");
    CHECK(listed[0]["severity"] == "critical");
    CHECK(listed[0]["staff_id"] == "sam");

    // An associate cannot acknowledge: the tap asks for a manager's PIN and saves nothing.
    auto refused = kiosk_cli(db, {"--backend", backend, "--no-sync", "--print-text", "--staff",
                                  "sam", "--tap", "tab:escalations", "--tap", "ack:" + id});
    REQUIRE_MESSAGE(refused.exit_code == 0, refused.err);
    CHECK(contains(refused.out, "Ana Lopez"));  // the pad offers the manager
    CHECK(contains(refused.out, "Tapped in: Sam Ortiz"));
    CHECK_FALSE(contains(refused.out, "Acknowledged here"));
    CHECK(nlohmann::json::parse(kiosk_cli(db, {"escalations", "--json"}).out)[0]["status"] ==
          "open");

    // Head office is gone; the manager acknowledges it on the Escalations tab.
    hq.kill();
    auto acked = kiosk_cli(
        db, with(with({"--backend", backend, "--no-sync", "--print-text", "--screenshot",
                       dir.file("acked.png"), "--tap", "tab:escalations", "--tap", "ack:" + id},
                      pin_taps("ana", "4821")),
                 {"--tap", "ack:" + id}));
    REQUIRE_MESSAGE(acked.exit_code == 0, acked.err);
    CHECK(contains(acked.out, "Acknowledged here, not yet synced"));
    CHECK_FALSE(contains(acked.out, "Acknowledged by head office"));

    // Back online: head office has the escalation and the acknowledgement, each once.
    hq.start();
    REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
    const auto at_hq = hq.escalations();
    REQUIRE(at_hq.size() == 1);
    CHECK(at_hq[0]["status"] == "acknowledged");
    CHECK(at_hq[0]["mention_id"] == "");
    CHECK(at_hq[0]["history"].size() == 1);
    CHECK(at_hq[0]["history"][0]["by"] == "ana");
    CHECK(hq.events() == 2);
    const auto after = nlohmann::json::parse(kiosk_cli(db, {"escalations", "--json"}).out);
    CHECK(after[0]["acknowledgement"] == "acknowledged_here");
  }
}
