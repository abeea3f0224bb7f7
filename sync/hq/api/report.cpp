#include "sync/hq/api/report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace kiosk::sync::hq {
namespace {

// Nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto n = sorted.size();
  auto rank = static_cast<std::size_t>(p * static_cast<double>(n) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}

DurationFigures figures_of(std::vector<std::int64_t> values) {
  DurationFigures out;
  out.count = static_cast<int>(values.size());
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  out.median_ms = percentile(values, 0.5);
  out.p90_ms = percentile(values, 0.9);
  return out;
}

struct Accumulator {
  EscalationFigures figures;
  std::vector<std::int64_t> ack;
  std::vector<std::int64_t> resolve;

  void add(const StoredEscalation& e, bool was_breached) {
    auto& f = figures;
    ++f.total;
    switch (e.escalation.status) {
      case core::EscalationStatus::open:
        ++f.open;
        break;
      case core::EscalationStatus::acknowledged:
        ++f.acknowledged;
        break;
      case core::EscalationStatus::resolved:
        ++f.resolved;
        break;
    }
    if (was_breached) ++f.breached;
    ++f.by_category[e.escalation.category ? std::string(core::to_string(*e.escalation.category))
                                          : std::string("uncategorised")];
    if (e.acknowledged_at_ms && *e.acknowledged_at_ms >= e.received_at_ms)
      ack.push_back(*e.acknowledged_at_ms - e.received_at_ms);
    if (e.escalation.status == core::EscalationStatus::resolved &&
        e.escalation.status_changed_at_ms >= e.received_at_ms)
      resolve.push_back(e.escalation.status_changed_at_ms - e.received_at_ms);
  }
  EscalationFigures done() {
    figures.to_acknowledge = figures_of(ack);
    figures.to_resolve = figures_of(resolve);
    return figures;
  }
};

nlohmann::json duration_json(const DurationFigures& d) {
  nlohmann::json j{{"count", d.count}, {"median_ms", nullptr}, {"p90_ms", nullptr}};
  if (d.median_ms) j["median_ms"] = *d.median_ms;
  if (d.p90_ms) j["p90_ms"] = *d.p90_ms;
  return j;
}

nlohmann::json figures_json(const EscalationFigures& f) {
  return {{"total", f.total},
          {"open", f.open},
          {"acknowledged", f.acknowledged},
          {"resolved", f.resolved},
          {"breached", f.breached},
          {"time_to_acknowledge", duration_json(f.to_acknowledge)},
          {"time_to_resolve", duration_json(f.to_resolve)},
          {"by_category", f.by_category}};
}

std::string minutes(const std::optional<std::int64_t>& ms) {
  if (!ms) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f min", static_cast<double>(*ms) / 60'000.0);
  return buf;
}

}  // namespace

bool breached(const StoredEscalation& e, const std::optional<core::StorePolicy>& policy,
              const core::BusinessHours& hours, std::int64_t now_ms) {
  if (!policy) return false;
  const core::SeverityPolicy* p = policy->for_severity(e.escalation.severity);
  if (!p) return false;
  core::LadderState state;
  state.status = e.escalation.status;
  state.raised_at_ms = e.received_at_ms;
  state.acknowledged_at_ms = e.acknowledged_at_ms;
  state.phase = e.ladder_phase;
  state.step = e.ladder_step;
  const core::LadderView v = core::evaluate_ladder(state, *p, hours, now_ms);
  if (e.escalation.status == core::EscalationStatus::resolved) {
    // Closed: breached if it was acknowledged (or resolved) after the response target.
    const std::int64_t answered = e.acknowledged_at_ms.value_or(e.escalation.status_changed_at_ms);
    return v.respond_by_ms && answered > *v.respond_by_ms;
  }
  return v.breached;
}

EscalationReport report_escalations(const std::vector<StoredEscalation>& escalations,
                                    const std::map<std::string, StoreLadder>& ladders,
                                    std::int64_t now_ms) {
  Accumulator overall;
  std::map<std::string, Accumulator> stores;
  for (const auto& e : escalations) {
    const auto it = ladders.find(e.store_id);
    const bool was_breached =
        it != ladders.end() && breached(e, it->second.policy, it->second.hours, now_ms);
    overall.add(e, was_breached);
    stores[e.store_id].add(e, was_breached);
  }
  EscalationReport out;
  out.overall = overall.done();
  for (auto& [id, acc] : stores) out.by_store[id] = acc.done();
  return out;
}

std::string report_json(const EscalationReport& r) {
  nlohmann::json stores = nlohmann::json::object();
  for (const auto& [id, f] : r.by_store) stores[id] = figures_json(f);
  const nlohmann::json j{{"overall", figures_json(r.overall)}, {"stores", stores}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string report_table(const EscalationReport& r) {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %6s %5s %6s %8s %9s  %-24s %-22s\n", "store", "total",
                "open", "acked", "resolved", "breached", "to acknowledge (med/p90)",
                "to resolve (med/p90)");
  out << line;
  const auto row = [&](const std::string& name, const EscalationFigures& f) {
    const std::string ack =
        minutes(f.to_acknowledge.median_ms) + " / " + minutes(f.to_acknowledge.p90_ms);
    const std::string res = minutes(f.to_resolve.median_ms) + " / " + minutes(f.to_resolve.p90_ms);
    std::snprintf(line, sizeof line, "%-16s %6d %5d %6d %8d %9d  %-24s %-22s\n", name.c_str(),
                  f.total, f.open, f.acknowledged, f.resolved, f.breached, ack.c_str(),
                  res.c_str());
    out << line;
  };
  for (const auto& [id, f] : r.by_store) row(id, f);
  row("all stores", r.overall);
  out << "\nby category:";
  if (r.overall.by_category.empty()) out << " none";
  for (const auto& [category, n] : r.overall.by_category) out << "  " << category << " " << n;
  out << "\n";
  return out.str();
}

}  // namespace kiosk::sync::hq
