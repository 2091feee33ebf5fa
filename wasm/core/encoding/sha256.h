// SHA-256 (FIPS 180-4), streaming. Used by the reference dump to fingerprint
// graph_defs and blobs the way tb-reference-1 does (lowercase hex digests).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tbview {

class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  // Finishes and returns the 64-character lowercase hex digest. Call once.
  std::string HexDigest();

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

// Hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace tbview
