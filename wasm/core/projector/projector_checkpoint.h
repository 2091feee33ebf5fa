// TensorFlow checkpoints in the tensor-bundle format (what tf.train.Saver V2 and
// tf.train.Checkpoint write): `<prefix>.index` and `<prefix>.data-NNNNN-of-NNNNN`.
//
// The .index file is a LevelDB-style table (an SSTable): data blocks of
// prefix-compressed entries with restart points, an index block of block
// handles, a metaindex block, and a 48-byte footer ending in a magic number.
// Each block is followed by a compression byte and a masked CRC32C of the block
// and that byte; TensorFlow writes blocks uncompressed, and snappy blocks are
// reported, not read. Keys are tensor names in order; the "" key holds a
// BundleHeaderProto, every other a BundleEntryProto saying in which shard, at
// which offset and with which CRC32C the tensor's little-endian bytes are.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "projector_limits.h"
#include "projector_matrix.h"
#include "proto/projector.pb.h"

namespace tbview {
namespace projector {

// One parsed .index file. Invariant after a successful Parse: every entry's
// shard_id is in [0, num_shards).
class CheckpointIndex {
 public:
  // Parses the bytes of `<prefix>.index`; `file` names it in errors.
  bool Parse(std::string_view bytes, std::string_view file, const ProjectorLimits& limits,
             std::string* error);

  const proto::BundleHeaderProto& header() const { return header_; }
  const std::map<std::string, proto::BundleEntryProto>& entries() const { return entries_; }
  const proto::BundleEntryProto* Find(const std::string& key) const;

  // The keys of 2-D float tensors (the ones a projector can show), in order.
  std::vector<std::string> MatrixKeys() const;

  // The key a config's tensor_name means, or "" when none fits. Tried in order:
  // the name itself; without a ":N" output suffix (TF1 tensor names); the name's
  // object path (before a "/." component, e.g. "embedding" of
  // "embedding/.att/value") plus "/.ATTRIBUTES/VARIABLE_VALUE" (TF2
  // object-based checkpoints); the one 2-D float key ending in "/" + that path's
  // last component plus "/.ATTRIBUTES/VARIABLE_VALUE"; and when the name is
  // empty, the only 2-D float tensor. `note` says what was matched when it is
  // not the name itself.
  std::string Resolve(const std::string& tensor_name, std::string* note) const;

 private:
  proto::BundleHeaderProto header_;
  std::map<std::string, proto::BundleEntryProto> entries_;
};

// "<prefix>.data-00000-of-00001": the file of a shard.
std::string ShardFileName(const std::string& prefix, int shard_id, int num_shards);

// Reads the tensor `key` (DT_FLOAT or DT_DOUBLE, rank 2, or rank 1 as one
// column) from its shard's bytes into a float32 matrix, checking the entry's
// extent against the shard and its CRC32C. `shard_file` names the shard in errors.
bool ReadCheckpointMatrix(const CheckpointIndex& index, const std::string& key, std::string_view shard,
                          std::string_view shard_file, const ProjectorLimits& limits, Matrix* out,
                          std::string* error);

// Finds a file among the opened ones: sets *bytes and returns true when present.
using FileLookup = std::function<bool(const std::string& path, std::string_view* bytes)>;

// The whole path from a config to a matrix: the index `<prefix>.index`, the
// variable Resolve() finds for `tensor_name`, its shard. A missing file is an
// error naming it; `note` tells how the name was matched (when not exactly).
bool LoadCheckpointVariable(const std::string& prefix, const std::string& tensor_name,
                            const FileLookup& lookup, const ProjectorLimits& limits, Matrix* out,
                            std::string* note, std::string* error);

}  // namespace projector
}  // namespace tbview
