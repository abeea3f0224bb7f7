#pragma once
// The demo's stream of posts: texts written for this project about the two demo stores
// (assets/demo/*.store.json), complaints and praise naming staff, reviews with stars,
// questions, a spill, a cross-post and a retweet, a post that names only the city, each
// rendered in its source's own API format and added to the fake source API, so the demo's
// mentions come in through the real connectors, matching and triage.
#include <cstdint>
#include <string>

#include "sync/hq/sim/fake_source_api.h"

namespace kiosk::sync::hq {

class Simulator {
 public:
  // now_ms: the wall clock (posts are dated by it).
  Simulator(FakeSourceApi& api, std::uint64_t seed);
  // Adds the next post, dated now_ms; returns "google downtown: Waited 35 minutes..."
  std::string post_next(std::int64_t now_ms);
  // Adds `count` posts dated over the past hours, oldest first (the feed's history).
  void post_history(int count, std::int64_t now_ms);
  // The sources file for kiosk-hq's connectors, polling this fake every `every` ("3s").
  std::string sources_config(const std::string& every) const;
  int posted() const { return next_; }

 private:
  FakeSourceApi& api_;
  std::uint64_t seed_;
  int next_ = 0;
};

}  // namespace kiosk::sync::hq
