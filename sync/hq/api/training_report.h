#pragma once
// Head office's view of training at the counter: from the answers terminals sent
// (training.answered events), completion, quiz accuracy and confidence per store, per lesson
// and per member of staff. Pure: the rows come in, the figures go out.
#include <map>
#include <string>
#include <vector>

#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

struct TrainingFigures {
  int answers = 0;
  int correct = 0;
  int sure = 0;
  int sure_but_wrong = 0;  // the answers to worry about: confident and mistaken
  double accuracy() const { return answers ? static_cast<double>(correct) / answers : 0.0; }
  double confidence() const { return answers ? static_cast<double>(sure) / answers : 0.0; }
};

struct TrainingReport {
  TrainingFigures overall;
  std::map<std::string, TrainingFigures> by_store;
  std::map<std::string, TrainingFigures> by_lesson;
  std::map<std::string, TrainingFigures> by_staff;   // "store/staff"
  std::map<std::string, int> lessons_done_by_staff;  // distinct lessons answered, "store/staff"
};

TrainingReport training_report(const std::vector<StoredTrainingAnswer>& answers);

}  // namespace kiosk::sync::hq
