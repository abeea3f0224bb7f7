// The chime's samples (platform/chime_player.h): two tones, the higher first, loud enough to
// hear and never clipped, ending in silence.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "platform/chime_player.h"

namespace {

// The dominant frequency of a stretch of samples, from its zero crossings.
double frequency(const std::vector<std::int16_t>& s, double from_s, double to_s, int rate) {
  const auto a = static_cast<std::size_t>(from_s * rate);
  const auto b = static_cast<std::size_t>(to_s * rate);
  int crossings = 0;
  for (std::size_t i = a + 1; i < b; ++i)
    if ((s[i - 1] < 0) != (s[i] < 0)) ++crossings;
  return crossings / 2.0 / (to_s - from_s);
}

}  // namespace

TEST_CASE("the chime: a higher tone, then a lower one, about 0.6 s, never clipped") {
  const int rate = platform::kChimeSampleRate;
  const auto s = platform::chime_samples(rate);
  CHECK(s.size() == static_cast<std::size_t>(0.6 * rate));
  const auto peak = std::abs(*std::max_element(s.begin(), s.end(), [](auto x, auto y) {
    return std::abs(static_cast<int>(x)) < std::abs(static_cast<int>(y));
  }));
  CHECK(peak > 8000);   // audible at a counter
  CHECK(peak < 32767);  // no clipping
  // The second harmonic adds crossings; the fundamental still dominates the count.
  const double first = frequency(s, 0.02, 0.18, rate);
  const double second = frequency(s, 0.40, 0.55, rate);
  CHECK(first > second * 1.2);
  CHECK(first == doctest::Approx(784.0).epsilon(0.35));
  CHECK(second == doctest::Approx(523.25).epsilon(0.35));
  CHECK(s.back() == 0);  // faded out: no click at the end
}
