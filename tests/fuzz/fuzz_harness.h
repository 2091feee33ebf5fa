// The fuzz harnesses: one function per target, shared by the libFuzzer entry
// points (tests/fuzz/*_fuzz.cc) and the regression tests
// (tests/unit/fuzz_regressions_test.cc), so a crash input found by a fuzzer is
// replayed through exactly the code that found it, in every build.
//
// Each harness derives its configuration (chunk sizes, small limits) from the
// input's first bytes, feeds the rest to the core, and checks invariants the
// core promises (same records whatever the chunking, no point over a limit,
// archive paths never unsafe, ...). A broken invariant aborts (a fuzzer finding);
// crashes, leaks and UB are the sanitizers' job.
//
// Header-only and plain C++17 so it also builds with gcc in the unit tests.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "archive.h"
#include "data_compat.h"
#include "input_limits.h"
#include "logdir.h"
#include "plugins.h"
#include "proto/event.pb.h"
#include "record_reader.h"
#include "reference_json.h"
#include "tensor.h"
#include "writer.h"

#define TBVIEW_FUZZ_CHECK(cond)                                                               \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace tbview {
namespace fuzz {

// Chunk sizes from a seed byte: a small xorshift generator, so one input always
// gets the same chunking. Mode 0: whole; 1: single bytes; 2: small (1..16);
// 3: mixed (1..4096).
class Chunker {
 public:
  explicit Chunker(uint8_t seed) : mode_(seed & 3), state_(0x9e3779b9u ^ (seed * 0x01000193u)) {}
  size_t Next(size_t remaining) {
    size_t n;
    switch (mode_) {
      case 0: n = remaining; break;
      case 1: n = 1; break;
      case 2: n = 1 + Rand() % 16; break;
      default: n = 1 + Rand() % 4096; break;
    }
    return n < remaining ? n : remaining;
  }

 private:
  uint32_t Rand() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }
  int mode_;
  uint32_t state_;
};

// ---- record_reader: the same records whatever the chunking ----

struct RecordsSeen {
  std::vector<std::string> payloads;
  std::vector<uint64_t> offsets;
  bool failed = false;
  std::string error;
  uint64_t consumed = 0, buffered = 0, bad_crcs = 0;
};

inline RecordsSeen ReadRecords(const uint8_t* data, size_t size, uint64_t max_record, Chunker* chunker,
                               bool partial_drain) {
  RecordsSeen seen;
  RecordReader reader(max_record);
  std::vector<uint8_t> chunk;  // a fresh copy per push: freed when no longer promised
  std::string_view payload;
  size_t i = 0;
  bool more = true;
  while (more) {
    if (i < size) {
      const size_t n = chunker ? chunker->Next(size - i) : size - i;
      std::vector<uint8_t> next(data + i, data + i + n);
      i += n;
      reader.push(next.data(), next.size());
      chunk.swap(next);  // the old chunk is freed here: push() must have copied what it needs
    } else {
      more = false;
    }
    // Partial draining: leave records in the chunk before the next push (the
    // reader must then carry them over itself).
    int budget = partial_drain && more ? 1 : 1 << 30;
    while (budget-- > 0) {
      const RecordReader::Status st = reader.next(&payload);
      if (st == RecordReader::Status::kRecord) {
        seen.payloads.emplace_back(payload);
        seen.offsets.push_back(reader.payload_offset());
        continue;
      }
      break;
    }
    if (!more) {
      // Drain completely at the end.
      while (reader.next(&payload) == RecordReader::Status::kRecord) {
        seen.payloads.emplace_back(payload);
        seen.offsets.push_back(reader.payload_offset());
      }
    }
  }
  seen.failed = reader.failed();
  seen.error = reader.error();
  seen.consumed = reader.consumed();
  seen.buffered = reader.buffered();
  seen.bad_crcs = reader.bad_payload_crcs();
  TBVIEW_FUZZ_CHECK(reader.records() == seen.payloads.size());
  return seen;
}

