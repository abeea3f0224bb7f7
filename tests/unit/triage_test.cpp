// Triage as a store manager reads it: what is negative, what is urgent and why, what it is
// about, who it names, and the order the feed shows it in. Real lexicons from assets/.
#include <doctest/doctest.h>

#include <algorithm>

#include "kiosk/app/cli/triage_command.h"
#include "kiosk/core/triage.h"
#include "tests/support/process.h"

using namespace kiosk::core;

namespace {

const Lexicon& lexicon() {
  static const auto lex = kiosk::app::load_lexicon(kiosk::testing::source_dir() + "/assets");
  REQUIRE_MESSAGE(lex.ok(), lex.error());
  return *lex;
}

Triage run(std::string_view text, std::optional<int> rating = std::nullopt, Reach reach = {}) {
  return triage(lexicon(), {text, rating, reach});
}

bool has_reason(const Triage& t, Reason r) {
  return std::find(t.reasons.begin(), t.reasons.end(), r) != t.reasons.end();
}

bool has_word(const Triage& t, std::string_view w) {
  return std::find(t.category_words.begin(), t.category_words.end(), w) != t.category_words.end();
}

}  // namespace

TEST_CASE("[triage] a shouting customer still waiting at the counter is urgent") {
  const auto t = run("STILL WAITING at the counter, 40 minutes!!!");
  CHECK(t.sentiment == Sentiment::negative);
  CHECK(t.urgency >= Urgency::high);
  CHECK(t.attention == Attention::needs_attention);
  CHECK(t.category == Category::wait_time);
  CHECK(has_word(t, "40 minutes"));
  CHECK(has_reason(t, Reason::shouting));
  CHECK(has_reason(t, Reason::still_in_store));
  CHECK(t.reasons.size() <= 3);
  CHECK(reason_words(Reason::still_in_store) == "still in store");
}

TEST_CASE("[triage] praise naming an associate is a thank-you with who and where") {
  const auto maria = run("Maria at the bakery was so kind");
  CHECK(maria.sentiment == Sentiment::positive);
  CHECK(maria.attention == Attention::needs_thank_you);
  CHECK(maria.category == Category::praise);
  CHECK(has_reason(maria, Reason::names_staff));
  REQUIRE(maria.staff.has_value());
  CHECK(maria.staff->who == "Maria");
  CHECK(maria.staff->where == "bakery");

  const auto guy = run("The guy in the bakery went above and beyond for my mum today");
  CHECK(guy.sentiment == Sentiment::positive);
  REQUIRE(guy.staff.has_value());
  CHECK(guy.staff->who == "the guy");
  CHECK(guy.staff->where == "bakery");

  const auto named = run("A cashier named Tom was really friendly");
  REQUIRE(named.staff.has_value());
  CHECK(named.staff->who == "Tom");

  CHECK_FALSE(run("Today at the checkout everything went fine").staff.has_value());
}

TEST_CASE("[triage] negation, contrast and sarcasm read the way people mean them") {
  CHECK(run("not bad at all").sentiment != Sentiment::negative);
  CHECK(run("The staff were not helpful").sentiment == Sentiment::negative);
  CHECK(run("The bread is great but the queue was awful").sentiment == Sentiment::negative);
  const auto sarcastic = run("Love how I'm still waiting for my refund, thanks a lot");
  CHECK(sarcastic.sentiment == Sentiment::negative);
  CHECK(has_reason(sarcastic, Reason::sarcasm));
  CHECK(run("Thanks for nothing").sentiment == Sentiment::negative);
  // Kind words last, after a "but", win; a plain account of a visit is not a complaint.
  CHECK(run("The lady at the deli was a bit slow but really friendly and helpful").sentiment ==
        Sentiment::positive);
  CHECK(run("We bought a birthday cake from your store for my daughter yesterday").sentiment ==
        Sentiment::neutral);
  // A curly apostrophe reads like a straight one.
  CHECK(run("I can\xE2\x80\x99t find anyone to help me").sentiment == Sentiment::negative);
  CHECK(run("I can\xE2\x80\x99t wait to come back").sentiment == Sentiment::positive);
}

TEST_CASE("[triage] star ratings dominate reviews") {
  const auto polite = run("The staff were lovely and it was nice to chat to them", 1);
  CHECK(polite.sentiment == Sentiment::negative);
  CHECK(has_reason(polite, Reason::low_rating));
  CHECK(polite.score < 0);
  const auto five = run("ok", 5);
  CHECK(five.sentiment == Sentiment::positive);
  CHECK(has_reason(five, Reason::high_rating));
  // Out-of-range stars are ignored: the text decides.
  CHECK(run("What time do you open on Sunday?", 9).sentiment == Sentiment::neutral);
}

