// Encode/decode of the sync messages: round trips, and clear errors for bad payloads.
#include <doctest/doctest.h>

#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"

using namespace kiosk::sync::protocol;
namespace protocol = kiosk::sync::protocol;
using kiosk::core::Escalation;

namespace {
Escalation sample_escalation() {
  Escalation e;
  e.id = "0b7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c10";
  e.mention_id = "demo:1";
  e.severity = kiosk::core::Severity::high;
  e.note = "Manager on the floor \xE2\x80\x94 queue cleared";
  e.created_at_ms = 1'700'000'000'000;
  e.status_changed_at_ms = 1'700'000'000'000;
  return e;
}
}  // namespace

TEST_CASE("[protocol] a sync request survives a round trip") {
  SyncRequest req;
  req.cursor = 42;
  req.events.push_back({"9d7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c11", "escalation.created",
                        "1700000000000-0001", sample_escalation(), ""});
  auto back = decode_sync_request(encode(req));
  REQUIRE_MESSAGE(back.ok(), back.error());
  CHECK(back->cursor == 42);
  REQUIRE(back->events.size() == 1);
  CHECK(back->events[0].escalation.note == sample_escalation().note);
  CHECK(back->events[0].escalation.severity == kiosk::core::Severity::high);
}

TEST_CASE("[protocol] a sync response with mentions and escalations survives a round trip") {
  SyncResponse resp;
  resp.acked = {"9d7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c11"};
  resp.cursor = 7;
  resp.more = true;
  Change m{
      6,
      "mention",
      kiosk::core::Mention{"demo:1", "s1", "google", "Ana", "Long line \xF0\x9F\x98\xA4", "", 5},
      {}};
  auto esc = sample_escalation();
  esc.status = kiosk::core::EscalationStatus::acknowledged;
  esc.acknowledged_by = "HQ ops";
  Change e{7, "escalation", {}, esc};
  resp.changes = {m, e};
  auto back = decode_sync_response(encode(resp));
  REQUIRE_MESSAGE(back.ok(), back.error());
  CHECK(back->more);
  CHECK(back->cursor == 7);
  REQUIRE(back->changes.size() == 2);
  CHECK(back->changes[0].mention->text == "Long line \xF0\x9F\x98\xA4");
  CHECK(back->changes[1].escalation->status == kiosk::core::EscalationStatus::acknowledged);
  CHECK(back->changes[1].escalation->acknowledged_by == "HQ ops");
}

TEST_CASE("[protocol] malformed payloads are refused with a sentence naming the problem") {
  SUBCASE("not JSON") {
    auto r = decode_sync_request("{\"protocol\": 1, ");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("not valid JSON") != std::string::npos);
  }
  SUBCASE("broken UTF-8 inside a string") {
    auto r = decode_enroll_request("{\"code\": \"AB\xFF\xFE\"}");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("UTF-8") != std::string::npos);
  }
  SUBCASE("a field of the wrong type") {
    auto r = decode_sync_request(R"({"protocol":1,"cursor":"7","events":[]})");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("\"cursor\" must be a whole number") != std::string::npos);
  }
  SUBCASE("an event whose id is not a UUID") {
    auto r = decode_sync_request(
        R"({"protocol":1,"cursor":0,"events":[{"id":"x","kind":"escalation.created","hlc":"1-0","escalation":{}}]})");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("UUID") != std::string::npos);
  }
  SUBCASE("a future protocol version") {
    auto r = decode_sync_request(R"({"protocol":9,"cursor":0,"events":[]})");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("protocol 9") != std::string::npos);
  }
  SUBCASE("an unknown severity") {
    auto esc = sample_escalation();
    SyncRequest req;
    req.events.push_back(
        {"9d7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c11", "escalation.created", "1-0", esc, ""});
    std::string body = encode(req);
    body.replace(body.find("\"high\""), 6, "\"meh\"");
    // The event is set aside alone, by its id, with the reason; the request still decodes.
    auto r = decode_sync_request(body);
    REQUIRE(r.ok());
    CHECK(r->events.empty());
    REQUIRE(r->unreadable.size() == 1);
    CHECK(r->unreadable[0].id == "9d7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c11");
    CHECK(r->unreadable[0].reason.find("severity") != std::string::npos);
  }
  SUBCASE("a protocol number past the int range does not wrap to a known version") {
    auto r = decode_sync_request(R"({"protocol":4294967297,"cursor":0,"events":[]})");
    CHECK_FALSE(r.ok());
    CHECK(r.error().find("4294967297") != std::string::npos);
  }
}