inline void RecordReaderOne(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const uint8_t config = data[0], chunk_seed = data[1];
  data += 2;
  size -= 2;
  // Sometimes a tiny record limit, so the limit path is reached too.
  const uint64_t max_record = (config & 0x80) ? (config & 0x7f) : (256ull << 20);
  const RecordsSeen whole = ReadRecords(data, size, max_record, nullptr, false);
  Chunker chunker(chunk_seed);
  const RecordsSeen cut = ReadRecords(data, size, max_record, &chunker, (config & 1) != 0);
  TBVIEW_FUZZ_CHECK(whole.payloads == cut.payloads);
  TBVIEW_FUZZ_CHECK(whole.offsets == cut.offsets);
  TBVIEW_FUZZ_CHECK(whole.failed == cut.failed);
  TBVIEW_FUZZ_CHECK(whole.error == cut.error);
  TBVIEW_FUZZ_CHECK(whole.consumed == cut.consumed);
  TBVIEW_FUZZ_CHECK(whole.bad_crcs == cut.bad_crcs);
  TBVIEW_FUZZ_CHECK(whole.consumed <= size);
  if (!whole.failed) {
    TBVIEW_FUZZ_CHECK(whole.consumed + whole.buffered == size);
    TBVIEW_FUZZ_CHECK(cut.consumed + cut.buffered == size);
  }
  for (const std::string& p : whole.payloads) TBVIEW_FUZZ_CHECK(p.size() <= max_record);
}

// ---- event decoding and data compat ----

inline bool SameNumber(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0 || a == b;
}

inline void EventOne(const uint8_t* data, size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  Limits limits;
  limits.max_tensor_elements = 1 << 16;  // keep one execution small
  limits.max_tensor_bytes = 8 << 20;
  EventDecoder decoder(limits);
  CompatEvent event;
  std::string error;
  const bool ok = decoder.Decode(payload, &event, &error);
  TBVIEW_FUZZ_CHECK(ok || !error.empty());
  if (ok) {
    for (const CompatValue& v : event.values) {
      const Tensor& t = v.tensor;
      if (t.dtype == kDtInvalid) continue;
      const uint64_t n = t.num_elements();
      TBVIEW_FUZZ_CHECK(n <= limits.max_tensor_elements);
      if (t.is_string()) {
        TBVIEW_FUZZ_CHECK(t.strings.size() == n && t.numbers.empty());
      } else {
        const uint64_t per = (t.dtype == kDtComplex64 || t.dtype == kDtComplex128) ? 2 : 1;
        TBVIEW_FUZZ_CHECK(t.numbers.size() == n * per && t.strings.empty());
      }
    }
  }
  // The fast path must give exactly what the full decoder gives, when it accepts.
  FastScalarEvent fast;
  if (TryDecodeScalarEvent(payload, &fast)) {
    TBVIEW_FUZZ_CHECK(ok);
    TBVIEW_FUZZ_CHECK(event.kind == EventKind::kSummary);
    TBVIEW_FUZZ_CHECK(SameNumber(fast.wall_time, event.wall_time));
    TBVIEW_FUZZ_CHECK(fast.step == event.step);
    TBVIEW_FUZZ_CHECK(fast.values.size() == event.values.size());
    for (size_t i = 0; i < fast.values.size() && i < event.values.size(); ++i) {
      const FastScalar& f = fast.values[i];
      const CompatValue& v = event.values[i];
      TBVIEW_FUZZ_CHECK(f.tag == v.tag);
      TBVIEW_FUZZ_CHECK(v.tensor.numbers.size() == 1);
      if (v.tensor.numbers.size() == 1) TBVIEW_FUZZ_CHECK(SameNumber(f.value, v.tensor.numbers[0]));
      TBVIEW_FUZZ_CHECK(f.dtype == v.tensor.dtype);
      TBVIEW_FUZZ_CHECK(f.simple_value == v.has_metadata);
    }
  }
  // The reference dump (tb-reference-1 JSON, plugin contents included) of the
  // payload framed as a one-record file.
  std::string file;
  AppendRecord(&file, payload);
  ReferenceDump dump("fuzz", limits);
  dump.Push(reinterpret_cast<const uint8_t*>(file.data()), file.size());
  const std::string json = dump.Finish();
  TBVIEW_FUZZ_CHECK(!json.empty());
}

