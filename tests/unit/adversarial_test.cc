// Adversarial files, generated here: each must end with a clear status and a
// message naming the file and the problem (or the limit), keep what was read
// before the problem, and stay within bounded memory (checked with glibc's
// mallinfo2 where available; under AddressSanitizer those figures are not kept
// and the memory checks pass trivially, the sanitizer watching instead). No
// timing is asserted; every loop here is bounded by the input's real size.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstring>
#include <string>
#include <vector>

#include "logdir.h"
#include "plugins.h"
#include "reference_json.h"
#include "support/archives.h"
#include "support/load.h"
#include "support/records.h"
#include "writer.h"

namespace tbview {
namespace {

// Heap bytes in use (0 where unknown: the memory checks then pass).
size_t HeapInUse() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
#else
  return 0;
#endif
}

using test::Load;
using test::RecordHeader;

// The worker's push size: what these files are fed in unless a test says otherwise.
constexpr size_t kPush = 1 << 16;

std::string Scalars(int n, const char* tag = "loss") {
  EventWriter w;
  w.WriteFileVersion(1.0);
  for (int i = 0; i < n; ++i) w.WriteScalar(1e9 + i, i, tag, static_cast<float>(i));
  return w.Take();
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

constexpr size_t kSmallHeap = 8u << 20;  // "nothing big" for these files

TEST(Adversarial, LengthOf2To60AfterGoodRecords) {
  const std::string bytes = Scalars(3) + RecordHeader(uint64_t{1} << 60) + std::string(100, 'x');
  for (size_t chunk : {size_t{1}, size_t{7}, bytes.size()}) {
    const size_t before = HeapInUse();
    Logdir d;
    const int id = Load(&d, "run/events.out.tfevents.1", bytes, chunk);
    const FileInfo& f = d.files()[id];
    EXPECT_EQ(f.status, FileStatus::kLimit);
    EXPECT_TRUE(Has(f.message, "run/events.out.tfevents.1")) << f.message;
    EXPECT_TRUE(Has(f.message, "max_record_bytes")) << f.message;
    EXPECT_TRUE(Has(f.message, "claims 1152921504606846976 bytes")) << f.message;
    EXPECT_TRUE(Has(f.message, "kept the 4 records")) << f.message;  // file_version + 3 scalars
    ASSERT_NE(d.Scalars("run", "loss"), nullptr);
    EXPECT_EQ(d.Scalars("run", "loss")->size(), 3u);
    EXPECT_LT(HeapInUse(), before + kSmallHeap);
  }
}

TEST(Adversarial, LengthOf2To60AsTheFirstRecord) {
  Logdir d;
  const int id =
      Load(&d, "events.out.tfevents.1", RecordHeader(uint64_t{1} << 60) + std::string(64, 'x'), kPush);
  EXPECT_EQ(d.files()[id].status, FileStatus::kLimit);
  EXPECT_TRUE(Has(d.files()[id].message, "max_record_bytes")) << d.files()[id].message;
  EXPECT_EQ(d.TotalPoints(), 0u);
}

TEST(Adversarial, LengthPointingPastTheEndWaitsWithoutAllocatingIt) {
  // 200 MiB claimed (under the limit), 1 KiB there: the file is waiting for more.
  const std::string good = Scalars(5);
  const std::string bytes = good + RecordHeader(200u << 20) + std::string(1024, 'z');
  const size_t before = HeapInUse();
  Logdir d;
  const int id = Load(&d, "r/events.out.tfevents.1", bytes, 333);
  const FileInfo& f = d.files()[id];
  EXPECT_EQ(f.status, FileStatus::kWaiting);
  EXPECT_TRUE(Has(f.message, "r/events.out.tfevents.1: ends inside a record")) << f.message;
  EXPECT_TRUE(Has(f.message, "from offset " + std::to_string(good.size()))) << f.message;
  EXPECT_EQ(d.Scalars("r", "loss")->size(), 5u);
  EXPECT_LT(HeapInUse(), before + kSmallHeap);
}

TEST(Adversarial, CrcValidRecordWithGarbageProtobuf) {
  EventWriter w;
  w.WriteScalar(1.0, 1, "loss", 1.0f);
  w.WriteRawRecord(std::string("\xff\xff\xff\xff\xff\x07garbage\x0a\xff\xff", 16));
  w.WriteRawRecord(std::string(5000, '\x0a'));  // field 1 length 10, over and over
  w.WriteScalar(2.0, 2, "loss", 2.0f);
  Logdir d;
  const int id = Load(&d, "r/events.out.tfevents.1", w.bytes(), kPush);
  const FileInfo& f = d.files()[id];
  EXPECT_EQ(f.status, FileStatus::kOk);
  EXPECT_EQ(f.bad_events, 2u);
  EXPECT_TRUE(Has(f.message, "r/events.out.tfevents.1: 2 bad events or values")) << f.message;
  EXPECT_TRUE(Has(f.message, "is not a valid Event")) << f.message;
  EXPECT_EQ(d.Scalars("r", "loss")->size(), 2u);  // before and after the garbage
}

// Value{list_value: ListValue{values: Value{...}}} `depth` times (hand-built
// bytes: a generated message this deep would overflow the stack of its own
// destructor).
std::string NestedStructValue(int depth) {
  std::string v = std::string("\x11", 1) + std::string(8, '\0');  // Value.number_value = 0
  auto wrap = [](int field, const std::string& inner) {
    std::string out(1, static_cast<char>(field << 3 | 2));
    uint64_t n = inner.size();
    while (n >= 0x80) {
      out.push_back(static_cast<char>(n | 0x80));
      n >>= 7;
    }
    out.push_back(static_cast<char>(n));
    return out + inner;
  };
  for (int i = 0; i < depth; ++i) v = wrap(6, wrap(1, v));  // Value.list_value(6) > ListValue.values(1)
  return v;
}

TEST(Adversarial, DeeplyNestedMessages) {
  EventWriter w;
  w.WriteScalar(1.0, 1, "loss", 1.0f);
  // 1. An event of a million nested unknown groups (field 15, start-group).
  w.WriteRawRecord(std::string(1000000, '\x7b'));
  // 2. hparams plugin content nesting google.protobuf.Value 3000 deep.
  {
    proto::Event e = MakeEvent(2.0, 2);
    proto::Summary::Value* v = AddSummaryValue(&e, "_hparams_/session_start_info");
    v->mutable_tensor()->set_dtype(proto::DT_FLOAT);
    v->mutable_tensor()->add_float_val(0);
    // HParamsPluginData.session_start_info(3) > SessionStartInfo.hparams(1) map entry {key 1, value 2}
    const std::string value = NestedStructValue(3000);
    std::string entry = std::string("\x0a\x02lr", 4);
    auto len = [](size_t n) {
      std::string s;
      while (n >= 0x80) {
        s.push_back(static_cast<char>(n | 0x80));
        n >>= 7;
      }
      s.push_back(static_cast<char>(n));
      return s;
    };
    entry += "\x12" + len(value.size()) + value;
    const std::string ssi = "\x0a" + len(entry.size()) + entry;
    const std::string content = "\x1a" + len(ssi.size()) + ssi;
    SetPluginMetadata(v, "hparams", content, proto::DATA_CLASS_TENSOR);
    w.WriteEvent(e);
  }
  w.WriteScalar(3.0, 3, "loss", 3.0f);
  Logdir d;
  const int id = Load(&d, "r/events.out.tfevents.1", w.bytes(), kPush);
  const FileInfo& f = d.files()[id];
  EXPECT_EQ(f.status, FileStatus::kOk) << f.message;
  EXPECT_GE(f.bad_events, 1u);  // the group bomb is not a valid Event
  EXPECT_TRUE(Has(f.message, "is not a valid Event")) << f.message;
  EXPECT_EQ(d.Scalars("r", "loss")->size(), 2u);
  (void)CollectHparams(d);  // must not recurse without bound
  ReferenceDump dump("r/events.out.tfevents.1");
  dump.Push(reinterpret_cast<const uint8_t*>(w.bytes().data()), w.bytes().size());
  EXPECT_FALSE(dump.Finish().empty());
}

TEST(Adversarial, TensorShapeClaimingBillionsWithFewBytes) {
  EventWriter w;
  proto::Event e = MakeEvent(1.0, 1);
  proto::Summary::Value* big = AddSummaryValue(&e, "big");
  big->mutable_tensor()->set_dtype(proto::DT_FLOAT);
  big->mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(100000);
  big->mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(100000);
  big->mutable_tensor()->add_float_val(1.0f);  // one value "fills" 10^10 elements
  // Under max_tensor_elements, but a 1 KiB string repeated 60 Mi times: 60 GiB.
  proto::Summary::Value* fill = AddSummaryValue(&e, "fill");
  fill->mutable_tensor()->set_dtype(proto::DT_STRING);
  fill->mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(60 << 20);
  fill->mutable_tensor()->add_string_val(std::string(1024, 's'));
  AddSummaryValue(&e, "ok")->set_simple_value(7.0f);
  w.WriteEvent(e);
  const size_t before = HeapInUse();
  Logdir d;
  const int id = Load(&d, "r/events.out.tfevents.1", w.bytes(), kPush);
  const FileInfo& f = d.files()[id];
  EXPECT_EQ(f.status, FileStatus::kOk);
  EXPECT_EQ(f.bad_events, 2u);
  EXPECT_TRUE(Has(f.message, "max_tensor_elements")) << f.message;  // the first problem
  EXPECT_EQ(d.Tensors("r", "big"), nullptr);
  EXPECT_EQ(d.Tensors("r", "fill"), nullptr);
  ASSERT_NE(d.Scalars("r", "ok"), nullptr);  // the other value of the event is kept
  EXPECT_EQ(d.Scalars("r", "ok")->size(), 1u);
  EXPECT_LT(HeapInUse(), before + kSmallHeap);

  // The fill alone names max_tensor_bytes.
  proto::Event e2 = MakeEvent(2.0, 2);
  *AddSummaryValue(&e2, "fill") = *fill;
  EventWriter w2;
  w2.WriteEvent(e2);
  Logdir d2;
  const int id2 = Load(&d2, "r/events.out.tfevents.2", w2.bytes(), kPush);
  EXPECT_TRUE(Has(d2.files()[id2].message, "tag 'fill'")) << d2.files()[id2].message;
  EXPECT_TRUE(Has(d2.files()[id2].message, "max_tensor_bytes")) << d2.files()[id2].message;
}

TEST(Adversarial, TarWithAbsurdSizesAndNames) {
  const std::string events = Scalars(4);
  std::string tar = test::TarEntry("run/events.out.tfevents.1", events);
  tar += test::TarEntry("../../etc/passwd", "root");                // unsafe: skipped
  tar += test::TarEntry(std::string(100, '\xff'), "odd");           // odd bytes: a name like any
  tar += test::TarHeader("././@LongLink", uint64_t{1} << 40, 'L');  // a 1 TiB long name
  tar += std::string(4096, 'n');
  const size_t before = HeapInUse();
  Logdir d;
  const int id = Load(&d, "logs.tar", tar, 1000);
  const FileInfo& a = d.files()[id];
  EXPECT_EQ(a.status, FileStatus::kCorrupt);
  EXPECT_TRUE(Has(a.message, "logs.tar: tar archive")) << a.message;
  EXPECT_TRUE(Has(a.message, "1099511627776")) << a.message;  // the claim, named
  EXPECT_TRUE(Has(a.message, "..")) << a.message;             // the skipped unsafe path
  ASSERT_NE(d.Scalars("logs.tar/run", "loss"), nullptr);      // the member before it is kept
  EXPECT_EQ(d.Scalars("logs.tar/run", "loss")->size(), 4u);
  EXPECT_LT(HeapInUse(), before + kSmallHeap);

  // A regular member claiming 2^62 bytes (GNU base-256) with 1 KiB there.
  const std::string tar2 = test::TarEntry("a/events.out.tfevents.1", events) +
                           test::TarHeader("b/events.out.tfevents.2", uint64_t{1} << 62) + events;
  Logdir d2;
  const int id2 = Load(&d2, "x.tar", tar2, kPush);
  EXPECT_EQ(d2.files()[id2].status, FileStatus::kCorrupt);
  EXPECT_TRUE(Has(d2.files()[id2].message, "4611686018427387904")) << d2.files()[id2].message;
  EXPECT_EQ(d2.Scalars("x.tar/a", "loss")->size(), 4u);
  EXPECT_EQ(d2.Scalars("x.tar/b", "loss")->size(), 4u);  // what the cut member held
}

TEST(Adversarial, ZipBombStopsAtTheLimit) {
  // 256 MiB of zeros deflated (~250 KiB), claimed as 1 KiB; and a member of real
  // events after it that is never reached.
  const std::string zeros = test::Deflate(std::string(256u << 20, '\0'), -15, 9);
  ASSERT_FALSE(zeros.empty());
  test::ZipEntry bomb;
  bomb.name = "bomb.bin";
  bomb.body = zeros;
  bomb.size_claim = 1024;
  const std::string zip = test::Zip(
      {{"run/events.out.tfevents.1", Scalars(10)}, bomb, {"late/events.out.tfevents.2", Scalars(3)}});
  Limits limits;
  limits.max_decompressed_bytes = 32u << 20;
  const size_t before = HeapInUse();
  Logdir d(limits);
  const int id = Load(&d, "bomb.zip", zip, kPush);
  const FileInfo& a = d.files()[id];
  EXPECT_EQ(a.status, FileStatus::kLimit);
  EXPECT_TRUE(Has(a.message, "bomb.zip: zip archive")) << a.message;
  EXPECT_TRUE(Has(a.message, "max_decompressed_bytes (33554432 bytes)")) << a.message;
  EXPECT_EQ(d.Scalars("bomb.zip/run", "loss")->size(), 10u);  // kept
  EXPECT_EQ(d.Scalars("bomb.zip/late", "loss"), nullptr);
  EXPECT_LT(HeapInUse(), before + kSmallHeap);

  // The ratio limit names itself.
  limits = Limits();
  limits.max_decompression_ratio = 100;
  Logdir d2(limits);
  const int id2 = Load(&d2, "bomb.zip", zip, kPush);
  EXPECT_EQ(d2.files()[id2].status, FileStatus::kLimit);
  EXPECT_TRUE(Has(d2.files()[id2].message, "max_decompression_ratio")) << d2.files()[id2].message;

  // A bomb of valid events: the member stops at the limit keeping its points.
  const std::string many = Scalars(200000);
  const std::string gz = test::Gzip(many);
  limits = Limits();
  limits.max_decompressed_bytes = many.size() / 2;
  Logdir d3(limits);
  const int id3 = Load(&d3, "events.out.tfevents.1.gz", gz, kPush);
  EXPECT_EQ(d3.files()[id3].status, FileStatus::kLimit);
  const FileInfo& m = d3.files().back();
  EXPECT_EQ(m.path, "events.out.tfevents.1");
  EXPECT_EQ(m.status, FileStatus::kLimit);
  EXPECT_TRUE(Has(m.message, "max_decompressed_bytes")) << m.message;
  EXPECT_GT(d3.TotalPoints(), 50000u);
  EXPECT_LT(d3.TotalPoints(), 200000u);
}

TEST(Adversarial, ArchivesInsideArchivesAreBoundedInDepthAndShareOneBudget) {
  // 200 gzip layers around an event file: opened 3 deep, then listed with the limit.
  std::string bytes = Scalars(50);
  for (int i = 0; i < 200; ++i) bytes = test::Gzip(bytes);
  Logdir d;
  const int id = Load(&d, "deep.gz", bytes, 4096);
  EXPECT_EQ(d.files()[id].status, FileStatus::kOk) << d.files()[id].message;
  ASSERT_EQ(d.files().size(), 4u);  // deep.gz, deep, deep.gunzipped, deep.gunzipped.gunzipped
  const FileInfo& last = d.files().back();
  EXPECT_EQ(last.status, FileStatus::kLimit);
  EXPECT_TRUE(
      Has(last.message, last.path + ": limit max_archive_depth (3 archives inside each other) reached"))
      << last.message;
  EXPECT_EQ(d.TotalPoints(), 0u);

  // A zip of 8 gzip bombs (each 8 MiB of zeros): with a 20 MiB budget for the
  // whole tree, not 20 MiB each, the later ones get what is left.
  const std::string inner = test::Gzip(std::string(8u << 20, '\0'));
  std::vector<test::ZipEntry> entries;
  for (int i = 0; i < 8; ++i) entries.push_back({"b" + std::to_string(i) + ".gz", inner, 0});
  Limits limits;
  limits.max_decompressed_bytes = 20u << 20;
  Logdir d2(limits);
  Load(&d2, "nested.zip", test::Zip(entries), kPush);
  uint64_t out = 0, limited = 0;
  for (const FileInfo& f : d2.files()) {
    if (f.path.size() > 3 && f.path.substr(f.path.size() - 3) != ".gz" && f.path != "nested.zip")
      out += f.bytes;
    if (f.status == FileStatus::kLimit) {
      ++limited;
      EXPECT_TRUE(Has(f.message, "max_decompressed_bytes")) << f.message;
    }
  }
  EXPECT_LE(out, 2 * limits.max_decompressed_bytes);  // the tree's budget (+ the outer zip's own)
  EXPECT_GE(limited, 1u);
}

TEST(Adversarial, ValidForAMillionRecordsThenCorrupt) {
  std::string bytes = Scalars(1000000);
  const uint64_t good = bytes.size();
  bytes += std::string(64, '\x5a');  // no valid length CRC
  Logdir d;
  const int id = Load(&d, "r/events.out.tfevents.1", bytes, 1 << 20);
  const FileInfo& f = d.files()[id];
  EXPECT_EQ(f.status, FileStatus::kCorrupt);
  EXPECT_TRUE(Has(f.message, "r/events.out.tfevents.1: corrupt: bad length CRC at offset " +
                                 std::to_string(good) + " (record 1000001)"))
      << f.message;
  EXPECT_TRUE(Has(f.message, "kept the 1000001 records")) << f.message;
  EXPECT_EQ(d.Scalars("r", "loss")->size(), 1000000u);
  EXPECT_EQ(f.records, 1000001u);
}

TEST(Adversarial, MaxMemoryBytesStopsTheLoadAndKeepsWhatWasRead) {
  Limits limits;
  limits.max_memory_bytes = 1u << 20;
  // Scalars: 3 tags of 100k points each, far over 1 MiB.
  EventWriter w;
  for (int i = 0; i < 100000; ++i) {
    for (const char* tag : {"a", "b", "c"}) w.WriteScalar(1e9 + i, i, tag, static_cast<float>(i) * 0.37f);
  }
  Logdir d(limits);
  const int id = Load(&d, "r/events.out.tfevents.1", w.bytes(), kPush);
  const FileInfo& f = d.files()[id];
  EXPECT_EQ(f.status, FileStatus::kLimit);
  EXPECT_TRUE(
      Has(f.message, "r/events.out.tfevents.1: limit max_memory_bytes (1048576 bytes held by all series)"))
      << f.message;
  EXPECT_TRUE(Has(f.message, "keeping what was read")) << f.message;
  EXPECT_GT(d.TotalPoints(), 1000u);
  EXPECT_LT(d.TotalPoints(), 300000u);
  // Past the limit by at most one check interval (4096 records) and one capacity
  // doubling of a series.
  EXPECT_LT(d.RetainedBytes(), 2 * limits.max_memory_bytes);
  // Another file is stopped at once: the limit is over all series.
  const int id2 = Load(&d, "s/events.out.tfevents.1", Scalars(10), kPush);
  EXPECT_EQ(d.files()[id2].status, FileStatus::kLimit);
  EXPECT_TRUE(Has(d.files()[id2].message, "max_memory_bytes")) << d.files()[id2].message;

  // Tensors (text): counted as they arrive, checked after large ones.
  EventWriter t;
  const std::string text(64 << 10, 't');
  for (int i = 0; i < 100; ++i) t.WriteText(1.0 + i, i, "note", text);
  Logdir d2(limits);
  const int id3 = Load(&d2, "r/events.out.tfevents.1", t.bytes(), kPush);
  EXPECT_EQ(d2.files()[id3].status, FileStatus::kLimit);
  EXPECT_TRUE(Has(d2.files()[id3].message, "max_memory_bytes")) << d2.files()[id3].message;
  ASSERT_NE(d2.Tensors("r", "note"), nullptr);
  EXPECT_GE(d2.Tensors("r", "note")->points().size(), 10u);
  EXPECT_LE(d2.Tensors("r", "note")->points().size(), 20u);
}

}  // namespace
}  // namespace tbview
