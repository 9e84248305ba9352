#include <cstdio>
#include "algorithms/pingpong/pingpong.h"
#include "sim/world.h"
using namespace electsim;
int main() {
  algorithms::PingPongFactory factory(sim::Duration::milliseconds(20));
  sim::Link link;
  link.latency = sim::LatencyModel::normal(sim::Duration::milliseconds(5), sim::Duration::milliseconds(2), sim::Duration::milliseconds(1));
  link.loss = sim::Ratio{1, 10};
  sim::World world(42, 2, link, factory);
  world.start();
  world.run_until(sim::Instant::zero() + sim::Duration::seconds(10));
  std::printf("fingerprint %016llx delivered %llu\n", (unsigned long long)world.trace().fingerprint(), (unsigned long long)world.stats().messages_delivered);
}
