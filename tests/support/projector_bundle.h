// Writes TensorFlow tensor-bundle checkpoints (the `.index` table and the
// `.data-NNNNN-of-NNNNN` shards) for the projector tests and fuzz seeds, small
// enough to check by eye: blocks split every `block_bytes`, prefix compression
// restarting every `restart_interval` keys, each block with its trailer and
// masked CRC32C, as TensorFlow's table writer lays them out.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tbview {
namespace test {

struct BundleTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;  // written as float32 (dtype 1)
};

struct Bundle {
  std::string index;                // bytes of <prefix>.index
  std::vector<std::string> shards;  // bytes of <prefix>.data-0000i-of-0000n
};

// Tensors go to shard (position in `tensors`) % num_shards.
Bundle WriteBundle(const std::vector<BundleTensor>& tensors, int num_shards = 1, size_t block_bytes = 128,
                   int restart_interval = 3);

}  // namespace test
}  // namespace tbview