TEST_CASE("[protocol] error bodies and demo mention files decode") {
  auto e = decode_error(encode(ErrorBody{"unauthorized", "Re-enroll this terminal."}));
  REQUIRE(e.ok());
  CHECK(e->message == "Re-enroll this terminal.");
  auto ms = decode_mentions(
      R"({"mentions":[{"id":"d1","source":"google","author":"A","text":"Great staff","minutes_ago":10}]})",
      1'000'000'000);
  REQUIRE_MESSAGE(ms.ok(), ms.error());
  CHECK(ms->at(0).created_at_ms == 1'000'000'000 - 600'000);
}

TEST_CASE("[protocol] a stored changefeed entity decodes back to the same change") {
  auto esc = sample_escalation();
  auto c = decode_change(9, "escalation", encode_entity(esc));
  REQUIRE_MESSAGE(c.ok(), c.error());
  CHECK(c->seq == 9);
  CHECK(c->escalation->id == esc.id);
  CHECK_FALSE(decode_change(9, "coupon", "{}").ok());
  CHECK_FALSE(decode_change(9, "mention", "{\"id\":").ok());
}

TEST_CASE(
    "[protocol] a change sent as its stored JSON reads byte for byte as the same change "
    "encoded") {
  // Head office answers with each change's stored JSON spliced in as it is; a kiosk must get
  // exactly what it got when head office decoded each change and encoded it again.
  const kiosk::core::Mention mention{
      "demo:1", "s1", "google", "Ana \"the regular\"", "Line \xF0\x9F\x98\xA4 <3", "", 5};
  auto esc = sample_escalation();
  esc.status = kiosk::core::EscalationStatus::acknowledged;
  esc.acknowledged_by = "HQ ops";
  StaffRecord staff;
  staff.member = {"ana", "Ana", kiosk::core::StaffRole::manager, "es"};
  staff.pin_hash = "argon2id$...";
  const StorePolicyChange policy{"ack within 10m\n", 42};
  const std::string pack =
      body_of(TrainingPackChange{"frontline-basics", 2, 99, {{"a.en.lesson", "id: a\n"}}});

  SyncResponse typed, stored;
  for (SyncResponse* r : {&typed, &stored}) {
    r->acked = {"9d7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c11"};
    r->rejected = {{"e2", "too long"}};
    r->cursor = 14;
    r->more = true;
    r->server_time_ms = 1'700'000'000'123;
    r->new_token = "tok";
    r->token_expires_at_ms = 5;
    r->features = {kFeatureGzipRequests, kFeatureWait};
  }
  typed.changes = {Change{10, "mention", mention, {}}, Change{11, "escalation", {}, esc},
                   Change{12, "staff", {}, {}, staff}, Change{13, "policy", {}, {}, {}, {}, policy},
                   Change{14, "training_pack", {}, {}, {}, pack}};
  const auto stored_as = [](std::int64_t seq, const char* kind, std::string json) {
    Change c;
    c.seq = seq;
    c.kind = kind;
    c.stored = std::move(json);
    return c;
  };
  stored.changes = {
      stored_as(10, "mention", encode_entity(mention)),
      stored_as(11, "escalation", encode_entity(esc)), stored_as(12, "staff", encode_entity(staff)),
      stored_as(13, "policy", encode_entity(policy)), stored_as(14, "training_pack", pack)};
  const std::string wire = encode(stored);
  CHECK(wire == encode(typed));
  auto back = decode_sync_response(wire);
  REQUIRE_MESSAGE(back.ok(), back.error());
  REQUIRE(back->changes.size() == 5);
  CHECK(back->changes[0].mention->author == "Ana \"the regular\"");
  CHECK(back->changes[1].escalation->acknowledged_by == "HQ ops");
  CHECK(back->changes[2].staff == staff);
  CHECK(back->changes[3].policy->text == policy.text);
  CHECK(back->changes[4].body == pack);
  CHECK(back->new_token == "tok");

  SUBCASE("an answer with no changes and none of the optional fields") {
    SyncResponse empty;
    CHECK(encode(empty) ==
          R"({"acked":[],"changes":[],"cursor":0,"more":false,"rejected":[],"server_time_ms":0})");
  }
}

TEST_CASE("[protocol] a protocol number outside int range is refused, not wrapped") {
  auto wrapped = decode_sync_request(R"({"protocol":4294967297,"cursor":0,"events":[]})");
  REQUIRE_FALSE(wrapped.ok());
  CHECK(wrapped.error().find("4294967297") != std::string::npos);
  auto negative = decode_sync_request(R"({"protocol":-4294967295,"cursor":0,"events":[]})");
  REQUIRE_FALSE(negative.ok());
  auto newer = decode_sync_request(R"({"protocol":2,"cursor":0,"events":[]})");
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().find("upgrade") != std::string::npos);
  CHECK(newer.error().find("head office") != std::string::npos);
  auto older = decode_sync_request(R"({"protocol":0,"cursor":0,"events":[]})");
  REQUIRE_FALSE(older.ok());
  CHECK(older.error().find("kiosk") != std::string::npos);
}

