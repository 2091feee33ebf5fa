#include "keras_graph.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "json_reader.h"

namespace tbview {
namespace {

struct Ref {
  std::string name;   // layer name at the referring level
  std::string shape;  // Keras 3 tensor shape, when given
};

// Every layer reference inside an inbound_nodes value, in order.
void CollectRefs(const JsonValue& v, const GraphLimits& limits, std::vector<Ref>* out) {
  if (v.is_object()) {
    if (const JsonValue* hist = v.Find("keras_history")) {
      if (hist->is_array() && !hist->items().empty() && hist->items()[0].is_string()) {
        Ref r;
        r.name = hist->items()[0].str();
        if (const JsonValue* shape = v.Find("shape")) r.shape = shape->ToText(limits.max_attr_display_bytes);
        out->push_back(std::move(r));
        return;
      }
    }
    for (const auto& m : v.members()) CollectRefs(m.second, limits, out);
    return;
  }
  if (!v.is_array()) return;
  const auto& items = v.items();
  // Keras 2 entry: [name, node_index, tensor_index, kwargs?].
  if (items.size() >= 3 && items[0].is_string() && items[1].is_number() && items[2].is_number()) {
    out->push_back(Ref{items[0].str(), ""});
    if (items.size() >= 4) CollectRefs(items[3], limits, out);  // tensors passed as kwargs
    return;
  }
  for (const JsonValue& e : items) CollectRefs(e, limits, out);
}

bool IsModelLayer(const JsonValue& layer) {
  const JsonValue* config = layer.Find("config");
  if (!config) return false;
  if (config->is_array()) return true;  // very old Sequential: config is the layer list
  const JsonValue* layers = config->Find("layers");
  return layers && layers->is_array();
}

std::string DtypeOf(const JsonValue& config) {
  const JsonValue* d = config.Find("dtype");
  if (!d) return "";
  if (d->is_string()) return d->str();
  if (d->is_object()) {  // Keras 3 DTypePolicy {"class_name":..., "config": {"name": "float32"}}
    if (const JsonValue* c = d->Find("config")) return std::string(c->StringAt("name"));
  }
  return "";
}

class KerasBuilder {
 public:
  KerasBuilder(const GraphLimits& limits, GraphModel* out) : limits_(limits), out_(out) {}

  // The model of `config` (an object with `layers`, or a bare layer list) under
  // `prefix`. Fills the names other layers connect to: entries (input layers,
  // else the first layer) and exits (output_layers, else the last layer).
  bool AddModel(const JsonValue& config, const std::string& prefix, bool sequential, uint32_t nesting,
                std::vector<std::string>* entries, std::vector<std::string>* exits, std::string* error) {
    if (nesting > limits_.max_keras_nesting) {
      *error = "Keras models nested deeper than max_keras_nesting (" +
               std::to_string(limits_.max_keras_nesting) + ")";
      return false;
    }
    const JsonValue* layers = config.is_array() ? &config : config.Find("layers");
    if (!layers || !layers->is_array()) return true;
    // Per layer at this level: the nodes a reference to it means, and pending inputs.
    std::unordered_map<std::string, std::vector<std::string>> outputs_of;
    struct Pending {
      std::vector<std::string> targets;  // full names of the nodes that take these inputs
      std::vector<Ref> refs;
    };
    std::vector<Pending> pending;
    std::vector<std::string> prev_exits;
    std::vector<std::string> first_entries, last_exits, inputs;
    size_t index = 0;
    for (const JsonValue& layer : layers->items()) {
      if (!layer.is_object()) continue;
      const JsonValue* lc = layer.Find("config");
      std::string name(layer.StringAt("name"));
      if (name.empty() && lc && lc->is_object()) name = std::string(lc->StringAt("name"));
      if (name.empty()) name = "layer_" + std::to_string(index);
      ++index;
      const std::string full = prefix + name;
      std::vector<std::string> my_entries, my_exits;
      if (IsModelLayer(layer)) {
        const bool seq = layer.StringAt("class_name") == "Sequential";
        if (!AddModel(*lc, full + "/", seq, nesting + 1, &my_entries, &my_exits, error)) return false;
      } else {
        if (!AddLayer(layer, full, error)) return false;
        my_entries = {full};
        my_exits = {full};
        if (layer.StringAt("class_name") == "InputLayer") inputs.push_back(full);
      }
      Pending p;
      p.targets = my_entries;
      if (const JsonValue* inbound = layer.Find("inbound_nodes")) CollectRefs(*inbound, limits_, &p.refs);
      const bool has_inbound = !p.refs.empty();
      if (!has_inbound && (sequential || !layer.Find("inbound_nodes")) && !prev_exits.empty() &&
          layer.StringAt("class_name") != "InputLayer") {
        // Chained to the previous layer; "\x01" marks a full name (not a layer name).
        for (const std::string& e : prev_exits) p.refs.push_back(Ref{"\x01" + e, ""});
      }
      pending.push_back(std::move(p));
      if (first_entries.empty()) first_entries = my_entries;
      last_exits = my_exits;
      prev_exits = my_exits;
      outputs_of[name] = std::move(my_exits);
    }
    // Connect: a reference names a layer of this level (or, failing that, is kept
    // as written so the resolver reports it missing).
    for (const Pending& p : pending) {
      for (const Ref& r : p.refs) {
        std::vector<std::string> sources;
        if (!r.name.empty() && r.name[0] == '\x01') {
          sources.push_back(r.name.substr(1));
        } else if (auto it = outputs_of.find(r.name); it != outputs_of.end()) {
          sources = it->second;
        } else {
          sources.push_back(prefix + r.name);
        }
        for (const std::string& t : p.targets) {
          const auto target = node_index_.find(t);
          if (target == node_index_.end()) continue;
          GraphNode& node = out_->nodes[target->second];
          for (const std::string& s : sources) {
            if (++inputs_ > limits_.max_inputs) {
              *error =
                  "Keras model has more than max_inputs (" + std::to_string(limits_.max_inputs) + ") inputs";
              return false;
            }
            if (!input_names_[target->second].insert(s).second) continue;  // each source once
            GraphInput in;
            in.name = s;
            in.shape = r.shape;
            node.inputs.push_back(std::move(in));
          }
        }
      }
    }
    *entries = inputs.empty() ? first_entries : inputs;
    *exits = last_exits;
    if (const JsonValue* outs = config.is_object() ? config.Find("output_layers") : nullptr) {
      std::vector<Ref> refs;
      CollectRefs(*outs, limits_, &refs);
      std::vector<std::string> named;
      for (const Ref& r : refs) {
        auto it = outputs_of.find(r.name);
        if (it != outputs_of.end()) named.insert(named.end(), it->second.begin(), it->second.end());
      }
      if (!named.empty()) *exits = named;
    }
    return true;
  }

