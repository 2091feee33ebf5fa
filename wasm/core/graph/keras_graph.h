// The Keras model config (plugin graph_keras_model: a string tensor holding
// model.to_json()) as a layer graph.
//
// Each layer is a node: name = the layer's name, op = its class_name, attributes
// = its config's members (as compact JSON, truncated for display), dtype from
// `dtype` (a string, or Keras 3's DTypePolicy object), output shape of an
// InputLayer from batch_input_shape / batch_shape. Inputs come from
// `inbound_nodes` in either format:
// - Keras 2 (tf.keras): [[["input_1", 0, 0, {}], ...], ...], a list per call of
//   [layer_name, node_index, tensor_index, kwargs] entries;
// - Keras 3: [{"args": [{"class_name": "__keras_tensor__", "config": {"shape":
//   [...], "keras_history": ["input_layer", 0, 0]}}], "kwargs": {...}}], where
//   tensors may sit anywhere in args and kwargs (the shape becomes the edge's).
// A Sequential model (no inbound_nodes) chains its layers in order.
// A layer that is itself a model (its config has `layers`: Functional,
// Sequential, Model or a subclass) becomes a group: its layers are named
// "outer/inner", edges into it go to its input layers (or its first layer), and
// references to it mean its output layers (output_layers, or its last layer).
#pragma once
#include <string>
#include <string_view>

#include "graph_model.h"

namespace tbview {

bool DecodeKerasModelConfig(std::string_view json, const GraphLimits& limits, GraphModel* out,
                            std::string* error);

}  // namespace tbview
