// Counts a YAML document's values before yaml-cpp builds its node tree, which costs far more
// than the bytes: about 460 bytes per value, and a value can be two bytes of text ("1,"), so a
// 1 MB file of `[1,1,1,...]` took 238 MB to load. The count streams through yaml-cpp's event
// parser, which keeps no tree, and stops at the first value over the limit.
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "absl/strings/str_cat.h"
#include "scenarios/loader_internal.h"

namespace electsim::scenarios::loader {
namespace {

// Thrown by the counter to stop the parser at the value over the limit.
struct TooManyValues {
  YAML::Mark mark;
};

// An alias counts as the whole value it refers to, since the loader walks it once per use:
// otherwise a few nested aliases ("billion laughs") would stand for millions of values.
class ValueCounter final : public YAML::EventHandler {
 public:
  explicit ValueCounter(uint64_t limit) : limit_(limit) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(mark, anchor < sizes_.size() ? sizes_[anchor] : 1);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    uint64_t count_before;
  };

  void add(const YAML::Mark& mark, uint64_t values) {
    count_ += values;
    if (count_ > limit_) throw TooManyValues{mark};
  }
  void remember(YAML::anchor_t anchor, uint64_t size) {
    if (anchor == YAML::NullAnchor) return;
    if (sizes_.size() <= anchor) sizes_.resize(anchor + 1, 1);
    sizes_[anchor] = size;
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(mark, 1);
    remember(anchor, 1);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    open_.push_back(Open{anchor, count_});
    add(mark, 1);
  }
  void close() {
    // The parser's own depth guard bounds this stack.
    const Open done = open_.back();
    open_.pop_back();
    remember(done.anchor, count_ - done.count_before);
  }

  uint64_t limit_;
  uint64_t count_ = 0;
  std::vector<Open> open_;
  std::vector<uint64_t> sizes_;  // by anchor id: how many values an alias of it stands for
};

}  // namespace

void check_yaml_size(const std::string& text, const std::string& path) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  ValueCounter counter(kMaxYamlValues);
  try {
    parser.HandleNextDocument(counter);
  } catch (const TooManyValues& error) {
    throw LoadError{absl::StrCat(path, ":", error.mark.line + 1, ":", error.mark.column + 1,
                                 ": the scenario holds more than ", kMaxYamlValues,
                                 " YAML values by here (keys, values and list items; an alias "
                                 "counts as what it names), the limit for a scenario file")};
  }
  // A syntax error (YAML::ParserException) goes on to the caller, which reports it as the real
  // parse would.
}

}  // namespace electsim::scenarios::loader
