#include "sync/hq/api/training_report.h"

#include <set>

namespace kiosk::sync::hq {
namespace {

void count(TrainingFigures& f, const protocol::TrainingAnswered& a) {
  ++f.answers;
  f.correct += a.correct ? 1 : 0;
  f.sure += a.sure ? 1 : 0;
  f.sure_but_wrong += (a.sure && !a.correct) ? 1 : 0;
}

}  // namespace

TrainingReport training_report(const std::vector<StoredTrainingAnswer>& answers) {
  TrainingReport r;
  std::map<std::string, std::set<std::string>> lessons;
  for (const auto& row : answers) {
    const auto& a = row.answer;
    const std::string staff = row.store_id + "/" + a.staff_id;
    count(r.overall, a);
    count(r.by_store[row.store_id], a);
    count(r.by_lesson[a.lesson_id], a);
    count(r.by_staff[staff], a);
    lessons[staff].insert(a.lesson_id);
  }
  for (const auto& [staff, done] : lessons)
    r.lessons_done_by_staff[staff] = static_cast<int>(done.size());
  return r;
}

}  // namespace kiosk::sync::hq
