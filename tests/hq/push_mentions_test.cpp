// POST /v1/mentions over real HTTP on loopback: a listening tool pushes mentions with its own
// API key; each item is checked alone, matched to a store or queued as unmatched.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "sync/client/http_client.h"
#include "sync/hq/http/hq_server.h"
#include "tests/hq/hq_test_support.h"

using namespace kiosk::sync;
using kiosk::sync::client::http_post;
using json = nlohmann::json;

namespace {

constexpr const char* kKey = "listening-tool-key-0123456789abcdef";

struct PushRig {
  hq::test::TempDir dir;
  std::unique_ptr<hq::RunningServer> server;
  PushRig(std::string key = kKey) {
    hq::ServerOptions o;
    o.db_path = hq::test::test_database(dir);
    o.secret_file = hq::test::test_secret(dir);
    o.ingest_key = std::move(key);
    auto started = hq::start_server(o);
    REQUIRE_MESSAGE(started, started.error());
    server = std::move(started.value());
    auto& db = server->storage();
    REQUIRE(db.add_store({"downtown", "Downtown"}));
    REQUIRE(db.add_store({"uptown", "Uptown"}));
    REQUIRE(
        db.set_store_profile("downtown", R"({"city": "Springfield", "nicknames": ["Elm St"]})", 0));
    REQUIRE(
        db.set_store_profile("uptown", R"({"city": "Springfield", "nicknames": ["Oak Ave"]})", 0));
  }
  client::HttpResponse push(const std::string& body, const std::string& key = kKey) {
    return http_post({.url = server->url() + "/v1/mentions", .body = body, .bearer_token = key});
  }
};

json item(const std::string& id, const std::string& text) {
  return {{"id", id},
          {"source", "brandwatch"},
          {"author", "someone"},
          {"text", text},
          {"created_at", "2026-11-22T10:00:00Z"},
          {"url", "https://listening.example/" + id}};
}

}  // namespace

TEST_CASE("webhook: good mentions are matched, stored and reach the store's feed [webhook]") {
  PushRig rig;
  json body{{"mentions",
             {item("lt:1", "Forty minutes at the Elm St tills, STILL waiting"),
              item("lt:2", "Frontline in Springfield is out of milk again"),
              item("lt:3", "Quick thanks to the Oak Ave staff")}}};
  body["mentions"][2]["rating"] = 5;
  const auto r = rig.push(body.dump());
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto j = json::parse(r.body);
  CHECK(j["added"] == 2);
  CHECK(j["unmatched"] == 1);
  CHECK(j["results"][0]["store_id"] == "downtown");
  CHECK(j["results"][1]["result"] == "unmatched");
  CHECK(j["results"][1]["reason"].get<std::string>().find("no street") != std::string::npos);
  CHECK(j["results"][2]["store_id"] == "uptown");
  auto queued = rig.server->storage().unmatched_mentions();
  REQUIRE(queued);
  REQUIRE(queued->size() == 1);
  CHECK(queued->at(0).mention_id == "lt:2");
  CHECK(queued->at(0).candidates == "downtown,uptown");
  // The same post pushed again is one mention.
  const auto again = json::parse(rig.push(body.dump()).body);
  CHECK(again["added"] == 0);
  CHECK(again["unchanged"] == 2);
  CHECK(again["unmatched"] == 1);  // still waiting, not queued twice
  CHECK(rig.server->storage().unmatched_mentions()->size() == 1);
}

TEST_CASE("webhook: a wrong key, a terminal token or no key configured are refused [webhook]") {
  PushRig rig;
  const std::string body = json{{"mentions", {item("lt:1", "Elm St queue")}}}.dump();
  auto r = rig.push(body, "wrong-key-wrong-key-wrong-key");
  CHECK(r.status == 401);
  CHECK(r.body.find("ingest API key") != std::string::npos);
  CHECK(rig.push(body, "").status == 401);
  PushRig closed("");
  r = closed.push(body);
  CHECK(r.status == 403);
  CHECK(r.body.find("--ingest-key-file") != std::string::npos);
  CHECK(rig.server->storage().unmatched_mentions()->empty());
}

TEST_CASE("webhook: oversized bodies and invalid UTF-8 are refused whole [webhook]") {
  PushRig rig;
  std::string big = json{{"mentions", {item("lt:big", std::string(600 * 1024, 'a'))}}}.dump();
  auto r = rig.push(big);
  CHECK(r.status == 413);
  CHECK(r.body.find("smaller batches") != std::string::npos);
  std::string bad = json{{"mentions", {item("lt:utf", "Elm St queue")}}}.dump();
  bad.replace(bad.find("queue"), 1, "\xC3\x28");
  r = rig.push(bad);
  CHECK(r.status == 400);
  CHECK(r.body.find("UTF-8") != std::string::npos);
  CHECK(rig.push("{\"mentions\": [").status == 400);
  auto counts = rig.server->storage().unmatched_mentions();
  CHECK(counts->empty());
}

TEST_CASE("webhook: a mix of good and bad items keeps the good ones [webhook]") {
  PushRig rig;
  json bad_date = item("lt:b1", "Elm St is out of bread");
  bad_date["created_at"] = "yesterday";
  json bad_rating = item("lt:b2", "Elm St is fine");
  bad_rating["rating"] = 9;
  json no_text = item("lt:b3", "");
  json body{{"mentions",
             {item("lt:g1", "Spill in aisle 3 at Elm St"), bad_date, 42, bad_rating, no_text,
              item("lt:g2", "<p>The Oak Ave deli &amp; bakery were great</p>")}}};
  const auto r = rig.push(body.dump());
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto j = json::parse(r.body);
  CHECK(j["added"] == 2);
  CHECK(j["rejected"] == 4);
  const auto& res = j["results"];
  REQUIRE(res.size() == 6);
  CHECK(res[0]["result"] == "added");
  CHECK(res[1]["result"] == "rejected");
  CHECK(res[1]["id"] == "lt:b1");
  CHECK(res[1]["reason"].get<std::string>().find("created_at") != std::string::npos);
  CHECK(res[2]["reason"] == "it is not a JSON object");
  CHECK(res[3]["reason"].get<std::string>().find("1 to 5") != std::string::npos);
  CHECK(res[4]["reason"].get<std::string>().find("\"text\"") != std::string::npos);
  CHECK(res[5]["store_id"] == "uptown");
  // Every good item found its store: nothing waits in the unmatched queue.
  auto listed =
      hq::test::kiosk_hq({"mentions", "unmatched", "--db", hq::test::test_database(rig.dir),
                          "--secret-file", hq::test::test_secret(rig.dir)});
  CHECK(listed.out == "no unmatched mentions\n");
}
