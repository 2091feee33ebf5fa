// Internals shared by the archive readers (archive.cc: the reader, member
// bookkeeping and gzip; archive_tar.cc; archive_zip.cc). Not part of the API.
//
// ArchiveReader::Impl owns the member bookkeeping (open member, limits, errors)
// and up to two layers:
//   kGzip: gunzip -> (the first 512 bytes decide) tar, or one plain member
//   kTar:  tar
//   kZip:  zip (inflates deflated members itself)
// Each layer is a small state machine fed whatever bytes arrive; anything it
// must see whole (a 512-byte tar header, a zip local header) is gathered into a
// small buffer of a fixed, format-given size. No buffer is ever sized from a
// claimed member size.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive.h"

namespace tbview {
namespace archive_internal {

constexpr size_t kOutBuffer = 64 * 1024;
// The ratio limit applies only once this much has come out (limits.h).
constexpr uint64_t kRatioFloor = 16ull << 20;

inline uint32_t Le16(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8; }
inline uint32_t Le32(const uint8_t* p) { return Le16(p) | Le16(p + 2) << 16; }
inline uint64_t Le64(const uint8_t* p) { return uint64_t(Le32(p)) | uint64_t(Le32(p + 4)) << 32; }

// Gathers exactly `want` bytes across pushes of any size.
struct Gather {
  std::string buf;
  size_t want = 0;
  void Start(size_t n) {
    buf.clear();
    want = n;
  }
  // Takes what it still needs from [*p, end); true once complete.
  bool Fill(const uint8_t** p, const uint8_t* end) {
    size_t take = std::min(want - buf.size(), static_cast<size_t>(end - *p));
    buf.append(reinterpret_cast<const char*>(*p), take);
    *p += take;
    return buf.size() == want;
  }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(buf.data()); }
};

inline std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// A tar header's checksum: the byte sum with the checksum field read as spaces.
// Accepts the signed-char sum some old tars wrote.
inline bool TarChecksumOk(const uint8_t* b) {
  uint64_t stored = 0;
  bool any = false;
  for (int i = 148; i < 156; ++i) {
    if (b[i] >= '0' && b[i] <= '7') {
      stored = stored * 8 + (b[i] - '0');
      any = true;
    } else if (any || (b[i] != ' ' && b[i] != 0)) {
      break;
    }
  }
  if (!any) return false;
  int64_t usum = 0, ssum = 0;
  for (int i = 0; i < 512; ++i) {
    uint8_t c = (i >= 148 && i < 156) ? ' ' : b[i];
    usum += c;
    ssum += static_cast<int8_t>(c);
  }
  return static_cast<uint64_t>(usum) == stored || static_cast<uint64_t>(ssum) == stored;
}

inline bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}

// One stage of reading: fed bytes in order, then told the bytes ended.
class ByteLayer {
 public:
  virtual ~ByteLayer() = default;
  virtual void Feed(const uint8_t* p, size_t n) = 0;
  virtual void Finish() = 0;
};

}  // namespace archive_internal

using archive_internal::ByteLayer;
using archive_internal::kRatioFloor;

struct ArchiveReader::Impl {
  Impl(ContentKind k, Sink* s, const Limits& l) : kind(k), sink(s), limits(l) {}
  ~Impl();

  ContentKind kind;
  Sink* sink;
  Limits limits;
  bool failed = false;
  bool limit_reached = false;
  std::string error;
  std::vector<std::string> warnings;
  const char* format = "?";
  uint64_t members = 0;
  uint64_t in = 0;        // archive bytes pushed
  uint64_t out = 0;       // member bytes delivered
  uint64_t inflated = 0;  // bytes produced by decompression (the limits' measure)
  bool member_open = false;
  std::string member_path;

  // The layers (see the top of this file); at most gunzip + tar are set.
  std::unique_ptr<ByteLayer> gunzip;
  std::unique_ptr<ByteLayer> tar;
  std::unique_ptr<ByteLayer> zip;
  // gzip content: undecided until 512 bytes (one tar header) came out.
  enum { kUndecided, kTarContent, kPlain } gz_content = kUndecided;
  std::string gz_head;

  void Fail(std::string message, bool is_limit = false) {
    if (failed) return;
    failed = true;
    limit_reached = is_limit;
    error = std::move(message);
    if (member_open) End(false, error);
  }
  void Begin(std::string_view path, uint64_t claim) {
    member_open = true;
    member_path = std::string(path);
    sink->BeginMember(path, claim);
  }
  void Data(const uint8_t* p, size_t n) {
    if (n == 0) return;
    out += n;
    sink->MemberData(p, n);
  }
  void End(bool ok, std::string_view message) {
    if (!member_open) return;
    member_open = false;
    ++members;
    sink->EndMember(ok, message);
  }
  // Accounts `n` decompressed bytes against the limits; false (failed) when over.
  bool Inflated(size_t n) {
    inflated += n;
    if (inflated > limits.max_decompressed_bytes) {
      Fail("decompressed size exceeds max_decompressed_bytes (" +
               std::to_string(limits.max_decompressed_bytes) + " bytes)",
           true);
      return false;
    }
    if (inflated > kRatioFloor &&
        static_cast<double>(inflated) > limits.max_decompression_ratio * static_cast<double>(in)) {
      Fail("decompression ratio exceeds max_decompression_ratio (" +
               std::to_string(limits.max_decompression_ratio) + "): " + std::to_string(inflated) +
               " bytes out of " + std::to_string(in) + " (a zip bomb?)",
           true);
      return false;
    }
    return true;
  }
  // Decompressed gzip content goes here.
  void OnGunzipped(const uint8_t* p, size_t n);
  void FinishGunzipped();
};

namespace archive_internal {
std::unique_ptr<ByteLayer> MakeTarParser(ArchiveReader::Impl* a);
std::unique_ptr<ByteLayer> MakeZipParser(ArchiveReader::Impl* a);
}  // namespace archive_internal

}  // namespace tbview
