#include "scenarios/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace electsim::scenarios {
namespace {

struct Slot {
  std::atomic<bool> used{false};
  char path[kMaxPathBytes];
};
Slot slots[kMaxTemporaryFiles];
std::atomic<int> received{0};
std::atomic<InterruptMode> mode{InterruptMode::kImmediate};

void remove_temporary_files() {
  for (Slot& slot : slots) {
    if (slot.used.load()) unlink(slot.path);
  }
}

extern "C" void on_signal(int signal_number) {
  const int earlier = received.exchange(signal_number);
  if (mode.load() == InterruptMode::kGraceful && earlier == 0) return;
  remove_temporary_files();
  _exit(128 + signal_number);
}

}  // namespace

void install_interrupt_handlers(InterruptMode chosen) {
  mode.store(chosen);
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return received.load(std::memory_order_relaxed) != 0; }
int interrupt_signal() { return received.load(); }

TemporaryFileRegistration::TemporaryFileRegistration(const std::string& path) {
  if (path.size() >= static_cast<size_t>(kMaxPathBytes)) return;
  for (int i = 0; i < kMaxTemporaryFiles; ++i) {
    if (slots[i].used.load()) continue;
    std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
    slots[i].used.store(true);
    slot_ = i;
    return;
  }
}

TemporaryFileRegistration::~TemporaryFileRegistration() {
  if (slot_ >= 0) slots[slot_].used.store(false);
}

}  // namespace electsim::scenarios
