#include "sync/hq/api/source_poller.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include "sync/client/http_client.h"

namespace kiosk::sync::hq {
namespace {

std::string utc_day(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &utc);
  return buf;
}

std::int64_t next_utc_midnight(std::int64_t ms) {
  constexpr std::int64_t kDay = 86'400'000;
  return (ms / kDay + 1) * kDay;
}

// Numeric ids as text (Mastodon, X): the longer is the newer, else compare as text.
bool id_newer(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() > b.size();
  return a > b;
}

bool uses_since_id(sources::Source s) {
  return s == sources::Source::mastodon || s == sources::Source::x;
}

bool is_review_page(sources::Source s) {
  return s == sources::Source::google || s == sources::Source::yelp ||
         s == sources::Source::facebook;
}

std::string api_name(const sources::ConnectorConfig& c) {
  return std::string(sources::source_name(c.source)) + "'s API (connector " + c.name + ")";
}

}  // namespace

std::string make_poller_holder() {
  char host[128] = {0};
  ::gethostname(host, sizeof host - 1);
  std::random_device rd;
  char tail[16];
  std::snprintf(tail, sizeof tail, "%04x", rd() & 0xffff);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + tail;
}

SourcePoller::SourcePoller(HqStorage& storage, std::vector<sources::ConnectorConfig> connectors,
                           PollerOptions options)
    : storage_(storage), connectors_(std::move(connectors)), options_(std::move(options)) {
  if (!options_.clock)
    options_.clock = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  if (!options_.random01) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    options_.random01 = [engine] {
      return std::uniform_real_distribution<double>(0.0, 1.0)(*engine);
    };
  }
  if (options_.holder.empty()) options_.holder = make_poller_holder();
}

SourcePoller::~SourcePoller() {
  stop();
}

std::vector<PollReport> SourcePoller::poll_due() {
  std::vector<PollReport> out;
  for (const auto& c : connectors_) {
    if (!c.enabled) continue;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    out.push_back(poll(c));
  }
  return out;
}

