#include "graph_synthetic.h"

#include <initializer_list>
#include <vector>

#include "proto/graph.pb.h"

namespace tbview {
namespace {

constexpr int kAttentionOps = 4 * 6, kNormOps = 2 * 4, kMlpOps = 12;
constexpr int kOtherOps = 2 + 4 + 1 + 2 + 2 + 3;  // inputs, embedding, global_step, head, loss, summaries

class Builder {
 public:
  explicit Builder(proto::GraphDef* g) : g_(g) {}

  // A node with `inputs` and one output of `shape` (dims; -1 unknown).
  void Node(const std::string& name, const char* op, const std::vector<std::string>& inputs,
            std::initializer_list<int64_t> shape = {-1, 512}) {
    proto::NodeDef* n = g_->add_node();
    n->set_name(name);
    n->set_op(op);
    for (const std::string& in : inputs) n->add_input(in);
    proto::AttrEntry* t = n->add_attr();
    t->set_key("T");
    t->mutable_value()->set_type(proto::DT_FLOAT);
    proto::AttrEntry* shapes = n->add_attr();
    shapes->set_key("_output_shapes");
    proto::TensorShapeProto* s = shapes->mutable_value()->mutable_list()->add_shape();
    for (int64_t d : shape) s->add_dim()->set_size(d);
  }

 private:
  proto::GraphDef* g_;
};

// One norm scope over x; returns its output.
std::string Norm(Builder* b, const std::string& scope, const std::string& x) {
  b->Node(scope + "mean", "Mean", {x});
  b->Node(scope + "sub", "Sub", {x, scope + "mean"});
  b->Node(scope + "variance", "SquaredDifference", {scope + "sub"});
  b->Node(scope + "rsqrt", "Rsqrt", {scope + "variance"});
  return scope + "rsqrt";
}

}  // namespace

uint64_t SyntheticNodeCount(const SyntheticGraphOptions& o) {
  return uint64_t(o.blocks) * (kAttentionOps + kNormOps + kMlpOps + o.block_ops) + kOtherOps;
}

std::string SyntheticTransformerGraphDef(const SyntheticGraphOptions& o) {
  proto::GraphDef g;
  g.mutable_versions()->set_producer(1205);
  Builder b(&g);
  b.Node("inputs/tokens", "Placeholder", {}, {-1, 128});
  b.Node("inputs/mask", "Placeholder", {}, {-1, 128});
  b.Node("embedding/table", "VariableV2", {}, {32000, 512});
  b.Node("embedding/lookup", "GatherV2", {"embedding/table", "inputs/tokens"}, {-1, 128, 512});
  b.Node("embedding/pos", "Const", {}, {128, 512});
  b.Node("embedding/add", "AddV2", {"embedding/lookup", "embedding/pos"}, {-1, 128, 512});
  b.Node("global_step", "VariableV2", {}, {});
  static const char* const kOps[6] = {"Mul", "AddV2", "Relu", "Tanh", "Sigmoid", "Identity"};
  static const char* const kNames[6] = {"mul", "add", "relu", "tanh", "sigmoid", "identity"};
  std::string x = "embedding/add";
  for (int i = 0; i < o.blocks; ++i) {
    const std::string blk = "block_" + std::to_string(i) + "/";
    const std::string n1 = Norm(&b, blk + "norm_1/", x);
    std::vector<std::string> heads;
    for (const char* part : {"query", "key", "value", "output"}) {
      const std::string s = blk + "attention/" + part + "/";
      b.Node(s + "kernel", "VariableV2", {}, {512, 512});
      b.Node(s + "bias", "VariableV2", {}, {512});
      std::vector<std::string> in = {n1, s + "kernel"};
      if (std::string(part) == "output") in = {heads[0], heads[1], heads[2], s + "kernel"};
      b.Node(s + "MatMul", "MatMul", in);
      b.Node(s + "BiasAdd", "BiasAdd", {s + "MatMul", s + "bias"});
      b.Node(s + "Reshape", "Reshape", {s + "BiasAdd"}, {-1, 8, 64});
      b.Node(s + "Identity", "Identity", {s + "Reshape"}, {-1, 8, 64});
      heads.push_back(s + "Identity");
    }
    std::string prev = heads[3];
    std::vector<std::string> direct;
    for (int k = 0; k < o.block_ops; ++k) {
      const std::string name = blk + kNames[k % 6] + "_" + std::to_string(k);
      std::vector<std::string> in = {prev};
      if (k == 0) in.push_back("global_step");
      if (k % 7 == 0 && k >= 7) in.push_back(direct[k - 7]);
      b.Node(name, kOps[k % 6], in);
      direct.push_back(name);
      prev = name;
    }
    const std::string n2 = Norm(&b, blk + "norm_2/", prev);
    const std::string m = blk + "mlp/";
    b.Node(m + "kernel_in", "VariableV2", {}, {512, 2048});
    b.Node(m + "bias_in", "VariableV2", {}, {2048});
    b.Node(m + "matmul_in", "MatMul", {n2, m + "kernel_in"}, {-1, 2048});
    b.Node(m + "bias_add_in", "BiasAdd", {m + "matmul_in", m + "bias_in"}, {-1, 2048});
    b.Node(m + "gelu", "Gelu", {m + "bias_add_in"}, {-1, 2048});
    b.Node(m + "kernel_out", "VariableV2", {}, {2048, 512});
    b.Node(m + "bias_out", "VariableV2", {}, {512});
    b.Node(m + "matmul_out", "MatMul", {m + "gelu", m + "kernel_out"});
    b.Node(m + "bias_add_out", "BiasAdd", {m + "matmul_out", m + "bias_out"});
    b.Node(m + "dropout", "Dropout", {m + "bias_add_out"});
    b.Node(m + "residual", "AddV2", {m + "dropout", x});
    b.Node(m + "identity", "Identity", {m + "residual"});
    x = m + "identity";
  }
  b.Node("head/kernel", "VariableV2", {}, {512, 32000});
  b.Node("head/logits", "MatMul", {x, "head/kernel"}, {-1, 32000});
  b.Node("loss/xent", "SoftmaxCrossEntropyWithLogits", {"head/logits", "inputs/tokens"}, {-1});
  b.Node("loss/mean", "Mean", {"loss/xent"}, {});
  b.Node("summaries/loss", "ScalarSummary", {"loss/mean"}, {});
  b.Node("summaries/lr", "ScalarSummary", {"global_step"}, {});
  b.Node("summaries/merged", "MergeSummary", {"summaries/loss", "summaries/lr"}, {});
  return g.SerializeAsString();
}

}  // namespace tbview
