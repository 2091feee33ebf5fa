// projector_config.pbtxt: the Embedding Projector's configuration, in protobuf
// text format, read into proto::ProjectorConfig (proto/projector.proto).
//
// Only the text format the projector config uses is understood: fields as
// `name: value` or `name { ... }` (also `name: { ... }` and `< ... >`),
// repeated scalars as `name: [a, b]`, strings in single or double quotes with C
// escapes (adjacent strings concatenate), integers (decimal, hex, octal), `#`
// comments, optional `,` / `;` separators. Unknown fields are skipped (their
// names are listed in `warnings`); extensions (`[ext] {}`) and Any are errors.
//
// Identical repeated `embeddings` entries, as PyTorch's add_embedding leaves
// them when a run is reopened, are kept once (`duplicates_removed` counts them).
// A field set twice keeps the last value, as protobuf's own parser does for
// messages merged from text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "projector_limits.h"
#include "proto/projector.pb.h"

namespace tbview {
namespace projector {

struct ParsedProjectorConfig {
  proto::ProjectorConfig config;
  int duplicates_removed = 0;
  // Things skipped that a reader may want to know (unknown field names).
  std::vector<std::string> warnings;
};

// Parses `text`. On failure returns false and sets `error` to
// "<file>:<line>:<column>: <problem>"; `out` is then unspecified.
bool ParseProjectorConfig(std::string_view text, std::string_view file, const ProjectorLimits& limits,
                          ParsedProjectorConfig* out, std::string* error);

// The `checkpoint` file TensorFlow keeps beside its checkpoints
// (CheckpointState, the same text format): sets `model_checkpoint_path` to the
// latest checkpoint's prefix, as written (relative to the folder or absolute).
// TensorBoard uses it when projector_config.pbtxt names no checkpoint.
bool ParseCheckpointState(std::string_view text, std::string_view file, const ProjectorLimits& limits,
                          std::string* model_checkpoint_path, std::string* error);

}  // namespace projector
}  // namespace tbview
