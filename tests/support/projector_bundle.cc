#include "support/projector_bundle.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "masked_crc.h"
#include "proto/projector.pb.h"

namespace tbview {
namespace test {
namespace {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutFixed32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

class BlockBuilder {
 public:
  explicit BlockBuilder(int restart_interval) : interval_(restart_interval) { restarts_.push_back(0); }
  void Add(const std::string& key, const std::string& value) {
    size_t shared = 0;
    if (count_ % interval_ == 0 && count_ > 0) {
      restarts_.push_back(static_cast<uint32_t>(data_.size()));
    } else if (count_ > 0) {
      while (shared < last_.size() && shared < key.size() && last_[shared] == key[shared]) ++shared;
    }
    PutVarint(&data_, shared);
    PutVarint(&data_, key.size() - shared);
    PutVarint(&data_, value.size());
    data_.append(key, shared, std::string::npos);
    data_ += value;
    last_ = key;
    ++count_;
  }
  std::string Finish() {
    std::string out = data_;
    for (uint32_t r : restarts_) PutFixed32(&out, r);
    PutFixed32(&out, static_cast<uint32_t>(restarts_.size()));
    return out;
  }
  size_t size() const { return data_.size(); }
  bool empty() const { return count_ == 0; }
  const std::string& last() const { return last_; }

 private:
  int interval_;
  int count_ = 0;
  std::string data_, last_;
  std::vector<uint32_t> restarts_;
};

// Appends a block and its trailer; returns its handle.
std::string WriteBlock(std::string* file, const std::string& contents) {
  std::string handle;
  PutVarint(&handle, file->size());
  PutVarint(&handle, contents.size());
  *file += contents;
  const char type = 0;
  const uint32_t crc = Crc32c(&type, 1, Crc32c(contents.data(), contents.size()));
  file->push_back(type);
  PutFixed32(file, MaskCrc(crc));
  return handle;
}

}  // namespace

Bundle WriteBundle(const std::vector<BundleTensor>& tensors, int num_shards, size_t block_bytes,
                   int restart_interval) {
  Bundle bundle;
  bundle.shards.resize(num_shards);
  std::map<std::string, std::string> entries;  // key -> serialized value, in key order
  proto::BundleHeaderProto header;
  header.set_num_shards(num_shards);
  header.mutable_version()->set_producer(1);
  entries[""] = header.SerializeAsString();
  for (size_t t = 0; t < tensors.size(); ++t) {
    const BundleTensor& bt = tensors[t];
    const int shard = static_cast<int>(t % num_shards);
    std::string bytes(bt.values.size() * 4, '\0');
    if (!bt.values.empty()) std::memcpy(&bytes[0], bt.values.data(), bytes.size());  // little-endian hosts
    proto::BundleEntryProto e;
    e.set_dtype(proto::DT_FLOAT);
    for (int64_t d : bt.shape) e.mutable_shape()->add_dim()->set_size(d);
    e.set_shard_id(shard);
    e.set_offset(static_cast<int64_t>(bundle.shards[shard].size()));
    e.set_size(static_cast<int64_t>(bytes.size()));
    e.set_crc32c(MaskCrc(Crc32c(bytes.data(), bytes.size())));
    bundle.shards[shard] += bytes;
    entries[bt.name] = e.SerializeAsString();
  }
  std::string& file = bundle.index;
  BlockBuilder index_block(1);
  BlockBuilder block(restart_interval);
  auto flush = [&]() {
    if (block.empty()) return;
    const std::string last = block.last();
    index_block.Add(last, WriteBlock(&file, block.Finish()));
    block = BlockBuilder(restart_interval);
  };
  for (const auto& kv : entries) {
    block.Add(kv.first, kv.second);
    if (block.size() >= block_bytes) flush();
  }
  flush();
  const std::string meta_handle = WriteBlock(&file, BlockBuilder(restart_interval).Finish());
  const std::string index_handle = WriteBlock(&file, index_block.Finish());
  std::string footer = meta_handle + index_handle;
  footer.resize(40, '\0');
  PutFixed32(&footer, 0x8b80fb57u);
  PutFixed32(&footer, 0xdb477524u);
  file += footer;
  return bundle;
}

}  // namespace test
}  // namespace tbview
