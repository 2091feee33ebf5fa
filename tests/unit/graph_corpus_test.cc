// The graph logs of the plugins corpus (../shared/corpus-plugins beside the
// checkout, or TBVIEW_CORPUS_PLUGINS): every event file INDEX.tsv lists as kind
// "graph" is read with the core's RecordReader and EventDecoder; its graph_def,
// meta_graph_def, Keras model config and run metadata are pulled out here and
// decoded. Checked against counts made independently in this file (protobuf
// parses, the JSON layer list, INDEX.tsv's max_nodes): node counts, that the top
// level is the set of first name components, and step stats rolled up to the root.
// Skips, saying so, when the corpus is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "data_compat.h"
#include "graph_decode.h"
#include "graph_hierarchy.h"
#include "json_reader.h"
#include "keras_graph.h"
#include "proto/graph.pb.h"
#include "record_reader.h"
#include "support/corpus.h"

namespace tbview {
namespace {

namespace fs = std::filesystem;

std::string CorpusPluginsDir() { return test::PluginsCorpusDir(); }

struct GraphLog {
  std::string path;
  int64_t max_nodes = -1;  // from INDEX.tsv's notes, when given
};

std::vector<GraphLog> GraphLogs(const std::string& dir) {
  std::vector<GraphLog> out;
  std::ifstream index(dir + "/INDEX.tsv");
  std::string line;
  std::getline(index, line);  // header
  while (std::getline(index, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 8 || cols[5] != "graph" || cols[0].find("tfevents") == std::string::npos) continue;
    GraphLog log;
    log.path = dir + "/files/" + cols[0];
    const size_t at = cols[7].find("max_nodes=");
    if (at != std::string::npos) log.max_nodes = std::atoll(cols[7].c_str() + at + 10);
    out.push_back(log);
  }
  return out;
}

struct Pulled {
  std::vector<std::string> graph_defs, meta_graph_defs, keras;
  std::vector<std::pair<std::string, std::string>> run_metadata;  // plugin, bytes
};

Pulled ReadLog(const std::string& path) {
  Pulled p;
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  RecordReader reader;
  reader.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  EventDecoder decoder;
  std::string_view payload;
  CompatEvent event;
  std::string error;
  while (reader.next(&payload) == RecordReader::Status::kRecord) {
    if (!decoder.Decode(payload, &event, &error)) continue;
    if (event.kind == EventKind::kGraphDef) p.graph_defs.push_back(event.bytes);
    if (event.kind == EventKind::kMetaGraphDef) p.meta_graph_defs.push_back(event.bytes);
    for (const CompatValue& v : event.values) {
      const std::string& plugin = v.metadata.plugin_name;
      if (v.tensor.strings.empty()) continue;
      if (plugin == "graph_keras_model") p.keras.push_back(v.tensor.strings[0]);
      if (plugin == "graph_run_metadata" || plugin == "graph_run_metadata_graph" ||
          plugin == "graph_tagged_run_metadata") {
        p.run_metadata.emplace_back(plugin, v.tensor.strings[0]);
      }
    }
  }
  return p;
}

// The hierarchy's top level, as names: a series stands for its members.
std::set<std::string> TopLevel(const GraphHierarchy& h) {
  std::set<std::string> out;
  for (int32_t c : h.Expand(GraphHierarchy::kRoot).children) {
    if (h.item(c).kind == GraphItem::Kind::kSeries) {
      for (int32_t m : h.item(c).children) out.insert(h.item(m).label);
    } else {
      out.insert(h.item(c).label);
    }
  }
  return out;
}

// What the scopes say the top level is: the first non-empty component of each name.
std::set<std::string> FirstComponents(const proto::GraphDef& g) {
  std::set<std::string> out;
  for (const auto& n : g.node()) {
    const std::string& name = n.name();
    size_t start = 0;
    while (start < name.size() && name[start] == '/') ++start;
    out.insert(name.substr(start, name.find('/', start) - start));
  }
  return out;
}

// Layers of a Keras config that are not models themselves, counted directly.
size_t CountKerasLayers(const JsonValue& config) {
  const JsonValue* layers = config.is_array() ? &config : config.Find("layers");
  if (!layers) return 0;
  size_t n = 0;
  for (const JsonValue& l : layers->items()) {
    const JsonValue* c = l.Find("config");
    const bool model = c && (c->is_array() || (c->Find("layers") && c->Find("layers")->is_array()));
    n += model ? CountKerasLayers(*c) : 1;
  }
  return n;
}

TEST(GraphCorpus, EveryGraphLogDecodesWithItsCountsAndTopLevel) {
  const std::string dir = CorpusPluginsDir();
  if (!fs::exists(dir + "/INDEX.tsv"))
    GTEST_SKIP() << "no plugins corpus at " << dir << " (set TBVIEW_CORPUS_PLUGINS)";
  const std::vector<GraphLog> logs = GraphLogs(dir);
  ASSERT_FALSE(logs.empty());
  size_t graphs = 0, metas = 0, keras = 0, run_metadata = 0, with_stats = 0;
  for (const GraphLog& log : logs) {
    SCOPED_TRACE(log.path);
    const Pulled p = ReadLog(log.path);
    int64_t max_nodes = -1;
    std::vector<GraphModel> models;
    for (const std::string& bytes : p.graph_defs) {
      proto::GraphDef g;
      ASSERT_TRUE(g.ParseFromString(bytes));
      GraphModel m;
      std::string error;
      ASSERT_TRUE(DecodeGraphDef(bytes, GraphLimits(), &m, &error)) << error;
      ASSERT_EQ(m.nodes.size(), static_cast<size_t>(g.node_size()));
      max_nodes = std::max<int64_t>(max_nodes, g.node_size());
      GraphHierarchy h{GraphModel(m)};
      EXPECT_EQ(h.item(GraphHierarchy::kRoot).leaf_count(), m.nodes.size());
      EXPECT_EQ(TopLevel(h), FirstComponents(g));
      models.push_back(std::move(m));
      ++graphs;
    }
    if (log.max_nodes >= 0 && !p.graph_defs.empty()) {
      EXPECT_EQ(max_nodes, log.max_nodes);
    }
    for (const std::string& bytes : p.meta_graph_defs) {
      proto::MetaGraphDef meta;
      ASSERT_TRUE(meta.ParseFromString(bytes));
      GraphModel m;
      std::string error;
      ASSERT_TRUE(DecodeMetaGraphDef(bytes, GraphLimits(), &m, &error)) << error;
      EXPECT_EQ(m.nodes.size(), static_cast<size_t>(meta.graph_def().node_size()));
      GraphHierarchy h{std::move(m)};
      EXPECT_EQ(TopLevel(h), FirstComponents(meta.graph_def()));
      ++metas;
    }
    for (const std::string& json : p.keras) {
      JsonValue root;
      std::string error;
      ASSERT_TRUE(ParseJson(json, JsonLimits(), &root, &error)) << error;
      GraphModel m;
      ASSERT_TRUE(DecodeKerasModelConfig(json, GraphLimits(), &m, &error)) << error;
      EXPECT_EQ(m.nodes.size(), CountKerasLayers(*root.Find("config")));
      EXPECT_EQ(m.missing_inputs, 0u);
      size_t edges = 0;
      for (const GraphNode& n : m.nodes) edges += n.inputs.size();
      EXPECT_GE(edges + 1, m.nodes.size());  // connected: at least a chain
      ++keras;
    }
    for (const auto& [plugin, bytes] : p.run_metadata) {
      // TensorBoard shows the function graphs for graph_run_metadata_graph.
      const bool functions_first = plugin == "graph_run_metadata_graph";
      proto::RunMetadata rm;
      ASSERT_TRUE(rm.ParseFromString(bytes));
      RunMetadataInfo info;
      std::string error;
      ASSERT_TRUE(DecodeRunMetadata(bytes, GraphLimits(), &info, &error,
                                    functions_first ? RunMetadataGraphs::kFunctionGraphsFirst
                                                    : RunMetadataGraphs::kPartitionGraphsFirst))
          << error;
      size_t partition_nodes = 0, function_nodes = 0;
      for (const auto& g : rm.partition_graphs()) partition_nodes += g.node_size();
      for (const auto& f : rm.function_graphs()) function_nodes += f.pre_optimization_graph().node_size();
      const size_t expected_nodes = functions_first ? (function_nodes ? function_nodes : partition_nodes)
                                                    : (partition_nodes ? partition_nodes : function_nodes);
      EXPECT_EQ(info.graph.nodes.size(), expected_nodes);
      ++run_metadata;
      if (info.stats.empty() || models.empty()) continue;
      // Step stats onto this file's graph, rolled up to the root: the sum of the
      // stats of the nodes it has, counted here from the proto.
      GraphModel m = models.front();
      std::set<std::string> names;
      for (const GraphNode& n : m.nodes) names.insert(n.name);
      double expected = 0;
      for (const auto& dev : rm.step_stats().dev_stats()) {
        for (const auto& ns : dev.node_stats()) {
          if (names.count(ns.node_name())) expected += double(ns.all_end_rel_micros());
        }
      }
      const uint64_t matched = ApplyStepStats(info.stats, &m);
      EXPECT_GT(matched, 0u);
      GraphHierarchy h{std::move(m)};
      EXPECT_NEAR(h.item(GraphHierarchy::kRoot).compute_micros, expected, 1e-6 * (1 + expected));
      ++with_stats;
    }
  }
  std::printf(
      "[ graphs   ] %zu graph logs: %zu graph_defs, %zu meta_graph_defs, %zu Keras configs, "
      "%zu run metadata (%zu with step stats on a graph)\n",
      logs.size(), graphs, metas, keras, run_metadata, with_stats);
  // INDEX.tsv lists TF1, TF2 Keras and PyTorch graphs: each kind was seen.
  EXPECT_GT(graphs, 0u);
  EXPECT_GT(metas, 0u);
  EXPECT_GT(keras, 0u);
  EXPECT_GT(run_metadata, 0u);
}

}  // namespace
}  // namespace tbview
