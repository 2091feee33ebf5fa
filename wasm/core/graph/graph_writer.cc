#include "graph_writer.h"

namespace tbview {
namespace {

proto::AttrValue* NewAttr(proto::NodeDef* node, std::string_view key) {
  proto::AttrEntry* e = node->add_attr();
  e->set_key(std::string(key));
  return e->mutable_value();
}

// A rank-0 string tensor value with graph-plugin metadata (content "1").
void WriteStringValue(EventWriter* w, double wall_time, int64_t step, std::string_view tag,
                      std::string_view plugin, std::string_view bytes) {
  proto::Event event = MakeEvent(wall_time, step);
  proto::Summary::Value* v = AddSummaryValue(&event, tag);
  SetPluginMetadata(v, plugin, "1", proto::DATA_CLASS_UNKNOWN);
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_STRING);
  t->mutable_tensor_shape();
  t->add_string_val(std::string(bytes));
  w->WriteEvent(event);
}

}  // namespace

proto::NodeDef* GraphDefBuilder::Add(std::string_view name, std::string_view op,
                                     std::initializer_list<std::string_view> inputs,
                                     std::string_view device) {
  proto::NodeDef* n = graph_.add_node();
  n->set_name(std::string(name));
  n->set_op(std::string(op));
  for (std::string_view in : inputs) n->add_input(std::string(in));
  if (!device.empty()) n->set_device(std::string(device));
  return n;
}

void GraphDefBuilder::SetType(proto::NodeDef* node, std::string_view key, proto::DataType type) {
  NewAttr(node, key)->set_type(type);
}

void GraphDefBuilder::SetString(proto::NodeDef* node, std::string_view key, std::string_view value) {
  NewAttr(node, key)->set_s(std::string(value));
}

void GraphDefBuilder::SetInt(proto::NodeDef* node, std::string_view key, int64_t value) {
  NewAttr(node, key)->set_i(value);
}

void GraphDefBuilder::SetOutputShapes(proto::NodeDef* node, const std::vector<std::vector<int64_t>>& shapes) {
  proto::AttrValue* v = NewAttr(node, "_output_shapes");
  for (const auto& s : shapes) {
    proto::TensorShapeProto* shape = v->mutable_list()->add_shape();
    for (int64_t d : s) shape->add_dim()->set_size(d);
  }
}

std::string MetaGraphDefOf(std::string_view graph_def) {
  proto::MetaGraphDef meta;
  meta.mutable_graph_def()->ParseFromArray(graph_def.data(), static_cast<int>(graph_def.size()));
  return meta.SerializeAsString();
}

std::string RunMetadataOf(const std::vector<StepStat>& stats, std::string_view device,
                          std::string_view partition_graph) {
  proto::RunMetadata rm;
  proto::DeviceStepStats* dev = rm.mutable_step_stats()->add_dev_stats();
  dev->set_device(std::string(device));
  for (const StepStat& s : stats) {
    proto::NodeExecStats* ns = dev->add_node_stats();
    ns->set_node_name(s.node);
    ns->set_all_end_rel_micros(s.micros);
    if (s.bytes) ns->add_memory()->set_total_bytes(s.bytes);
  }
  if (!partition_graph.empty()) {
    rm.add_partition_graphs()->ParseFromArray(partition_graph.data(),
                                              static_cast<int>(partition_graph.size()));
  }
  return rm.SerializeAsString();
}

void WriteMetaGraphDef(EventWriter* w, double wall_time, std::string_view meta_graph_def) {
  proto::Event event = MakeEvent(wall_time, 0);
  event.set_meta_graph_def(std::string(meta_graph_def));
  w->WriteEvent(event);
}

void WriteKerasModelConfig(EventWriter* w, double wall_time, int64_t step, std::string_view json,
                           std::string_view tag) {
  WriteStringValue(w, wall_time, step, tag, "graph_keras_model", json);
}

void WriteRunMetadataPlugin(EventWriter* w, double wall_time, int64_t step, std::string_view tag,
                            std::string_view plugin, std::string_view run_metadata) {
  WriteStringValue(w, wall_time, step, tag, plugin, run_metadata);
}

}  // namespace tbview
