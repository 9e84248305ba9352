#include "sim/message_type.h"

#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace electsim::sim {
namespace {

// Registration happens before runs start, but sweeps run worlds on several threads that look
// names up, so the table is guarded.
std::mutex& table_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<FamilyId, const FamilyInfo*>& table() {
  static std::map<FamilyId, const FamilyInfo*> families;
  return families;
}

}  // namespace

void register_family(const FamilyInfo* family) {
  std::lock_guard lock(table_mutex());
  auto [it, inserted] = table().emplace(family->id, family);
  SIM_CHECK(inserted || it->second == family || it->second->name == family->name,
            "two message families under one id");
}

const FamilyInfo* find_family(FamilyId id) {
  std::lock_guard lock(table_mutex());
  auto it = table().find(id);
  return it == table().end() ? nullptr : it->second;
}

const FamilyInfo* find_family_by_name(std::string_view name) {
  std::lock_guard lock(table_mutex());
  for (const auto& [id, family] : table()) {
    if (family->name == name) return family;
  }
  return nullptr;
}

std::string message_type_name(MessageTypeId type) {
  const FamilyInfo* family = find_family(family_of(type));
  if (family == nullptr || index_of(type) >= family->messages.size()) {
    return absl::StrCat("family ", family_of(type), " message ", index_of(type));
  }
  std::string name(family->name);
  name += '.';
  name += family->messages[index_of(type)];
  return name;
}

std::string timer_name(FamilyId family_id, uint32_t timer) {
  const FamilyInfo* family = find_family(family_id);
  if (family == nullptr || timer >= family->timers.size()) return absl::StrCat("timer ", timer);
  std::string name(family->name);
  name += '.';
  name += family->timers[timer];
  return name;
}

}  // namespace electsim::sim