TEST_CASE("[protocol] category and ladder place travel as optional fields an older side ignores") {
  Escalation e = sample_escalation();
  const std::string plain = encode_entity(e);
  CHECK(plain.find("category") == std::string::npos);  // absent unless set: old bytes
  CHECK(plain.find("ladder_level") == std::string::npos);

  e.category = kiosk::core::Category::wait_time;
  e.ladder_level = 1;
  e.ladder_holder = "District manager";
  auto back = decode_change(1, "escalation", encode_entity(e));
  REQUIRE_MESSAGE(back.ok(), back.error());
  REQUIRE(back->escalation);
  CHECK(back->escalation->category == kiosk::core::Category::wait_time);
  CHECK(back->escalation->ladder_level == 1);
  CHECK(back->escalation->ladder_holder == "District manager");

  std::string unknown = encode_entity(e);
  unknown.replace(unknown.find("wait_time"), 9, "vibes");
  auto bad = decode_change(1, "escalation", unknown);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("escalation \"category\" \"vibes\" is unknown; use wait_time") !=
        std::string::npos);
}

TEST_CASE("[protocol] wait_ms and features: sent only when used, read when present") {
  namespace p = kiosk::sync::protocol;
  p::SyncRequest plain;
  CHECK(p::encode(plain).find("wait_ms") == std::string::npos);  // as older kiosks send it
  p::SyncRequest waiting;
  waiting.wait_ms = 25000;
  auto back = p::decode_sync_request(p::encode(waiting));
  REQUIRE(back.ok());
  CHECK(back->wait_ms == 25000);
  CHECK_FALSE(p::decode_sync_request(R"({"protocol":1,"cursor":0,"events":[],"wait_ms":-1})").ok());
  CHECK_FALSE(
      p::decode_sync_request(R"({"protocol":1,"cursor":0,"events":[],"wait_ms":3600000})").ok());

  // An older HQ's answer has no features: the kiosk then neither compresses nor waits.
  auto old = p::decode_sync_response(R"({"acked":[],"cursor":3,"changes":[],"more":false})");
  REQUIRE(old.ok());
  CHECK(old->features.empty());
  p::SyncResponse now;
  now.features = {p::kFeatureGzipRequests, p::kFeatureWait};
  auto read = p::decode_sync_response(p::encode(now));
  REQUIRE(read.ok());
  CHECK(read->features == now.features);
}