TEST_CASE("[triage] polite complaints are still complaints") {
  const auto t = run("please help, waited 3 hours");
  CHECK(t.sentiment == Sentiment::negative);
  CHECK(t.category == Category::wait_time);
  CHECK(has_reason(t, Reason::asks_for_help));
  CHECK(run("No one answers the phone at the pharmacy").sentiment == Sentiment::negative);
  CHECK(run("Out of stock of oat milk again").category == Category::product_or_stock);
  CHECK(run("I was overcharged at the till").category == Category::price_or_promotion);
}

TEST_CASE("[triage] safety, a manager demand and reach raise urgency") {
  const auto glass = run("There is broken glass on the floor in aisle 5");
  CHECK(glass.category == Category::safety);
  CHECK(glass.urgency == Urgency::urgent);
  CHECK(glass.attention == Attention::needs_attention);
  CHECK(has_reason(glass, Reason::safety));

  const auto manager = run("I want to speak to a manager about this");
  CHECK(manager.sentiment == Sentiment::negative);
  CHECK(has_reason(manager, Reason::wants_manager));

  const auto quiet = run("The self checkout is broken");
  const auto viral = run("The self checkout is broken", std::nullopt, Reach{50000, 300, 80, 40});
  CHECK(has_reason(viral, Reason::wide_reach));
  CHECK_FALSE(has_reason(quiet, Reason::wide_reach));
  CHECK(viral.priority > quiet.priority);
}

TEST_CASE("[triage] the feed order: urgent complaints, complaints, praise, then the rest") {
  const auto urgent = run("STILL WAITING at the counter, 40 minutes!!!");
  const auto complaint = run("The prices went up again, ridiculous");
  const auto praise = run("Thank you for the lovely service today");
  const auto neutral = run("What time do you open on Sunday?");
  CHECK(neutral.sentiment == Sentiment::neutral);
  CHECK(neutral.attention == Attention::none);
  CHECK(urgent.priority > complaint.priority);
  CHECK(complaint.priority > praise.priority);
  CHECK(praise.priority > neutral.priority);
  CHECK(complaint.priority >= kPriorityNeedsAttention);
  CHECK(praise.priority >= kPriorityThankYou);
  CHECK(praise.priority < kPriorityNeedsAttention);
}

TEST_CASE("[triage] handles, links and emoji") {
  // "@love" is a handle, not a feeling; plain VADER reads it as one.
  CHECK(score_sentiment(lexicon(), "@love the store opens at 9").compound == 0);
  CHECK(score_sentiment(lexicon(), "@love the store opens at 9", SentimentRules::plain_vader)
            .compound > 0);
  CHECK(run("thank you \xF0\x9F\x98\x8D").sentiment == Sentiment::positive);  // heart eyes
  CHECK(run("\xF0\x9F\x98\xA1\xF0\x9F\x98\xA1 nobody at the counter").sentiment ==
        Sentiment::negative);  // pouting faces
  CHECK(run("https://example.com/photo.jpg").sentiment == Sentiment::neutral);
  CHECK(run("").sentiment == Sentiment::neutral);
  CHECK(run("\xEF\xBF\xBD\xEF\xBF\xBD").sentiment == Sentiment::neutral);
}

TEST_CASE("[triage] scores stay in range and reasons stay short for any input") {
  for (std::string_view text :
       {"!!!!!!!!!!!!!!!!!!!!", "AAAA BBBB CCCC DDDD", "@a @b @c", "#", "<n> minutes", ":( :( :(",
        "not not not not", "but but but", "3", "a", "\xF0\x9F\x98\xA1", "the the the the"}) {
    CAPTURE(text);
    const auto t = run(text);
    CHECK(t.score >= -1.0);
    CHECK(t.score <= 1.0);
    CHECK(t.reasons.size() <= 3);
    CHECK(t.priority >= 0);
  }
}

TEST_CASE("[lexicon] a broken lexicon line is refused with its file and line") {
  const auto bad_value = parse_lexicon({"good\t1.9\n", "", "still waiting\tlots\twait_time\n"});
  REQUIRE_FALSE(bad_value.ok());
  CHECK(bad_value.error().find("customer_service.tsv line 1") != std::string::npos);
  const auto bad_tag = parse_lexicon({"", "", "# comment\nqueue\t-1\twait_tim\n"});
  REQUIRE_FALSE(bad_tag.ok());
  CHECK(bad_tag.error().find("line 2") != std::string::npos);
  CHECK(bad_tag.error().find("wait_tim") != std::string::npos);
  const auto bad_vader = parse_lexicon({"good\n", "", ""});
  REQUIRE_FALSE(bad_vader.ok());
  CHECK(bad_vader.error().find("vader_lexicon.txt line 1") != std::string::npos);
  const auto ok =
      parse_lexicon({"good\t1.9\t0.5\t[]\n", "", "still waiting\t-2.5\twait_time,now\n"});
  REQUIRE(ok.ok());
  CHECK(ok->phrase_count() == 1);
  CHECK(lexicon().phrase_count() > 100);
}
