// `kiosk triage` as store IT runs it: texts and JSON lines on stdin, one JSON object per line
// out, a bad line reported on stderr while the rest still come through.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/process.h"

using kiosk::testing::RunResult;
using kiosk::testing::TempDir;
using json = nlohmann::json;

namespace {

std::string kiosk_path() {
  return kiosk::testing::binary_dir() + "/kiosk/app/kiosk";
}

// Runs `kiosk [args] triage < input` through the shell, which gives the program its stdin.
RunResult triage(const std::string& input, const std::vector<std::string>& args = {}) {
  TempDir dir;
  const std::string in = dir.file("in.txt");
  std::ofstream(in, std::ios::binary) << input;
  std::vector<std::string> argv = {"/bin/sh", "-c", "f=\"$1\"; shift; exec \"$@\" triage < \"$f\"",
                                   "sh",      in,   kiosk_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return kiosk::testing::run(argv);
}

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream ss(out);
  for (std::string line; std::getline(ss, line);) {
    const auto j = json::parse(line, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), "not JSON: " << line);
    lines.push_back(j);
  }
  return lines;
}

}  // namespace

TEST_CASE("[cli] triage reads texts and JSON lines and writes one JSON object per line") {
  const std::string input =
      "STILL WAITING at the counter, 40 minutes!!!\n"
      "{\"id\": \"g:1\", \"text\": \"Lovely staff, nice shop\", \"rating\": 1}\n"
      "{\"text\": \"Maria at the bakery was so kind\", \"metrics\": {\"likes\": 4}}\n"
      "{this is not json\n"
      "\n"
      "What time do you open on Sunday?\r\n"
      "{\"rating\": 5}\n"
      "caf\xC3 \xFF please help, waited 3 hours\n";
  const auto r = triage(input);
  CHECK(r.exit_code == 1);  // some lines were skipped, and the caller is told so
  const auto out = json_lines(r.out);
  REQUIRE(out.size() == 5);
  for (const auto& j : out)
    for (const char* key : {"sentiment", "score", "urgency", "category", "priority", "reasons"})
      CHECK_MESSAGE(j.contains(key), key << " missing in " << j.dump());

  CHECK(out[0]["line"] == 1);
  CHECK(out[0]["sentiment"] == "negative");
  CHECK(out[0]["category"] == "wait_time");
  CHECK(out[0]["urgency"] == "urgent");
  const auto reasons = out[0]["reasons"].get<std::vector<std::string>>();
  CHECK(std::find(reasons.begin(), reasons.end(), "still in store") != reasons.end());
  CHECK(std::find(reasons.begin(), reasons.end(), "shouting") != reasons.end());

  CHECK(out[1]["id"] == "g:1");
  CHECK(out[1]["sentiment"] == "negative");  // one star outweighs polite words
  CHECK(out[1]["score"].get<double>() < 0);

  CHECK(out[2]["sentiment"] == "positive");
  CHECK(out[2]["attention"] == "needs_thank_you");
  CHECK(out[2]["staff"]["who"] == "Maria");
  CHECK(out[2]["staff"]["where"] == "bakery");

  CHECK(out[3]["line"] == 6);
  CHECK(out[3]["sentiment"] == "neutral");
  CHECK(out[0]["priority"].get<int>() > out[1]["priority"].get<int>());
  CHECK(out[2]["priority"].get<int>() > out[3]["priority"].get<int>());

  CHECK(out[4]["line"] == 8);  // invalid UTF-8 repaired, still triaged
  CHECK(out[4]["sentiment"] == "negative");

  // One clear line per problem on stderr, naming the input line.
  CHECK(r.err.find("line 4 skipped: not valid JSON") != std::string::npos);
  CHECK(r.err.find("line 7 skipped: no \"text\"") != std::string::npos);
  CHECK(r.err.find("line 8 is not valid UTF-8") != std::string::npos);
  CHECK(r.err.find("2 of 8 lines skipped") != std::string::npos);
}

TEST_CASE("[cli] triage of clean input exits 0; missing lexicons say where to look") {
  const auto ok = triage("Thank you for the lovely service\n");
  CHECK(ok.exit_code == 0);
  CHECK(ok.err.empty());
  CHECK(json_lines(ok.out).size() == 1);

  TempDir empty;
  const auto missing = triage("hello\n", {"--assets", empty.path});
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("cannot read the triage lexicon") != std::string::npos);
  CHECK(missing.err.find("--assets") != std::string::npos);
}
