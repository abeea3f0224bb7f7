#include "sync/hq/sim/fake_source_api.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <thread>

#include "sync/hq/http/http_server.h"
#include "sync/sources/connector.h"

namespace kiosk::sync::hq {

using sources::Source;
using json = nlohmann::json;

struct FakeSourceApi::Feed {
  Source source = Source::rss;
  std::string key;
  std::vector<std::string> items;  // newest first
  std::vector<std::string> users;  // X includes.users
  std::string whole_feed;          // RSS served as given
  int page_size = 20;
  std::deque<Fault> faults;
  Stats stats;
  int in_flight = 0;
};

namespace {

// An item as JSON, or a broken item served as its text.
json item_json(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

std::string item_id(const std::string& text, const char* field = "id") {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains(field) || !j[field].is_string()) return {};
  return j[field].get<std::string>();
}

bool id_less(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

int to_int(const std::string& s, int fallback) {
  try {
    return s.empty() ? fallback : std::stoi(s);
  } catch (...) {
    return fallback;
  }
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Which feed a request is for: (source, key), or nothing.
bool route(const ApiRequest& r, Source& source, std::string& key) {
  const std::string& p = r.path;
  const auto between = [&](const std::string& head, const std::string& tail) {
    if (p.size() <= head.size() + tail.size() || p.rfind(head, 0) != 0 ||
        p.compare(p.size() - tail.size(), tail.size(), tail) != 0)
      return false;
    key = p.substr(head.size(), p.size() - head.size() - tail.size());
    return true;
  };
  if (between("/v4/", "/reviews")) return source = Source::google, true;
  if (between("/v3/businesses/", "/reviews")) return source = Source::yelp, true;
  if (between("/v22.0/", "/tagged")) return source = Source::facebook, true;
  if (between("/feeds/", ".xml")) return source = Source::rss, true;
  if (p.rfind("/api/v1/timelines/tag/", 0) == 0) {
    key = p.substr(std::string("/api/v1/timelines/tag/").size());
    return source = Source::mastodon, true;
  }
  if (p == "/xrpc/app.bsky.feed.searchPosts")
    return key = r.query_value("q"), source = Source::bluesky, true;
  if (p == "/search.json") return key = r.query_value("q"), source = Source::reddit, true;
  if (p == "/2/tweets/search/recent") return key = r.query_value("query"), source = Source::x, true;
  return false;
}

}  // namespace

// Renders one page of a feed in its source's format (called with the mutex held).
struct FakeSourceApiHandler {
  static ApiResponse page(const std::string& base, const FakeSourceApi::Feed& f,
                          const ApiRequest& r) {
    ApiResponse out;
    const auto& items = f.items;
    const int n = static_cast<int>(items.size());
    const auto slice = [&](int from, int count) {
      json list = json::array();
      for (int i = from; i < std::min(n, from + count); ++i)
        list.push_back(item_json(items[static_cast<std::size_t>(i)]));
      return list;
    };
    switch (f.source) {
      case Source::google: {
        const int from = to_int(r.query_value("pageToken"), 0);
        const int size = std::min(f.page_size, to_int(r.query_value("pageSize"), 50));
        json body{{"reviews", slice(from, size)}, {"averageRating", 4.1}, {"totalReviewCount", n}};
        if (from + size < n) body["nextPageToken"] = std::to_string(from + size);
        out.body = dump(body);
        break;
      }
      case Source::yelp: {
        const int from = to_int(r.query_value("offset"), 0);
        const int size = std::min(f.page_size, to_int(r.query_value("limit"), 20));
        out.body = dump(
            json{{"reviews", slice(from, size)}, {"total", n}, {"possible_languages", {"en"}}});
        break;
      }
      case Source::facebook: {
        const int from = to_int(r.query_value("after"), 0);
        const int size = std::min(f.page_size, to_int(r.query_value("limit"), 25));
        json body{{"data", slice(from, size)},
                  {"paging",
                   {{"cursors",
                     {{"before", std::to_string(from)}, {"after", std::to_string(from + size)}}}}}};
        if (from + size < n)
          body["paging"]["next"] = base + r.path + "?after=" + std::to_string(from + size);
        out.body = dump(body);
        break;
      }
      case Source::mastodon: {
        const std::string since = r.query_value("since_id"), max_id = r.query_value("max_id");
        const int size = std::min(f.page_size, to_int(r.query_value("limit"), 20));
        json list = json::array();
        std::string last;
        bool more = false;
        for (const auto& item : items) {
          const std::string id = item_id(item);
          if (!since.empty() && !id.empty() && !id_less(since, id)) continue;
          if (!max_id.empty() && !id.empty() && !id_less(id, max_id)) continue;
          if (static_cast<int>(list.size()) == size) {
            more = true;
            break;
          }
          list.push_back(item_json(item));
          if (!id.empty()) last = id;
        }
        if (more && !last.empty()) {
          std::string next = base + r.path + "?limit=" + std::to_string(size) + "&max_id=" + last;
          if (!since.empty()) next += "&since_id=" + since;
          out.headers.emplace_back("Link", "<" + next + ">; rel=\"next\"");
        }
        out.body = dump(list);
        break;
      }
      case Source::bluesky: {
        const int from = to_int(r.query_value("cursor"), 0);
        const int size = std::min(f.page_size, to_int(r.query_value("limit"), 25));
        json body{{"posts", slice(from, size)}, {"hitsTotal", n}};
        if (from + size < n) body["cursor"] = std::to_string(from + size);
        out.body = dump(body);
        break;
      }
      case Source::reddit: {
        const std::string after = r.query_value("after");
        int from = 0;
        if (!after.empty())
          for (int i = 0; i < n; ++i)
            if ("t3_" + item_id(items[static_cast<std::size_t>(i)]) == after) from = i + 1;
        const int size = std::min(f.page_size, to_int(r.query_value("limit"), 25));
        json children = json::array();
        std::string last;
        for (const auto& item : slice(from, size)) {
          children.push_back({{"kind", "t3"}, {"data", item}});
          if (item.is_object() && item.contains("id") && item["id"].is_string())
            last = "t3_" + item["id"].get<std::string>();
        }
        json data{{"children", children},
                  {"dist", children.size()},
                  {"before", nullptr},
                  {"after", from + size < n && !last.empty() ? json(last) : json(nullptr)}};
        out.body = dump(json{{"kind", "Listing"}, {"data", data}});
        break;
      }
      case Source::x: {
        const std::string since = r.query_value("since_id");
        const int from = to_int(r.query_value("next_token"), 0);
        const int size = std::min(f.page_size, to_int(r.query_value("max_results"), 100));
        json data = json::array();
        int i = 0, kept = 0;
        bool more = false;
        for (const auto& item : items) {
          const std::string id = item_id(item);
          if (!since.empty() && !id.empty() && !id_less(since, id)) continue;
          if (i++ < from) continue;
          if (kept == size) {
            more = true;
            break;
          }
          data.push_back(item_json(item));
          ++kept;
        }
        json meta{{"result_count", data.size()}};
        if (!data.empty()) {
          meta["newest_id"] = data.front().value("id", "");
          meta["oldest_id"] = data.back().value("id", "");
        }
        if (more) meta["next_token"] = std::to_string(from + size);
        json body{{"meta", meta}};
        if (!data.empty()) body["data"] = data;
        if (!f.users.empty()) {
          json users = json::array();
          for (const auto& u : f.users) users.push_back(item_json(u));
          body["includes"] = {{"users", users}};
        }
        out.body = dump(body);
        break;
      }
      case Source::rss: {
        if (!f.whole_feed.empty()) {
          out.body = f.whole_feed;
        } else {
          std::string body =
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
              "<title>Alerts: " +
              f.key + "</title><link>" + base + "</link>\n";
          for (const auto& item : items) body += item + "\n";
          out.body = body + "</channel></rss>\n";
        }
        out.headers.emplace_back("Content-Type", "application/rss+xml; charset=utf-8");
        break;
      }
    }
    return out;
  }

  static ApiResponse handle(FakeSourceApi& api, const ApiRequest& r) {
    Source source;
    std::string key;
    if (!route(r, source, key))
      return error_response(404, "not_found", "the fake source API has nothing at " + r.path);
    FakeSourceApi::Fault fault;
    bool faulted = false;
    {
      std::lock_guard lock(api.mutex_);
      auto& f = api.feed_locked(source, key);
      ++f.stats.requests;
      f.stats.authorizations.push_back(r.authorization);
      std::string q;
      for (const auto& [k, v] : r.query) q += (q.empty() ? "" : "&") + k + "=" + v;
      f.stats.queries.push_back(q);
      f.stats.max_in_flight = std::max(f.stats.max_in_flight, ++f.in_flight);
      if (!f.faults.empty()) {
        fault = f.faults.front();
        f.faults.pop_front();
        faulted = true;
      }
    }
    if (faulted && fault.hang_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(fault.hang_ms));
    // Each request is held a moment, so two pollers of one feed would overlap and show it.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ApiResponse out;
    {
      std::lock_guard lock(api.mutex_);
      auto& f = api.feed_locked(source, key);
      --f.in_flight;
      out = page(api.url(), f, r);
    }
    if (faulted) {
      if (fault.status != 0) {
        out.status = fault.status;
        out.body = R"({"error":"fault from the test"})";
      }
      if (fault.replace_body) out.body = fault.body;
      if (!fault.retry_after.empty()) out.headers.emplace_back("Retry-After", fault.retry_after);
      if (!fault.rate_reset.empty())
        out.headers.emplace_back("x-rate-limit-reset", fault.rate_reset);
    }
    return out;
  }
};

core::Result<std::unique_ptr<FakeSourceApi>> FakeSourceApi::start(const std::string& listen) {
  using R = core::Result<std::unique_ptr<FakeSourceApi>>;
  std::unique_ptr<FakeSourceApi> api(new FakeSourceApi);
  HttpServerOptions options;
  options.listen = listen;
  options.threads = 4;
  FakeSourceApi* self = api.get();
  auto http = HttpServer::start(
      options, [self](const ApiRequest& r) { return FakeSourceApiHandler::handle(*self, r); });
  if (!http) return R::failure(http.error());
  api->http_ = std::move(http.value());
  return api;
}

FakeSourceApi::~FakeSourceApi() {
  if (http_) http_->stop();
}

std::string FakeSourceApi::url() const {
  return http_->url();
}

FakeSourceApi::Feed& FakeSourceApi::feed_locked(Source source, const std::string& key) {
  for (auto& f : feeds_)
    if (f->source == source && f->key == key) return *f;
  feeds_.push_back(std::make_unique<Feed>());
  feeds_.back()->source = source;
  feeds_.back()->key = key;
  return *feeds_.back();
}

const FakeSourceApi::Feed* FakeSourceApi::find_locked(Source source, const std::string& key) const {
  for (const auto& f : feeds_)
    if (f->source == source && f->key == key) return f.get();
  return nullptr;
}

void FakeSourceApi::add_items(Source source, const std::string& key,
                              std::vector<std::string> items) {
  std::lock_guard lock(mutex_);
  auto& f = feed_locked(source, key);
  f.items.insert(f.items.begin(), std::make_move_iterator(items.begin()),
                 std::make_move_iterator(items.end()));
}

void FakeSourceApi::add_x_users(const std::string& key, std::vector<std::string> users) {
  std::lock_guard lock(mutex_);
  auto& f = feed_locked(Source::x, key);
  for (auto& u : users) f.users.push_back(std::move(u));
}

void FakeSourceApi::set_feed(const std::string& name, std::string body) {
  std::lock_guard lock(mutex_);
  feed_locked(Source::rss, name).whole_feed = std::move(body);
}

void FakeSourceApi::set_page_size(Source source, const std::string& key, int items) {
  std::lock_guard lock(mutex_);
  feed_locked(source, key).page_size = std::max(1, items);
}

void FakeSourceApi::push_fault(Source source, const std::string& key, Fault fault) {
  std::lock_guard lock(mutex_);
  feed_locked(source, key).faults.push_back(std::move(fault));
}

FakeSourceApi::Stats FakeSourceApi::stats(Source source, const std::string& key) const {
  std::lock_guard lock(mutex_);
  const Feed* f = find_locked(source, key);
  return f ? f->stats : Stats{};
}

int FakeSourceApi::item_count(Source source, const std::string& key) const {
  std::lock_guard lock(mutex_);
  const Feed* f = find_locked(source, key);
  return f ? static_cast<int>(f->items.size()) : 0;
}

}  // namespace kiosk::sync::hq