TEST_CASE("[protocol] max_changes: sent only when asked, capped by head office, never negative") {
  namespace p = kiosk::sync::protocol;
  p::SyncRequest plain;
  CHECK(p::encode(plain).find("max_changes") == std::string::npos);  // as older kiosks send it
  CHECK(p::page_limit(plain) == p::PageLimit{500, 1024 * 1024});

  p::SyncRequest large;
  large.max_changes = 5000;
  auto back = p::decode_sync_request(p::encode(large));
  REQUIRE(back.ok());
  CHECK(back->max_changes == 5000);
  CHECK(p::page_limit(*back) == p::PageLimit{5000, 2 * 1024 * 1024});

  // A newer kiosk may wish for more than this head office sends: it gets the cap, no error.
  auto greedy =
      p::decode_sync_request(R"({"protocol":1,"cursor":0,"events":[],"max_changes":1000000})");
  REQUIRE(greedy.ok());
  CHECK(p::page_limit(*greedy).changes == 5000);
  large.max_changes = 50;
  CHECK(p::page_limit(large).changes == 50);

  auto negative =
      p::decode_sync_request(R"({"protocol":1,"cursor":0,"events":[],"max_changes":-5})");
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.error().find("\"max_changes\" must not be negative") != std::string::npos);
}

TEST_CASE(
    "[protocol][training] change kinds after version 1: a body under the kind's name, "
    "read by the kinds a terminal knows and skipped by one that does not") {
  const protocol::TrainingPackChange pack{
      "frontline-basics", 3, 1'780'000'000'000, {{"a.en.lesson", "id: a\n"}}};
  const protocol::ReplyOutcome outcome{"5b0f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f",
                                       "google:1",
                                       "edited",
                                       "Sam, ask for Dana.",
                                       "Shorter",
                                       "Care team",
                                       1'780'000'000'000};
  protocol::SyncResponse r;
  r.cursor = 3;
  r.changes = {{1, "training_pack", {}, {}, {}, protocol::body_of(pack)},
               {2, "reply_outcome", {}, {}, {}, protocol::body_of(outcome)},
               {3, "something_newer", {}, {}, {}, "{\"x\":1}"}};
  const std::string wire = protocol::encode(r);
  CHECK(wire.find("\"training_pack\":{\"files\"") != std::string::npos);
  auto back = protocol::decode_sync_response(wire);
  REQUIRE_MESSAGE(back.ok(), back.error());
  REQUIRE(back->changes.size() == 3);
  auto p = protocol::read_training_pack_change(back->changes[0].body);
  REQUIRE_MESSAGE(p.ok(), p.error());
  CHECK(p->version == 3);
  CHECK(p->files.at(0).text == "id: a\n");
  auto o = protocol::read_reply_outcome(back->changes[1].body);
  REQUIRE(o.ok());
  CHECK(o->text == "Sam, ask for Dana.");
  CHECK(back->changes[2].kind == "something_newer");  // kept, so its seq counts

  // A stored change of a new kind decodes back to the same body.
  auto stored = protocol::decode_change(7, "training_pack", protocol::body_of(pack));
  REQUIRE(stored.ok());
  CHECK(stored->body == protocol::body_of(pack));

  CHECK_FALSE(protocol::read_reply_outcome(R"({"suggestion_id":"x","mention_id":"m",
      "outcome":"maybe","decided_at_ms":1780000000000})")
                  .ok());
  CHECK_FALSE(protocol::read_training_pack_change(R"({"pack":"p","version":0,
      "published_at_ms":1780000000000,"files":[]})")
                  .ok());
}

TEST_CASE("[protocol][replies] the reply.suggested contract") {
  protocol::ReplySuggested v{"5b0f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f", "google:1",
                             "Sam, sorry about the wait.", "ana", 1'780'000'000'000};
  CHECK_FALSE(protocol::check_body("reply.suggested", protocol::body_of(v)));
  auto read = protocol::read_reply_suggested(protocol::body_of(v));
  REQUIRE(read.ok());
  CHECK(read->text == v.text);
  v.text = std::string(1001, 'x');
  auto too_long = protocol::check_body("reply.suggested", protocol::body_of(v));
  REQUIRE(too_long);
  CHECK(too_long->find("longer than 1,000 characters") != std::string::npos);
  v.text = "ok";
  v.suggestion_id = "not-a-uuid";
  CHECK(protocol::check_body("reply.suggested", protocol::body_of(v)));
  v.suggestion_id = "5b0f4c1e-8a8e-4b7e-9f3a-2a1d3c4b5e6f";
  v.text = "";
  CHECK(protocol::check_body("reply.suggested", protocol::body_of(v)));
}

