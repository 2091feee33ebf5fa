#include "graph_model.h"

#include <string_view>
#include <unordered_map>

namespace tbview {

void AddGraphWarning(GraphModel* model, std::string message) {
  if (model && model->warnings.size() < kMaxGraphWarnings) model->warnings.push_back(std::move(message));
}

namespace {

// The digits of s as a non-negative int32, or -1 when s is not all digits (or
// too long to be an output index).
int32_t SmallNumber(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

void ParseInputRef(const std::string& text, std::string* name, int32_t* output, bool* control) {
  std::string_view t(text);
  *control = !t.empty() && t[0] == '^';
  if (*control) t.remove_prefix(1);
  *output = 0;
  const size_t first = t.find(':');
  if (first != std::string_view::npos) {
    const size_t last = t.rfind(':');
    const int32_t k = SmallNumber(t.substr(last + 1));
    if (k >= 0) *output = k;
    // "a:3" -> a; "a:out:1" and "a:out" -> a (function bodies name output args).
    t = t.substr(0, first);
  }
  name->assign(t);
}

void ResolveGraphInputs(std::vector<GraphNode>* nodes, GraphModel* model) {
  // Unique names first: a repeated name gets " (2)", " (3)", ... The index views
  // the nodes' names (the vector does not change size while it is used).
  std::unordered_map<std::string_view, int32_t> index;
  index.reserve(nodes->size() * 2);
  // Per repeated name, the next suffix to try: a million nodes named "a" cost a
  // million lookups, not half a million squared.
  std::unordered_map<std::string, int> next_suffix;
  for (size_t i = 0; i < nodes->size(); ++i) {
    GraphNode& n = (*nodes)[i];
    if (index.count(n.name)) {
      const std::string base = n.name;
      int& next = next_suffix.emplace(base, 2).first->second;
      for (int k = next;; ++k) {
        std::string candidate = base + " (" + std::to_string(k) + ")";
        if (!index.count(candidate)) {
          n.name = std::move(candidate);
          next = k + 1;
          break;
        }
      }
      AddGraphWarning(model, "repeated node name \"" + base + "\" (renamed \"" + n.name + "\")");
    }
    index.emplace(n.name, static_cast<int32_t>(i));
  }
  for (GraphNode& n : *nodes) {
    for (GraphInput& in : n.inputs) {
      // in.name holds the reference as written (without '^'). An exact match
      // wins, so a name that itself contains ':' still resolves.
      auto it = index.find(in.name);
      if (it == index.end()) {
        std::string name;
        int32_t output = 0;
        bool control = false;
        ParseInputRef(in.name, &name, &output, &control);
        it = index.find(name);
        in.name = std::move(name);
        in.output = output;
      }
      if (it != index.end()) {
        in.node = it->second;
        const GraphNode& src = (*nodes)[it->second];
        if (!in.control && in.output >= 0 && static_cast<size_t>(in.output) < src.output_shapes.size()) {
          in.shape = src.output_shapes[in.output];
        }
      } else {
        in.node = -1;
        if (model) {
          ++model->missing_inputs;
          AddGraphWarning(model, "node \"" + n.name + "\" names a missing input \"" + in.name + "\"");
        }
      }
    }
  }
}

}  // namespace tbview