// ---- tensors ----

inline void TensorOne(const uint8_t* data, size_t size) {
  if (size < 1) return;
  Limits limits;
  limits.max_tensor_elements = uint64_t{1} << (data[0] % 21);  // 1 .. 1 Mi
  limits.max_tensor_bytes = 16 << 20;
  proto::TensorProto in;
  if (!in.ParseFromArray(data + 1, static_cast<int>(size - 1))) return;
  Tensor t;
  std::string error;
  if (!DecodeTensor(in, limits, &t, &error)) {
    TBVIEW_FUZZ_CHECK(!error.empty());
    return;
  }
  const uint64_t n = t.num_elements();
  TBVIEW_FUZZ_CHECK(n <= limits.max_tensor_elements);
  for (int64_t d : t.shape) TBVIEW_FUZZ_CHECK(d >= 0);
  if (t.is_string()) {
    TBVIEW_FUZZ_CHECK(t.strings.size() == n && t.numbers.empty());
    uint64_t bytes = 0;
    for (const std::string& s : t.strings) bytes += s.size();
    TBVIEW_FUZZ_CHECK(bytes <= limits.max_tensor_bytes);
    if (t.shape.size() <= 2) (void)MakeTextView(t);
  } else {
    const uint64_t per = (t.dtype == kDtComplex64 || t.dtype == kDtComplex128) ? 2 : 1;
    TBVIEW_FUZZ_CHECK(t.numbers.size() == n * per && t.strings.empty());
    TBVIEW_FUZZ_CHECK(t.numbers.size() * sizeof(double) <= limits.max_tensor_bytes);
    (void)DistributionBasisPoints(t);
    TensorPoint point;
    point.tensor = t;
    PrCurvePoint pr;
    (void)MakePrCurvePoint(point, &pr);
  }
}

// ---- archives ----

struct CheckingSink : ArchiveReader::Sink {
  bool open = false;
  uint64_t members = 0, bytes = 0;
  void BeginMember(std::string_view path, uint64_t) override {
    TBVIEW_FUZZ_CHECK(!open);
    open = true;
    // Normalized and safe: relative, no "." / ".." / empty components.
    TBVIEW_FUZZ_CHECK(path.empty() || path[0] != '/');
    size_t start = 0;
    while (!path.empty() && start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      const std::string_view c = path.substr(start, end - start);
      TBVIEW_FUZZ_CHECK(!c.empty() && c != "." && c != "..");
      start = end + 1;
    }
  }
  void MemberData(const uint8_t*, size_t size) override {
    TBVIEW_FUZZ_CHECK(open);
    bytes += size;
  }
  void EndMember(bool ok, std::string_view message) override {
    TBVIEW_FUZZ_CHECK(open);
    TBVIEW_FUZZ_CHECK(ok || !message.empty());
    open = false;
    ++members;
  }
};

inline void ArchiveOne(const uint8_t* data, size_t size) {
  if (size < 2) return;
  static const ContentKind kinds[3] = {ContentKind::kGzip, ContentKind::kTar, ContentKind::kZip};
  const ContentKind kind = kinds[data[0] % 3];
  Limits limits;
  limits.max_decompressed_bytes = 16 << 20;  // a bomb stops quickly
  if (data[0] & 0x80) limits.max_decompression_ratio = 50;
  Chunker chunker(data[1]);
  data += 2;
  size -= 2;
  CheckingSink sink;
  ArchiveReader reader(kind, &sink, limits);
  for (size_t i = 0; i < size;) {
    const size_t n = chunker.Next(size - i);
    std::vector<uint8_t> chunk(data + i, data + i + n);  // not kept by the reader
    reader.Push(chunk.data(), chunk.size());
    i += n;
  }
  reader.Finish();
  TBVIEW_FUZZ_CHECK(!sink.open);
  TBVIEW_FUZZ_CHECK(sink.members == reader.members());
  TBVIEW_FUZZ_CHECK(sink.bytes == reader.bytes_out());
  // A failed archive ignores later pushes (archive.h).
  TBVIEW_FUZZ_CHECK(reader.failed() ? reader.bytes_in() <= size : reader.bytes_in() == size);
  TBVIEW_FUZZ_CHECK(!reader.failed() || !reader.error().empty());
  if (reader.limit_reached()) TBVIEW_FUZZ_CHECK(reader.error().find("max_decompress") != std::string::npos);
}

