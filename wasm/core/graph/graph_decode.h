// Decoders from TensorFlow's serialized graph messages (proto/graph.proto) to a
// GraphModel (graph_model.h), and run metadata's step statistics.
//
// Sources, as TensorBoard's graph plugin reads them:
// - Event.graph_def: a GraphDef (TF1 sess.graph, TF2 Keras write_graph, PyTorch
//   add_graph, tensorboardX);
// - Event.meta_graph_def: a MetaGraphDef, whose graph_def is used when a run has
//   no graph_def;
// - RunMetadata (Event.tagged_run_metadata, and the plugins graph_run_metadata,
//   graph_run_metadata_graph and graph_tagged_run_metadata): partition graphs or
//   function graphs, and step stats (compute time and memory per node).
//
// Every decoder takes the bytes and GraphLimits, and on failure returns false
// with a message a user can read ("not a GraphDef: ...", "... over max_nodes").
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph_model.h"

namespace tbview {

// A GraphDef's nodes and function library. Nodes whose op names a library
// function, or whose attr `f` does (PartitionedCall, StatefulPartitionedCall),
// get GraphNode::function set: the viewer expands them into the body.
bool DecodeGraphDef(std::string_view bytes, const GraphLimits& limits, GraphModel* out, std::string* error);

// The graph_def inside a MetaGraphDef.
bool DecodeMetaGraphDef(std::string_view bytes, const GraphLimits& limits, GraphModel* out,
                        std::string* error);

// Per-node totals from RunMetadata.step_stats, keyed by node name.
struct NodeStats {
  double compute_micros = 0;  // sum of all_end_rel (nanos / 1000 when given)
  int64_t memory_bytes = 0;   // sum of memory[].total_bytes
  std::string device;         // the device of the first execution seen
};

struct RunMetadataInfo {
  std::unordered_map<std::string, NodeStats> stats;
  // The graph of the run metadata (see RunMetadataGraphs), merged into one
  // model: with several graphs, each under a top-level "graph_<i>" scope.
  GraphModel graph;
  bool has_graph = false;
  uint64_t partition_graphs = 0;
  uint64_t function_graphs = 0;
};

// Which graphs of a RunMetadata make its graph: TensorBoard shows the function
// graphs' pre-optimization graphs for the graph_run_metadata_graph plugin (TF2
// Keras), and the partition graphs for a TF1 session trace; either way, when the
// preferred kind is absent the other is used.
enum class RunMetadataGraphs { kPartitionGraphsFirst, kFunctionGraphsFirst };

bool DecodeRunMetadata(std::string_view bytes, const GraphLimits& limits, RunMetadataInfo* out,
                       std::string* error,
                       RunMetadataGraphs which = RunMetadataGraphs::kPartitionGraphsFirst);

// Copies step stats onto the model's nodes by name (a stats name "a:Op", as
// some timelines write, matches node "a" when "a:Op" is not a node). Returns how
// many nodes got stats.
uint64_t ApplyStepStats(const std::unordered_map<std::string, NodeStats>& stats, GraphModel* model);

}  // namespace tbview
