#include "projector_checkpoint.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "masked_crc.h"

namespace tbview {
namespace projector {
namespace {

constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kFooterSize = 48;
constexpr size_t kBlockTrailerSize = 5;
const char kAttributes[] = "/.ATTRIBUTES/VARIABLE_VALUE";

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    const uint8_t b = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    result |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

uint32_t Fixed32(const char* p) {
  const unsigned char* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

struct BlockHandle {
  uint64_t offset = 0, size = 0;
};

bool GetHandle(std::string_view* in, BlockHandle* h) {
  return GetVarint(in, &h->offset) && GetVarint(in, &h->size);
}

// The contents of the block at `h`, its trailer checked.
bool ReadBlock(std::string_view file, const BlockHandle& h, std::string_view* contents, std::string* what) {
  if (h.offset > file.size() || h.size > file.size() - h.offset ||
      kBlockTrailerSize > file.size() - h.offset - h.size) {
    *what = "a block handle points past the end of the file";
    return false;
  }
  const char* p = file.data() + h.offset;
  const char type = p[h.size];
  const uint32_t stored = UnmaskCrc(Fixed32(p + h.size + 1));
  const uint32_t actual = Crc32c(p + h.size + 0, 1, Crc32c(p, h.size));
  if (stored != actual) {
    *what = "block at offset " + std::to_string(h.offset) + " fails its CRC32C";
    return false;
  }
  if (type == 1) {
    *what = "snappy-compressed blocks are not supported (TensorFlow writes checkpoints uncompressed)";
    return false;
  }
  if (type != 0) {
    *what = "unknown block compression type " + std::to_string(static_cast<int>(type));
    return false;
  }
  *contents = std::string_view(p, h.size);
  return true;
}

// Calls visit(key, value) for each entry of a block, in order.
template <typename Visit>
bool ForEachEntry(std::string_view block, std::string* what, Visit visit) {
  if (block.size() < 4) {
    *what = "block shorter than its restart count";
    return false;
  }
  const uint32_t restarts = Fixed32(block.data() + block.size() - 4);
  if (restarts > (block.size() - 4) / 4) {
    *what = "block claims more restart points than it has bytes";
    return false;
  }
  std::string_view data = block.substr(0, block.size() - 4 - 4 * uint64_t{restarts});
  std::string key;
  while (!data.empty()) {
    uint64_t shared, non_shared, value_len;
    if (!GetVarint(&data, &shared) || !GetVarint(&data, &non_shared) || !GetVarint(&data, &value_len)) {
      *what = "truncated entry header in a block";
      return false;
    }
    if (shared > key.size() || non_shared > data.size() || value_len > data.size() - non_shared) {
      *what = "entry in a block claims more bytes than it has";
      return false;
    }
    key.resize(shared);
    key.append(data.data(), non_shared);
    const std::string_view value = data.substr(non_shared, value_len);
    data.remove_prefix(non_shared + value_len);
    if (!visit(key, value)) return false;
  }
  return true;
}

bool IsMatrix(const proto::BundleEntryProto& e) {
  return (e.dtype() == proto::DT_FLOAT || e.dtype() == proto::DT_DOUBLE) && e.shape().dim_size() == 2 &&
         e.slices_size() == 0;
}

}  // namespace

bool CheckpointIndex::Parse(std::string_view bytes, std::string_view file, const ProjectorLimits& limits,
                            std::string* error) {
  header_.Clear();
  entries_.clear();
  const std::string name(file);
  std::string what;
  auto fail = [&](const std::string& w) {
    *error = name + ": " + w;
    entries_.clear();
    return false;
  };
  if (bytes.size() > limits.max_index_bytes) {
    return fail(std::to_string(bytes.size()) + " bytes, more than max_index_bytes (" +
                std::to_string(limits.max_index_bytes) + ")");
  }
  if (bytes.size() < kFooterSize) return fail("too short to be a checkpoint index (no table footer)");
  const char* footer = bytes.data() + bytes.size() - kFooterSize;
  const uint64_t magic = uint64_t{Fixed32(footer + 40)} | uint64_t{Fixed32(footer + 44)} << 32;
  if (magic != kTableMagic) return fail("not a checkpoint index (no table magic number at the end)");
  std::string_view handles(footer, 40);
  BlockHandle metaindex, index;
  if (!GetHandle(&handles, &metaindex) || !GetHandle(&handles, &index)) return fail("bad table footer");
  std::string_view index_block;
  if (!ReadBlock(bytes, index, &index_block, &what)) return fail(what);
  bool have_header = false;
  const bool ok = ForEachEntry(index_block, &what, [&](const std::string&, std::string_view value) {
    BlockHandle h;
    if (!GetHandle(&value, &h)) {
      what = "bad block handle in the index block";
      return false;
    }
    std::string_view block;
    if (!ReadBlock(bytes, h, &block, &what)) return false;
    return ForEachEntry(block, &what, [&](const std::string& key, std::string_view v) {
      if (key.empty()) {
        if (!header_.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          what = "unreadable BundleHeaderProto";
          return false;
        }
        have_header = true;
        return true;
      }
      if (entries_.size() >= limits.max_index_entries) {
        what = "more than max_index_entries (" + std::to_string(limits.max_index_entries) + ") entries";
        return false;
      }
      proto::BundleEntryProto entry;
      if (!entry.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
        what = "unreadable BundleEntryProto for '" + key + "'";
        return false;
      }
      entries_[key] = std::move(entry);
      return true;
    });
  });
  if (!ok) return fail(what);
  if (!have_header) return fail("no bundle header (the \"\" entry)");
  if (header_.endianness() != proto::BundleHeaderProto::LITTLE)
    return fail("big-endian bundles are not supported");
  if (header_.num_shards() < 1)
    return fail("bundle header claims " + std::to_string(header_.num_shards()) + " shards");
  for (const auto& kv : entries_) {
    if (kv.second.shard_id() < 0 || kv.second.shard_id() >= header_.num_shards()) {
      return fail("entry '" + kv.first + "' is in shard " + std::to_string(kv.second.shard_id()) + " of " +
                  std::to_string(header_.num_shards()));
    }
  }
  return true;
}

const proto::BundleEntryProto* CheckpointIndex::Find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> CheckpointIndex::MatrixKeys() const {
  std::vector<std::string> keys;
  for (const auto& kv : entries_) {
    if (IsMatrix(kv.second)) keys.push_back(kv.first);
  }
  return keys;
}

std::string CheckpointIndex::Resolve(const std::string& tensor_name, std::string* note) const {
  note->clear();
  if (!tensor_name.empty() && Find(tensor_name)) return tensor_name;
  auto found = [&](const std::string& key, const std::string& how) {
    *note =
        "tensor_name '" + tensor_name + "' is not a key of the checkpoint; using '" + key + "' (" + how + ")";
    return key;
  };
  std::string name = tensor_name;
  const size_t colon = name.rfind(':');
  if (colon != std::string::npos && colon + 1 < name.size() &&
      name.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    name.resize(colon);
    if (Find(name)) return found(name, "the name without its output suffix");
  }
  // The object path: everything before the first "/." component.
  std::string object = name;
  const size_t dot = object.find("/.");
  if (dot != std::string::npos) object.resize(dot);
  if (!object.empty()) {
    const std::string key = object + kAttributes;
    const proto::BundleEntryProto* e = Find(key);
    if (e && IsMatrix(*e)) return found(key, "the variable of object '" + object + "'");
  }
  const std::vector<std::string> matrices = MatrixKeys();
  if (!object.empty()) {
    const std::string last = object.substr(object.rfind('/') + 1);
    const std::string suffix = "/" + last + kAttributes;
    std::string match;
    int count = 0;
    for (const std::string& k : matrices) {
      if (k.size() >= suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0) {
        match = k;
        ++count;
      }
    }
    if (count == 1) return found(match, "the only variable whose object is named '" + last + "'");
  }
  if (tensor_name.empty() && matrices.size() == 1) {
    *note = "no tensor_name; using the checkpoint's only 2-D float variable '" + matrices[0] + "'";
    return matrices[0];
  }
  return "";
}

std::string ShardFileName(const std::string& prefix, int shard_id, int num_shards) {
  char buf[40];
  std::snprintf(buf, sizeof buf, ".data-%05d-of-%05d", shard_id, num_shards);
  return prefix + buf;
}

bool ReadCheckpointMatrix(const CheckpointIndex& index, const std::string& key, std::string_view shard,
                          std::string_view shard_file, const ProjectorLimits& limits, Matrix* out,
                          std::string* error) {
  const std::string name(shard_file);
  const proto::BundleEntryProto* e = index.Find(key);
  if (!e) {
    *error = name + ": no tensor '" + key + "' in the checkpoint";
    return false;
  }
  if (e->dtype() != proto::DT_FLOAT && e->dtype() != proto::DT_DOUBLE) {
    *error = "checkpoint tensor '" + key + "' has dtype " + std::to_string(e->dtype()) + ", not float";
    return false;
  }
  if (e->slices_size() != 0) {
    *error = "checkpoint tensor '" + key + "' is a partitioned variable (slices are not supported)";
    return false;
  }
  const int rank = e->shape().dim_size();
  if (rank != 1 && rank != 2) {
    *error = "checkpoint tensor '" + key + "' has rank " + std::to_string(rank) + ", not 2";
    return false;
  }
  const int64_t r = e->shape().dim(0).size();
  const int64_t c = rank == 2 ? e->shape().dim(1).size() : 1;
  if (r <= 0 || c <= 0 || static_cast<uint64_t>(c) > limits.max_columns ||
      static_cast<uint64_t>(r) > limits.max_matrix_floats / static_cast<uint64_t>(c)) {
    *error = "checkpoint tensor '" + key + "' has shape [" + std::to_string(r) + ", " + std::to_string(c) +
             "]: empty, or more than max_matrix_floats (" + std::to_string(limits.max_matrix_floats) + ")";
    return false;
  }
  const uint64_t count = static_cast<uint64_t>(r) * static_cast<uint64_t>(c);
  const uint64_t width = e->dtype() == proto::DT_FLOAT ? 4 : 8;
  if (e->offset() < 0 || e->size() < 0 || static_cast<uint64_t>(e->size()) != count * width) {
    *error = "checkpoint tensor '" + key + "': entry size " + std::to_string(e->size()) +
             " does not match its shape";
    return false;
  }
  const uint64_t offset = static_cast<uint64_t>(e->offset()), size = static_cast<uint64_t>(e->size());
  if (offset > shard.size() || size > shard.size() - offset) {
    *error = name + ": tensor '" + key + "' at bytes " + std::to_string(offset) + "+" + std::to_string(size) +
             " is past the end of the shard (" + std::to_string(shard.size()) + " bytes; truncated?)";
    return false;
  }
  const char* p = shard.data() + offset;
  // TensorFlow stores the CRC masked; an unmasked one is accepted too.
  const uint32_t crc = Crc32c(p, size);
  if (e->crc32c() != MaskCrc(crc) && e->crc32c() != crc) {
    *error = name + ": tensor '" + key + "' fails its CRC32C (corrupt shard)";
    return false;
  }
  out->rows = static_cast<uint64_t>(r);
  out->cols = static_cast<uint64_t>(c);
  out->values.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    float f;
    if (width == 4) {
      const uint32_t u = Fixed32(p + 4 * i);
      std::memcpy(&f, &u, 4);
    } else {
      const uint64_t u = uint64_t{Fixed32(p + 8 * i)} | uint64_t{Fixed32(p + 8 * i + 4)} << 32;
      double d;
      std::memcpy(&d, &u, 8);
      f = static_cast<float>(d);
    }
    if (!std::isfinite(f)) {
      *error = "checkpoint tensor '" + key + "': value " + std::to_string(i % c + 1) + " of row " +
               std::to_string(i / c + 1) + " is NaN or infinite";
      out->values.clear();
      return false;
    }
    out->values[i] = f;
  }
  return true;
}

bool LoadCheckpointVariable(const std::string& prefix, const std::string& tensor_name,
                            const FileLookup& lookup, const ProjectorLimits& limits, Matrix* out,
                            std::string* note, std::string* error) {
  const std::string index_file = prefix + ".index";
  std::string_view bytes;
  if (!lookup(index_file, &bytes)) {
    *error = "the checkpoint index " + index_file + " is not among the opened files";
    return false;
  }
  CheckpointIndex index;
  if (!index.Parse(bytes, index_file, limits, error)) return false;
  const std::string key = index.Resolve(tensor_name, note);
  if (key.empty()) {
    std::string keys;
    for (const std::string& k : index.MatrixKeys()) keys += (keys.empty() ? "" : ", ") + k;
    *error = index_file + ": no variable matches tensor_name '" + tensor_name +
             "' (2-D float variables: " + (keys.empty() ? "none" : keys) + ")";
    return false;
  }
  const proto::BundleEntryProto* e = index.Find(key);
  const std::string shard_file = ShardFileName(prefix, e->shard_id(), index.header().num_shards());
  std::string_view shard;
  if (!lookup(shard_file, &shard)) {
    *error = "the checkpoint shard " + shard_file + " (holding '" + key + "') is not among the opened files";
    return false;
  }
  return ReadCheckpointMatrix(index, key, shard, shard_file, limits, out, error);
}

}  // namespace projector
}  // namespace tbview
