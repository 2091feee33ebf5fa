// Writing graph events, in writer.h's style: the records TensorFlow, Keras and
// PyTorch write for the Graphs view, so tests and the demo logs can make them.
// - Event.graph_def: EventWriter::WriteGraphDef (writer.h), with a GraphDef
//   made by GraphDefBuilder (or graph_synthetic.h);
// - Event.meta_graph_def: WriteMetaGraphDef (a MetaGraphDef holding a graph_def,
//   as TF1's FileWriter.add_meta_graph writes it);
// - the Keras model config: WriteKerasModelConfig, a rank-0 string tensor under
//   tag "keras", plugin graph_keras_model with content "1" (as
//   tf.keras.callbacks.TensorBoard(write_graph=True) writes it);
// - RunMetadata: EventWriter::WriteTaggedRunMetadata (writer.h), or
//   WriteRunMetadataPlugin for the graph_run_metadata / graph_run_metadata_graph
//   plugins (a rank-0 string tensor of the serialized RunMetadata, content "1").
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "proto/graph.pb.h"
#include "writer.h"

namespace tbview {

// Builds a GraphDef node by node. Node inputs are written as given ("a",
// "a:1", "^a"); nothing is checked, so tests can build broken graphs too.
class GraphDefBuilder {
 public:
  proto::NodeDef* Add(std::string_view name, std::string_view op,
                      std::initializer_list<std::string_view> inputs = {}, std::string_view device = "");
  // Attributes of a node (appended; a key may be given twice, as a hostile
  // writer could).
  static void SetType(proto::NodeDef* node, std::string_view key, proto::DataType type);
  static void SetString(proto::NodeDef* node, std::string_view key, std::string_view value);
  static void SetInt(proto::NodeDef* node, std::string_view key, int64_t value);
  // _output_shapes: one shape per output, -1 for an unknown dimension.
  static void SetOutputShapes(proto::NodeDef* node, const std::vector<std::vector<int64_t>>& shapes);

  proto::GraphDef& graph() { return graph_; }
  std::string Serialize() const { return graph_.SerializeAsString(); }

 private:
  proto::GraphDef graph_;
};

// A serialized MetaGraphDef whose graph_def is the serialized `graph_def`.
std::string MetaGraphDefOf(std::string_view graph_def);

// A serialized RunMetadata with one device's step stats: per node name, its
// all_end_rel_micros and memory total_bytes.
struct StepStat {
  std::string node;
  int64_t micros = 0;
  int64_t bytes = 0;
};
std::string RunMetadataOf(const std::vector<StepStat>& stats, std::string_view device = "/device:CPU:0",
                          std::string_view partition_graph = "");

void WriteMetaGraphDef(EventWriter* w, double wall_time, std::string_view meta_graph_def);
void WriteKerasModelConfig(EventWriter* w, double wall_time, int64_t step, std::string_view json,
                           std::string_view tag = "keras");
// plugin: "graph_run_metadata" or "graph_run_metadata_graph".
void WriteRunMetadataPlugin(EventWriter* w, double wall_time, int64_t step, std::string_view tag,
                            std::string_view plugin, std::string_view run_metadata);

}  // namespace tbview
