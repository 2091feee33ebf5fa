// libFuzzer entry point for fuzz::GraphOne (graph_fuzz_harness.h, which says
// what is checked): the GraphDef, MetaGraphDef, RunMetadata and Keras decoders
// and the hierarchy. Built with -DTBVIEW_FUZZ=ON; run by `scripts/fuzz.sh 5 graph`.
//
// Seeds: seed_corpus.cc does not know this target, so LLVMFuzzerInitialize
// writes a few seeds (a generated transformer GraphDef, a function library,
// RunMetadata with step stats, a MetaGraphDef, Keras 2 and 3 configs) into any
// corpus folder named on the command line that does not exist yet.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "graph_fuzz_harness.h"
#include "graph_synthetic.h"
#include "proto/graph.pb.h"

namespace {

namespace fs = std::filesystem;
using namespace tbview;

proto::NodeDef* Node(proto::GraphDef* g, const char* name, const char* op, std::vector<const char*> inputs) {
  proto::NodeDef* n = g->add_node();
  n->set_name(name);
  n->set_op(op);
  for (const char* in : inputs) n->add_input(in);
  return n;
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  auto add = [&](uint8_t mode, const std::string& payload) {
    seeds.push_back(std::string{char(mode), char(0x35)} + payload);
  };
  SyntheticGraphOptions small;
  small.blocks = 2;
  small.block_ops = 12;
  add(0, SyntheticTransformerGraphDef(small));
  proto::GraphDef g;
  Node(&g, "x", "Placeholder", {});
  proto::NodeDef* call = Node(&g, "scope/call", "StatefulPartitionedCall", {"x", "^x"});
  proto::AttrEntry* f = call->add_attr();
  f->set_key("f");
  f->mutable_value()->mutable_func()->set_name("fn");
  Node(&g, "add_1", "Add", {"x", "scope/call:1"});
  Node(&g, "add_2", "Add", {"add_1"});
  proto::FunctionDef* fn = g.mutable_library()->add_function();
  fn->mutable_signature()->set_name("fn");
  fn->mutable_signature()->add_input_arg()->set_name("a");
  proto::NodeDef* body = fn->add_node_def();
  body->set_name("r");
  body->set_op("Relu");
  body->add_input("a");
  proto::FunctionDef::StringEntry* ret = fn->add_ret();
  ret->set_key("out");
  ret->set_value("r:activations:0");
  add(0, g.SerializeAsString());
  proto::MetaGraphDef meta;
  *meta.mutable_graph_def() = g;
  add(2, meta.SerializeAsString());
  proto::RunMetadata rm;
  proto::NodeExecStats* s = rm.mutable_step_stats()->add_dev_stats()->add_node_stats();
  s->set_node_name("add_1");
  s->set_all_end_rel_micros(7);
  s->add_memory()->set_total_bytes(64);
  *rm.add_partition_graphs() = g;
  add(3, rm.SerializeAsString());
  add(1, R"({"class_name": "Functional", "config": {"name": "m", "layers": [
    {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 3]}, "name": "in",
     "inbound_nodes": []},
    {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d"}}]},
     "name": "s", "inbound_nodes": [[["in", 0, 0, {}]]]},
    {"class_name": "Add", "config": {"name": "add"}, "name": "add", "inbound_nodes": [{"args": [[
      {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "keras_history": ["s", 0, 0]}},
      {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "keras_history": ["in", 0, 0]}}]],
      "kwargs": {}}]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["add", 0, 0]]}})");
  return seeds;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i < *argc; ++i) {
    const std::string arg = (*argv)[i];
    if (arg.empty() || arg[0] == '-') continue;
    std::error_code ec;
    if (fs::exists(arg, ec)) continue;
    fs::create_directories(arg, ec);
    if (ec) continue;
    int n = 0;
    for (const std::string& seed : Seeds()) {
      std::ofstream out(fs::path(arg) / ("graph_seed_" + std::to_string(n++)), std::ios::binary);
      out << seed;
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tbview::fuzz::GraphOne(data, size);
  return 0;
}