// ---- the whole model: detection, archives in archives, runs, tags, plugins ----

inline void LogdirOne(const uint8_t* data, size_t size) {
  if (size < 3) return;
  const uint8_t config = data[0], chunk_seed = data[1], split = data[2];
  data += 3;
  size -= 3;
  Limits limits;
  limits.max_record_bytes = 1 << 20;
  limits.max_tensor_elements = 1 << 16;
  limits.max_tensor_bytes = 4 << 20;
  limits.max_decompressed_bytes = 16 << 20;
  limits.max_runs = 1 + (config & 3);
  limits.max_tags = 2 + ((config >> 2) & 7) * 8;
  limits.max_points = 64 + ((config >> 5) & 3) * 1000;
  limits.max_memory_bytes = (config & 0x80) ? 16 << 10 : 64 << 20;
  static const char* const kNames[4] = {"run/events.out.tfevents.1.host", "a.tar.gz", "logs.zip",
                                        "x/events.out.tfevents.2.gz"};
  Logdir logdir(limits);
  const int f = logdir.OpenFile(kNames[(config >> 3) % 4]);
  Chunker chunker(chunk_seed);
  // Two loads, as a growing file is reloaded: the bytes up to `cut`, then the rest.
  const size_t cut = size * split / 255;
  size_t i = 0;
  for (int load = 0; load < 2; ++load) {
    const size_t end = load == 0 ? cut : size;
    while (i < end) {
      const size_t n = chunker.Next(end - i);
      std::vector<uint8_t> chunk(data + i, data + i + n);
      logdir.Push(f, chunk.data(), chunk.size());
      i += n;
    }
    logdir.EndOfData(f);
  }
  for (const FileInfo& info : logdir.files()) {
    TBVIEW_FUZZ_CHECK(info.status != FileStatus::kLoading);  // every file was ended
    if (info.status == FileStatus::kLimit) TBVIEW_FUZZ_CHECK(info.message.find("max_") != std::string::npos);
  }
  TBVIEW_FUZZ_CHECK(logdir.Runs().size() <= limits.max_runs);
  const std::vector<TagInfo> tags = logdir.Tags();
  TBVIEW_FUZZ_CHECK(tags.size() <= limits.max_tags);
  uint64_t points = 0;
  for (const TagInfo& t : tags) {
    points += t.points;
    if (const ScalarSeries* s = logdir.Scalars(t.run, t.tag)) {
      TBVIEW_FUZZ_CHECK(s->size() == t.points);
      (void)SummarizeScalars(s);
    } else if (const TensorSeries* ts = logdir.Tensors(t.run, t.tag)) {
      TBVIEW_FUZZ_CHECK(ts->points().size() == t.points);
      if (t.metadata.plugin_name == "pr_curves") (void)PrCurvePoints(*ts);
      for (const TensorPoint& p : ts->points()) {
        if (t.metadata.plugin_name == "histograms") (void)DistributionBasisPoints(p.tensor);
        if (t.metadata.plugin_name == "text" && p.tensor.is_string()) (void)MakeTextView(p.tensor);
      }
    } else {
      TBVIEW_FUZZ_CHECK(false);  // every listed tag has a series
    }
  }
  TBVIEW_FUZZ_CHECK(points == logdir.TotalPoints());
  TBVIEW_FUZZ_CHECK(points <= limits.max_points);
  for (const std::string& run : logdir.Runs()) TBVIEW_FUZZ_CHECK(logdir.RunEvents(run) != nullptr);
  (void)CollectHparams(logdir);
  std::vector<std::string> errors;
  (void)CollectCustomScalars(logdir, &errors);
  logdir.Shrink();
}

}  // namespace fuzz
}  // namespace tbview