PollReport SourcePoller::poll(const sources::ConnectorConfig& c) {
  PollReport report;
  report.name = c.name;
  const auto log = [&](const std::string& line) {
    if (options_.log) options_.log("source " + c.name + ": " + line);
  };
  const std::int64_t now = options_.clock();
  // A cheap look first, so idle processes do not write lease rows every second.
  auto before = storage_.source_state(c.name);
  if (!before) {
    report.error = before.error();
    log(report.error);
    return report;
  }
  if (before.value() && before.value()->next_poll_ms > now) {
    report.not_polled_because = "not due";
    report.next_poll_ms = before.value()->next_poll_ms;
    return report;
  }
  auto lease = storage_.take_source_lease(c.name, options_.holder, now, now + options_.lease_ms);
  if (!lease) {
    report.error = lease.error();
    log(report.error);
    return report;
  }
  if (!lease.value()) {
    report.not_polled_because = "another kiosk-hq process holds its lease";
    return report;
  }
  auto loaded = storage_.source_state(c.name);
  if (!loaded || !loaded.value()) {
    report.error = loaded ? "its state row went missing" : loaded.error();
    log(report.error);
    return report;
  }
  SourceState st = *loaded.value();
  st.name = c.name;
  if (st.next_poll_ms > now) {  // another process polled it between our look and the lease
    report.not_polled_because = "not due";
    report.next_poll_ms = st.next_poll_ms;
    storage_.save_source_state(st, options_.holder, /*release=*/true);
    return report;
  }
  report.polled = true;
  const auto backoff_ms = [&] {
    core::Backoff b(options_.backoff);
    const std::int64_t ceiling = b.ceiling_ms(st.failures + 1);  // this failure included
    return ceiling / 2 +
           static_cast<std::int64_t>(static_cast<double>(ceiling / 2) * options_.random01());
  };
  const auto fail = [&](const std::string& why, std::int64_t wait_ms) {
    ++st.failures;
    st.last_error = why;
    st.last_error_ms = now;
    st.next_poll_ms = now + wait_ms;
    report.error = why;
  };

  bool failed = false;
  if (c.needs_credential && c.credential.empty()) {
    fail("no credential: " + (c.credential_env.empty()
                                  ? std::string("give it a \"token_env\" in the sources file")
                                  : "set the environment variable " + c.credential_env),
         c.interval_ms);
    failed = true;
  }
  const std::string day = utc_day(now);
  if (st.quota_day != day) {
    st.quota_day = day;
    st.quota_used = 0;
  }
  client::HttpSession http;
  std::string token;
  std::string newest;
  bool completed = false;
  for (int page_no = 0; !failed && page_no < c.max_pages; ++page_no) {
    if (c.daily_quota > 0 && st.quota_used >= c.daily_quota) {
      st.last_error = "the daily quota of " + std::to_string(c.daily_quota) +
                      " requests is used up; polling again after midnight UTC";
      st.last_error_ms = now;
      report.error = st.last_error;
      st.next_poll_ms = next_utc_midnight(now);
      failed = true;
      break;
    }
    const auto request = sources::page_request(c, st.cursor, token);
    client::HttpRequest http_request;
    http_request.url = request.url;
    http_request.bearer_token = request.bearer_token;
    http_request.headers = request.headers;
    http_request.timeout_ms = c.timeout_ms;
    http_request.connect_timeout_ms = std::min(c.timeout_ms, 5000L);
    http_request.peer = api_name(c);
    ++st.quota_used;
    ++report.requests;
    const auto response = http.get(http_request);
    if (!response.answered()) {
      fail(response.transport_error, backoff_ms());
      failed = true;
      break;
    }
    const long status = response.status;
    if (status == 429 || (status == 503 && !response.header("retry-after").empty())) {
      const auto wait = sources::retry_after_ms(response.header("retry-after"),
                                                response.header("x-rate-limit-reset"), now);
      const std::int64_t wait_ms = wait ? std::max<std::int64_t>(*wait, 1000) : backoff_ms();
      fail("rate limited (" + std::to_string(status) + "); waiting " +
               std::to_string((wait_ms + 999) / 1000) + " s" + (wait ? " as the source asked" : ""),
           wait_ms);
      failed = true;
      break;
    }
    if (status == 401 || status == 403) {
      fail("the source refused the credential (" + std::to_string(status) + ")" +
               (c.credential_env.empty() ? std::string()
                                         : "; check the token in " + c.credential_env),
           std::max(c.interval_ms, backoff_ms()));
      failed = true;
      break;
    }
    if (status >= 500) {
      fail("the source answered " + std::to_string(status) + " (its failure); retrying later",
           backoff_ms());
      failed = true;
      break;
    }
    if (status < 200 || status >= 300) {
      fail("the source answered " + std::to_string(status) + "; check the connector's settings",
           std::max(c.interval_ms, backoff_ms()));
      failed = true;
      break;
    }
    ++report.pages;
    auto page = sources::parse_payload(c.source, response.body);
    report.skipped += static_cast<int>(page.skipped.size());
    for (const auto& s : page.skipped) log("skipped " + s.item + ": " + s.reason);
    std::vector<IntakeItem> items;
    for (auto& m : page.mentions)
      items.push_back({std::move(m), "", is_review_page(c.source) ? c.location : ""});
    report.mentions += static_cast<int>(items.size());
    auto results = take_in_mentions(storage_, items, options_.clock());
    if (!results) {
      fail("storing its mentions failed: " + results.error(), backoff_ms());
      failed = true;
      break;
    }
    int fresh = 0;
    for (const auto& r : results.value()) {
      report.counts.count(r);
      if (r.kind == IntakeResult::Kind::added || r.kind == IntakeResult::Kind::updated ||
          r.kind == IntakeResult::Kind::unmatched)
        ++fresh;
    }
    if (!page.newest_id.empty() && (newest.empty() || id_newer(page.newest_id, newest)))
      newest = page.newest_id;
    if (!page.error.empty()) {
      // A damaged body: what could be read is kept, the rest of this poll is given up (the
      // next page's address is not known) and counted; the next poll comes as usual.
      ++report.skipped;
      st.last_error = "page " + std::to_string(page_no + 1) + " could not be read: " + page.error;
      st.last_error_ms = now;
      report.error = st.last_error;
      log(st.last_error);
      break;
    }
    token = sources::next_page_token(c, page, response.header("link"), token,
                                     items.size() + page.skipped.size());
    if (token.empty()) {
      completed = true;
      break;
    }
    // Newest first: a page with nothing new means the rest was seen by an earlier poll.
    if (!uses_since_id(c.source) && fresh == 0) {
      completed = true;
      break;
    }
  }
  if (!failed) {
    st.failures = 0;
    st.last_success_ms = now;
    st.next_poll_ms = now + c.interval_ms;
    if (uses_since_id(c.source) && !newest.empty() && (completed || report.pages >= c.max_pages) &&
        (st.cursor.empty() || id_newer(newest, st.cursor)))
      st.cursor = newest;
  }
  st.items_seen += report.mentions;
  st.items_skipped += report.skipped;
  report.next_poll_ms = st.next_poll_ms;
  auto saved = storage_.save_source_state(st, options_.holder, /*release=*/true);
  if (!saved) log("could not save its state: " + saved.error());
  char line[200];
  std::snprintf(line, sizeof line,
                "%d request(s), %d page(s), %d mention(s): %d new, %d updated, %d duplicate, "
                "%d unmatched; %d skipped",
                report.requests, report.pages, report.mentions, report.counts.added,
                report.counts.updated, report.counts.duplicates, report.counts.unmatched,
                report.skipped);
  log(std::string(line) + (report.error.empty() ? "" : "; " + report.error));
  return report;
}

void SourcePoller::run(std::int64_t max_sleep_ms) {
  while (true) {
    poll_due();
    std::int64_t next = options_.clock() + max_sleep_ms;
    auto states = storage_.source_states();
    if (states)
      for (const auto& s : states.value())
        for (const auto& c : connectors_)
          if (c.enabled && c.name == s.name && s.next_poll_ms < next)
            next = std::max(s.next_poll_ms, options_.clock() + 50);
    std::unique_lock lock(mutex_);
    const auto wait = std::chrono::milliseconds(std::max<std::int64_t>(next - options_.clock(), 0));
    if (wake_.wait_for(lock, wait, [&] { return stopping_; })) return;
  }
}

void SourcePoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace kiosk::sync::hq
