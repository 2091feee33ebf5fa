// Limits that bound what a hostile or broken projector file can make the engine do.
//
// As in input_limits.h, every size in a file is a claim: a TSV may go on for
// ever, a tensor_shape or a checkpoint entry may claim 10^12 floats, a pbtxt may
// nest without end. The readers check each claim against these limits before
// allocating, and reaching one fails that file with a message naming the limit.
#pragma once
#include <cstdint>

namespace tbview {
namespace projector {

struct ProjectorLimits {
  // Most floats in one embedding matrix (rows x columns): 1 GiB of float32,
  // a quarter of wasm32's 4 GiB address space.
  uint64_t max_matrix_floats = 256ull << 20;
  // Most columns (dimensions) of one embedding.
  uint64_t max_columns = 1ull << 16;
  // Most characters of one number in a TSV (longer is not a float anyone wrote).
  uint64_t max_number_chars = 64;
  // Largest projector_config.pbtxt, and deepest nesting of its messages.
  uint64_t max_config_bytes = 4ull << 20;
  uint64_t max_config_depth = 16;
  // Largest metadata.tsv, and most columns in it.
  uint64_t max_metadata_bytes = 1ull << 30;
  uint64_t max_metadata_columns = 4096;
  // Largest checkpoint .index file, and most entries in it.
  uint64_t max_index_bytes = 256ull << 20;
  uint64_t max_index_entries = 4ull << 20;
};

}  // namespace projector
}  // namespace tbview
