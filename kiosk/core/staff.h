#pragma once
// A member of staff as the kiosk knows them once tapped in: who causes an event (its
// "staff_id"), whose training progress a quiz moves, and the language their lessons are in.
#include <string>

namespace kiosk::core {

enum class StaffRole { associate, manager };

struct StaffMember {
  std::string id;
  std::string name;
  StaffRole role = StaffRole::associate;
  std::string language;  // lessons and hints in this language ("en", "es"); empty: the kiosk's
  bool operator==(const StaffMember&) const = default;
};

}  // namespace kiosk::core