TEST_CASE(
    "[protocol] a mention's stars, language, reach, place and reply travel; bad ones are named") {
  kiosk::core::Mention m{"google:r1", "s1",           "google",         "Dana",
                         "Rude",      "https://g/r1", 1'732'320'000'000};
  m.rating = 2;
  m.lang = "es";
  m.reach.author_followers = 5400;
  m.reach.replies = 0;
  m.location = {"Elm St", 40.5, -73.25};
  m.reply_to = "google:r0";
  m.owner_reply = "Lo sentimos";
  m.edited_at_ms = 1'732'320'000'500;
  const auto back = decode_change(3, "mention", encode_entity(m));
  REQUIRE_MESSAGE(back.ok(), back.error());
  const auto& got = *back->mention;
  CHECK(got.rating == 2);
  CHECK(got.lang == "es");
  CHECK(got.reach == m.reach);  // an unknown count stays unknown, a known 0 stays 0
  CHECK(got.location.name == "Elm St");
  CHECK(got.location.lon == doctest::Approx(-73.25));
  CHECK(got.reply_to == "google:r0");
  CHECK(got.owner_reply == "Lo sentimos");
  CHECK(got.edited_at_ms == m.edited_at_ms);

  // A mention with only the seven fields an older head office sends still reads.
  const auto plain = decode_change(
      4, "mention",
      R"({"id":"x:1","source":"x","text":"hi","created_at_ms":1,"store_id":"s1","author":"","url":""})");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->mention->rating.has_value());

  const auto bad = decode_change(
      5, "mention", R"({"id":"x:2","source":"x","text":"hi","created_at_ms":1,"rating":9})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("rating") != std::string::npos);
  const auto half = decode_change(
      6, "mention",
      R"({"id":"x:3","source":"x","text":"hi","created_at_ms":1,"location":{"lat":1.0}})");
  REQUIRE_FALSE(half.ok());
  CHECK(half.error().find("lon") != std::string::npos);
}

TEST_CASE("[contract] an escalation names a mention or a category; actions are checked alone") {
  using namespace kiosk::sync::protocol;
  kiosk::core::Escalation e;
  e.id = "0b7c6a52-1c1e-4d2b-9a57-3f1f2d8e9c10";
  e.created_at_ms = 1'795'000'000'000;
  e.status_changed_at_ms = e.created_at_ms;
  const auto none = check_new_escalation(e);
  REQUIRE(none);
  CHECK(none->find("no mention and no category") != std::string::npos);
  e.category = kiosk::core::Category::safety;
  CHECK_FALSE(check_new_escalation(e));  // an issue with no post, with its category

  EscalationActed acted;
  acted.escalation_id = e.id;
  acted.action.kind = kiosk::core::EscalationActionKind::note;
  acted.action.at_ms = e.created_at_ms;
  acted.action.by = "ana";
  acted.action.text = "Customer called back";
  CHECK_FALSE(check_body("escalation.noted", body_of(acted)));
  const auto read = read_escalation_acted("escalation.noted", body_of(acted));
  REQUIRE(read);
  CHECK(read->action.text == "Customer called back");
  CHECK(read->action.by == "ana");
  acted.action.text = std::string(4001, 'x');
  const auto too_long = check_body("escalation.noted", body_of(acted));
  REQUIRE(too_long);
  CHECK(too_long->find("4,001 of 4,000 characters") != std::string::npos);
  acted.action.text.clear();
  CHECK(check_body("escalation.noted", body_of(acted)));  // a note needs its text
  acted.action.kind = kiosk::core::EscalationActionKind::reopen;
  CHECK(check_body("escalation.reopened", body_of(acted)));  // generation 0 cannot be a reopening
  acted.action.generation = 1;
  CHECK_FALSE(check_body("escalation.reopened", body_of(acted)));
}