 private:
  bool AddLayer(const JsonValue& layer, const std::string& full, std::string* error) {
    if (out_->nodes.size() >= limits_.max_nodes) {
      *error = "Keras model has more than max_nodes (" + std::to_string(limits_.max_nodes) + ") layers";
      return false;
    }
    if (node_index_.count(full)) {
      // A repeated layer name: keep the first; references mean it.
      AddGraphWarning(out_, "repeated Keras layer name \"" + full + "\"");
      return true;
    }
    GraphNode n;
    n.name = full;
    n.op = std::string(layer.StringAt("class_name"));
    if (const JsonValue* config = layer.Find("config"); config && config->is_object()) {
      n.dtype = DtypeOf(*config);
      for (const auto& m : config->members()) {
        if (m.first == "name" || m.first == "layers") continue;
        GraphAttr a;
        a.key = m.first;
        a.value = m.second.ToText(limits_.max_attr_display_bytes, &a.full_bytes);
        a.truncated = a.full_bytes > a.value.size();
        if (m.first == "batch_input_shape" || m.first == "batch_shape") n.output_shapes.push_back(a.value);
        n.attrs.push_back(std::move(a));
      }
    }
    node_index_.emplace(full, out_->nodes.size());
    out_->nodes.push_back(std::move(n));
    return true;
  }

  const GraphLimits& limits_;
  GraphModel* out_;
  std::unordered_map<std::string, size_t> node_index_;
  // Per node, the sources it already has (so a layer called on one tensor many
  // times costs a lookup per reference, not a scan).
  std::unordered_map<size_t, std::unordered_set<std::string>> input_names_;
  uint64_t inputs_ = 0;
};

}  // namespace

bool DecodeKerasModelConfig(std::string_view json, const GraphLimits& limits, GraphModel* out,
                            std::string* error) {
  JsonLimits jl;
  jl.max_bytes = limits.max_graph_bytes;
  jl.max_depth = limits.max_json_depth;
  jl.max_values = limits.max_json_values;
  JsonValue root;
  std::string why;
  if (!ParseJson(json, jl, &root, &why)) {
    *error = "not a Keras model config: " + why;
    return false;
  }
  const JsonValue* config = root.Find("config");
  if (!root.is_object() || !config || !(config->is_object() || config->is_array())) {
    *error = "not a Keras model config: no \"config\" object";
    return false;
  }
  GraphModel model;
  KerasBuilder builder(limits, &model);
  std::vector<std::string> entries, exits;
  const bool sequential = root.StringAt("class_name") == "Sequential";
  if (!builder.AddModel(*config, "", sequential, 0, &entries, &exits, error)) return false;
  ResolveGraphInputs(&model.nodes, &model);
  *out = std::move(model);
  return true;
}

}  // namespace tbview
