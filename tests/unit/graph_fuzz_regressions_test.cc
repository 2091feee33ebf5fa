// The graph fuzz harness (tests/fuzz/graph_fuzz_harness.h) run in every build on
// hand-made hostile inputs, so its checks stay compiled and a fuzzer finding can
// be replayed here: add the input as a case.
#include <gtest/gtest.h>

#include <string>

#include "../fuzz/graph_fuzz_harness.h"
#include "graph_synthetic.h"
#include "proto/graph.pb.h"

namespace tbview {
namespace {

void RunGraphOne(uint8_t mode, uint8_t config, const std::string& payload) {
  std::string input{char(mode), char(config)};
  input += payload;
  fuzz::GraphOne(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(GraphFuzzRegressions, HostileGraphsKeepTheInvariants) {
  SyntheticGraphOptions small;
  small.blocks = 3;
  small.block_ops = 40;
  const std::string synthetic = SyntheticTransformerGraphDef(small);
  for (uint8_t config : {0x00, 0x35, 0xff}) RunGraphOne(0, config, synthetic);
  // Cycles, self-inputs, missing inputs, empty and slash-only names, a deep name.
  proto::GraphDef g;
  auto node = [&](const std::string& name, std::initializer_list<std::string> inputs) {
    proto::NodeDef* n = g.add_node();
    n->set_name(name);
    n->set_op("Op");
    for (const std::string& in : inputs) n->add_input(in);
  };
  node("a", {"a", "b", "^a"});
  node("b", {"a:99999999999", "missing", "^"});
  node("", {""});
  node("///", {"///"});
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "s/";
  node(deep + "x", {"a"});
  node("s", {deep + "x"});
  for (uint8_t config : {0x00, 0xf0}) RunGraphOne(0, config, g.SerializeAsString());
  // Truncated and garbage bytes in every mode.
  for (uint8_t mode = 0; mode < 4; ++mode) {
    RunGraphOne(mode, 0, synthetic.substr(0, synthetic.size() / 3));
    RunGraphOne(mode, 0, std::string("\x0a\x05\x0a\x03\x61\x62", 6));
    RunGraphOne(mode, 0, "");
  }
  RunGraphOne(
      1, 0,
      "{\"config\": {\"layers\": [{\"config\": {\"layers\": [{\"inbound_nodes\": [[[\"x\", 0, 0]]]}]}}]}}");
  RunGraphOne(1, 0, std::string(100000, '['));
  // Fuzzer findings (this one came from a fuzz build made while a header changed; kept).
  RunGraphOne(0x2b, 0x69, "");
  SUCCEED();  // the harness aborts on a broken invariant
}

}  // namespace
}  // namespace tbview
