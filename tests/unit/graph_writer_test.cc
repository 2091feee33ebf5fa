// Round trips of the graph writer (graph_writer.h): events written by it, read
// back with the core's RecordReader and EventDecoder, decode to the graph that
// was written (graph_def, meta_graph_def, Keras config, run metadata plugins and
// tagged run metadata with step stats).
#include "graph_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data_compat.h"
#include "graph_decode.h"
#include "graph_hierarchy.h"
#include "keras_graph.h"
#include "record_reader.h"

namespace tbview {
namespace {

struct Read {
  std::vector<std::string> graph_defs, meta_graph_defs;
  std::vector<std::pair<std::string, std::string>> plugin_values;  // plugin, bytes
};

Read ReadBack(const std::string& bytes) {
  Read r;
  RecordReader reader;
  reader.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  EventDecoder decoder;
  std::string_view payload;
  CompatEvent event;
  std::string error;
  while (reader.next(&payload) == RecordReader::Status::kRecord) {
    EXPECT_TRUE(decoder.Decode(payload, &event, &error)) << error;
    if (event.kind == EventKind::kGraphDef) r.graph_defs.push_back(event.bytes);
    if (event.kind == EventKind::kMetaGraphDef) r.meta_graph_defs.push_back(event.bytes);
    for (const CompatValue& v : event.values) {
      if (!v.tensor.strings.empty())
        r.plugin_values.emplace_back(v.metadata.plugin_name, v.tensor.strings[0]);
    }
  }
  return r;
}

TEST(GraphWriter, GraphEventsRoundTrip) {
  GraphDefBuilder b;
  GraphDefBuilder::SetOutputShapes(b.Add("net/x", "Placeholder"), {{-1, 3}});
  proto::NodeDef* mm = b.Add("net/dense/MatMul", "MatMul", {"net/x"}, "/device:CPU:0");
  GraphDefBuilder::SetType(mm, "T", proto::DT_FLOAT);
  GraphDefBuilder::SetString(mm, "attr", "{ transpose : 0 }");
  GraphDefBuilder::SetInt(mm, "units", 4);
  b.Add("net/relu", "Relu", {"net/dense/MatMul:0"});
  const std::string graph = b.Serialize();

  EventWriter w;
  w.WriteFileVersion(1.0);
  w.WriteGraphDef(1.0, graph);
  WriteMetaGraphDef(&w, 1.0, MetaGraphDefOf(graph));
  WriteKerasModelConfig(&w, 1.0, 0, R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "Dense", "config": {"name": "a"}}, {"class_name": "Dense", "config": {"name": "b"}}]}})");
  const std::string rm =
      RunMetadataOf({{"net/relu", 9, 128}, {"net/dense/MatMul", 30, 0}}, "/device:CPU:0", graph);
  WriteRunMetadataPlugin(&w, 1.0, 3, "step3", "graph_run_metadata", rm);
  w.WriteTaggedRunMetadata(1.0, 4, "step4", rm);

  const Read r = ReadBack(w.bytes());
  ASSERT_EQ(r.graph_defs.size(), 1u);
  ASSERT_EQ(r.meta_graph_defs.size(), 1u);
  ASSERT_EQ(r.plugin_values.size(), 3u);
  EXPECT_EQ(r.plugin_values[0].first, "graph_keras_model");
  EXPECT_EQ(r.plugin_values[1].first, "graph_run_metadata");
  EXPECT_EQ(r.plugin_values[2].first, "graph_tagged_run_metadata");

  GraphModel g, meta, keras;
  std::string error;
  ASSERT_TRUE(DecodeGraphDef(r.graph_defs[0], GraphLimits(), &g, &error)) << error;
  ASSERT_TRUE(DecodeMetaGraphDef(r.meta_graph_defs[0], GraphLimits(), &meta, &error)) << error;
  ASSERT_TRUE(DecodeKerasModelConfig(r.plugin_values[0].second, GraphLimits(), &keras, &error)) << error;
  ASSERT_EQ(g.nodes.size(), 3u);
  ASSERT_EQ(meta.nodes.size(), 3u);
  EXPECT_EQ(keras.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[1].device, "/device:CPU:0");
  EXPECT_EQ(g.nodes[1].dtype, "DT_FLOAT");
  EXPECT_EQ(g.nodes[1].inputs[0].shape, "[?,3]");
  EXPECT_EQ(g.nodes[2].inputs[0].node, 1);
  for (size_t i = 0; i < g.nodes.size(); ++i) EXPECT_EQ(g.nodes[i].name, meta.nodes[i].name);

  for (size_t k = 1; k < 3; ++k) {
    RunMetadataInfo info;
    ASSERT_TRUE(DecodeRunMetadata(r.plugin_values[k].second, GraphLimits(), &info, &error)) << error;
    EXPECT_EQ(info.graph.nodes.size(), 3u);
    GraphModel m = g;
    EXPECT_EQ(ApplyStepStats(info.stats, &m), 2u);
    GraphHierarchy h(std::move(m));
    EXPECT_DOUBLE_EQ(h.item(GraphHierarchy::kRoot).compute_micros, 39);
    EXPECT_EQ(h.item(GraphHierarchy::kRoot).memory_bytes, 128);
  }
}

}  // namespace
}  // namespace tbview
