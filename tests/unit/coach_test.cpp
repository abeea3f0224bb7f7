// The reply coach: canned replies are flagged, specific ones pass, copies of earlier replies
// are caught, and the hints say what is missing without writing the reply.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "kiosk/core/reply_coach.h"
#include "tests/support/process.h"

using namespace kiosk::core;

namespace {

bool has_hint(const CoachReport& r, HintKind k) {
  for (const auto& h : r.hints)
    if (h.kind == k) return true;
  return false;
}

const char* kWaitMention =
    "Waited 25 minutes at the checkout in Downtown today, only one till open on a Saturday.";

}  // namespace

TEST_CASE("[coach] canned replies are flagged, with the phrase quoted back") {
  const EarlierReplies none;
  for (const char* draft :
       {"We're sorry for any inconvenience. We value your feedback!",
        "Sorry to hear this. Please DM us so we can look into it.",
        "Thank you for reaching out! We apologise for any inconvenience caused.",
        "Lamentamos las molestias ocasionadas. Valoramos su opinión.",
        "Disculpe las molestias, escríbanos por mensaje privado."}) {
    CAPTURE(draft);
    const auto r = coach_reply(draft, kWaitMention, none);
    CHECK(r.generic);
    CHECK(r.score < 50);
    CHECK_FALSE(r.generic_phrases.empty());
    CHECK(has_hint(r, HintKind::generic_phrase));
    CHECK(r.hints.size() >= 2);
    CHECK(r.hints.size() <= 3);
  }
  const auto es = coach_reply("Disculpe las molestias.", "", none);
  CHECK(es.language == "es");
  CHECK(es.hints.front().text == "Quita \"Disculpe las molestias\": suena a plantilla.");
}

TEST_CASE("[coach] a specific, personal reply with a next step passes") {
  const EarlierReplies none;
  const auto r = coach_reply(
      "You're right, 25 minutes with one till open on a Saturday is too long. I've asked for a "
      "second till every Saturday from 11 to 3 starting this weekend. Dana, store manager",
      kWaitMention, none);
  CHECK_FALSE(r.generic);
  CHECK(r.names_issue);
  CHECK(r.names_person);
  CHECK(r.next_step);
  CHECK(r.score >= 80);
  REQUIRE(r.hints.size() == 2);
  CHECK(r.hints[0].kind == HintKind::looks_good);
  CHECK(r.hints[1].text == "Good: it names their issue, a person and a next step.");
}

TEST_CASE("[coach] hints say what is missing, in the draft's language, and never the reply") {
  const EarlierReplies none;
  const auto r = coach_reply("Thanks for telling us, we're on it.", kWaitMention, none);
  CHECK(r.language == "en");
  CHECK(has_hint(r, HintKind::name_the_issue));
  CHECK(has_hint(r, HintKind::next_step));
  CHECK(r.hints.size() <= 3);
  for (const auto& h : r.hints) CHECK(h.text.size() < 100);
  const auto es = coach_reply("Gracias por avisarnos.",
                              "Esperé media hora en la caja y solo había una abierta.", none);
  CHECK(es.language == "es");
  CHECK(has_hint(es, HintKind::name_the_issue));
  CHECK(es.hints.front().text == "Nombra lo que le pasó con tus palabras (Esperé, media, hora).");

  // Praise: the person named is what matters.
  const auto praise =
      coach_reply("Thank you!", "Shoutout to Carlos at the bakery, he made my day", none);
  CHECK(praise.generic);
  const auto thanked = coach_reply(
      "This made our day too! I've shown your post to Carlos at the bakery counter. Ana, shift "
      "lead",
      "Shoutout to Carlos at the bakery, he made my day", none);
  CHECK_FALSE(thanked.generic);
  CHECK(thanked.names_person);
}

TEST_CASE("[coach] a near-copy of an earlier reply is caught even when it sounds specific") {
  EarlierReplies earlier;
  earlier.add(
      "Hi Maria, thanks for telling us about the wait at the pharmacy counter on Saturday. I've "
      "spoken to the shift lead and from Monday we open a second till at lunchtime. Jorge");
  earlier.add("Something else entirely about trolleys and the car park lights.");
  const std::string copy =
      "Hi Maria, thanks for telling us about the wait at the deli counter on Saturday. I've "
      "spoken to the shift lead and from Monday we open a second till at lunchtime. Jorge";
  const auto m = earlier.closest(copy);
  CHECK(m.index == 0);
  CHECK(m.jaccard > 0.6);
  const auto r = coach_reply(copy, kWaitMention, earlier);
  CHECK(r.near_duplicate);
  CHECK(r.generic);
  CHECK(r.hints.front().kind == HintKind::near_duplicate);
  // The same draft is fine when nobody posted it before.
  CHECK_FALSE(coach_reply(copy, kWaitMention, EarlierReplies{}).near_duplicate);
  // A two-word reply is not a copy of another two-word reply.
  EarlierReplies thanks;
  thanks.add("Thank you!");
  CHECK_FALSE(coach_reply("Thank you!", "", thanks).near_duplicate);
}

TEST_CASE("[coach] empty, accented and broken input never crash") {
  const EarlierReplies none;
  CHECK(coach_reply("", "", none).generic);
  CHECK(coach_reply("   ", "x", none).score == 0);
  const auto r = coach_reply("\xC3\x28 \xF0\x9F\x98\x80 ÁÉÍÓÚ ñ", "\xFF", none);
  CHECK(r.score >= 0);
  CHECK(r.score <= 100);
}

TEST_CASE("[coach] the labelled drafts: the generic flag agrees with the labels") {
  EarlierReplies earlier;
  std::ifstream e(kiosk::testing::source_dir() + "/tests/data/coach_earlier_replies.txt");
  std::string line;
  while (std::getline(e, line))
    if (!line.empty() && line[0] != '#') earlier.add(line);
  int total = 0, agree = 0, generic = 0;
  for (const char* file : {"coach_drafts.jsonl", "coach_drafts_holdout.jsonl"}) {
    std::ifstream in(kiosk::testing::source_dir() + "/tests/data/" + file);
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      const bool labelled_generic = j.at("label") == "generic";
      const auto r = coach_reply(j.at("draft").get<std::string>(),
                                 j.at("mention").get<std::string>(), earlier);
      ++total;
      generic += labelled_generic ? 1 : 0;
      if (r.generic == labelled_generic)
        ++agree;
      else
        MESSAGE("disagrees with label " << j.at("label") << ": " << j.at("draft"));
    }
  }
  CHECK(total >= 60);
  CHECK(generic >= 25);
  CHECK(total - generic >= 25);
  CHECK(agree * 10 >= total * 9);  // bench/coach_eval prints precision and recall
}
