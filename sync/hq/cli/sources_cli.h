#pragma once
// kiosk-hq's commands for sources and matching (docs/hq.md#sources): the connectors' health,
// polling, store profiles, the unmatched queue and the demo's simulated sources.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/core/result.h"
#include "sync/hq/storage/hq_storage.h"
#include "sync/sources/connector.h"

namespace kiosk::sync::hq {

class SourcePoller;

struct SourcesCommand {
  std::string db;
  std::string secret_file;
  std::string sources_file;  // --sources
  std::string store_id;
  std::string file;
  std::string mention_id;
  bool json = false;
  bool once = false;
  // simulate
  std::string listen = "127.0.0.1:0";
  std::string port_file;
  std::string sources_out;
  std::string every = "8s";
  std::string poll_every = "2s";
  int history = 12;
  int count = 0;  // 0: until stopped
  std::uint64_t seed = 1;
};

// The sources file, with credentials from the environment.
core::Result<std::vector<sources::ConnectorConfig>> load_sources_file(const std::string& path);
// The webhook's API key from its file: the first line, at least 24 characters.
core::Result<std::string> read_ingest_key(const std::string& path);

int sources_list_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);
int poll_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);
int store_set_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);
int store_show_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);
int mentions_unmatched_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);
int mentions_assign_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);
int simulate_cmd(const SourcesCommand& c, std::ostream& out, std::ostream& err);

// A poller over `storage` running on a thread of its own (what `serve --sources` adds);
// its lines go to `log`. Stopped and joined by the returned handle's destructor.
class BackgroundPoller {
 public:
  BackgroundPoller(HqStorage& storage, std::vector<sources::ConnectorConfig> connectors,
                   std::function<void(const std::string&)> log);
  ~BackgroundPoller();
  BackgroundPoller(const BackgroundPoller&) = delete;
  BackgroundPoller& operator=(const BackgroundPoller&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::sync::hq
