// RecordReader: framing over any split of the bytes, growing files, corruption.
#include "record_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "support/corpus.h"
#include "support/files.h"
#include "support/records.h"
#include "writer.h"

namespace tbview {
namespace {

using Status = RecordReader::Status;

struct Framed {
  std::string bytes;
  std::vector<std::string> payloads;
  std::vector<uint64_t> starts;  // file offset of each record
};

// Payloads of assorted sizes, including empty ones and ones larger than typical
// chunk sizes in the split tests.
Framed MakeFile(uint32_t seed, int count) {
  std::mt19937 rng(seed);
  Framed f;
  for (int i = 0; i < count; ++i) {
    size_t len;
    switch (rng() % 8) {
      case 0: len = 0; break;
      case 1: len = 1 + rng() % 11; break;
      case 2: len = 1000 + rng() % 5000; break;
      default: len = 20 + rng() % 40; break;  // small scalar events
    }
    std::string p(len, '\0');
    for (auto& c : p) c = static_cast<char>(rng());
    f.starts.push_back(f.bytes.size());
    AppendRecord(&f.bytes, p);
    f.payloads.push_back(std::move(p));
  }
  return f;
}

// Feeds `bytes` in the given chunk sizes, each chunk in its own buffer that is
// overwritten and freed as soon as next() says kNeedMore (so any pointer the
// reader kept into it would show up as wrong payloads). Returns the payloads read,
// checking the offsets as it goes.
std::vector<std::string> ReadInChunks(RecordReader* r, const std::string& bytes,
                                      const std::vector<size_t>& sizes, const Framed* expect = nullptr) {
  std::vector<std::string> got;
  size_t pos = 0;
  size_t i = 0;
  while (pos < bytes.size()) {
    const size_t n = std::min(sizes[i++ % sizes.size()], bytes.size() - pos);
    auto chunk = std::make_unique<uint8_t[]>(n == 0 ? 1 : n);
    std::memcpy(chunk.get(), bytes.data() + pos, n);
    r->push(chunk.get(), n);
    pos += n;
    std::string_view p;
    Status s;
    while ((s = r->next(&p)) == Status::kRecord) {
      if (expect && got.size() < expect->starts.size()) {
        EXPECT_EQ(r->payload_offset(), expect->starts[got.size()] + 12);
        EXPECT_EQ(r->consumed(), expect->starts[got.size()] + 16 + p.size());
      }
      got.emplace_back(p);
    }
    if (s == Status::kError) return got;
    EXPECT_EQ(r->consumed() + r->buffered(), pos);
    std::memset(chunk.get(), 0xA5, n);  // poison, then free
  }
  return got;
}

TEST(RecordReader, EmptyInput) {
  RecordReader r;
  std::string_view p;
  EXPECT_EQ(r.next(&p), Status::kNeedMore);
  r.push(nullptr, 0);
  EXPECT_EQ(r.next(&p), Status::kNeedMore);
  EXPECT_EQ(r.consumed(), 0u);
  EXPECT_EQ(r.buffered(), 0u);
  EXPECT_EQ(r.records(), 0u);
  EXPECT_FALSE(r.failed());
  EXPECT_FALSE(r.failed_at_first_record());
}

TEST(RecordReader, WholeFileInOnePushIsZeroCopy) {
  Framed f = MakeFile(1, 200);
  RecordReader r;
  const auto* base = reinterpret_cast<const uint8_t*>(f.bytes.data());
  r.push(base, f.bytes.size());
  std::string_view p;
  for (size_t i = 0; i < f.payloads.size(); ++i) {
    ASSERT_EQ(r.next(&p), Status::kRecord) << i;
    EXPECT_EQ(p, f.payloads[i]);
    EXPECT_EQ(r.payload_offset(), f.starts[i] + 12);
    EXPECT_EQ(reinterpret_cast<const uint8_t*>(p.data()), base + f.starts[i] + 12) << "copied record " << i;
  }
  EXPECT_EQ(r.next(&p), Status::kNeedMore);
  EXPECT_EQ(r.consumed(), f.bytes.size());
  EXPECT_EQ(r.buffered(), 0u);
  EXPECT_EQ(r.records(), f.payloads.size());
  EXPECT_EQ(r.bad_payload_crcs(), 0u);
}

TEST(RecordReader, OneByteAtATime) {
  Framed f = MakeFile(2, 60);
  RecordReader r;
  EXPECT_EQ(ReadInChunks(&r, f.bytes, {1}, &f), f.payloads);
  EXPECT_EQ(r.consumed(), f.bytes.size());
  EXPECT_EQ(r.buffered(), 0u);
  EXPECT_FALSE(r.failed());
}

TEST(RecordReader, RandomSplitsManySeeds) {
  for (uint32_t seed = 0; seed < 300; ++seed) {
    SCOPED_TRACE(seed);
    Framed f = MakeFile(seed, 40);
    std::mt19937 rng(seed * 7919 + 1);
    std::vector<size_t> sizes(64);
    const size_t scale = size_t{1} << (rng() % 14);                            // 1 .. 8192
    for (auto& s : sizes) s = rng() % (2 * scale) + (rng() % 4 == 0 ? 0 : 1);  // some empty pushes
    RecordReader r;
    ASSERT_EQ(ReadInChunks(&r, f.bytes, sizes, &f), f.payloads);
    EXPECT_EQ(r.consumed(), f.bytes.size());
    EXPECT_EQ(r.records(), f.payloads.size());
  }
}

TEST(RecordReader, PushAgainBeforeDrainingKeepsOrder) {
  // A caller may push the next chunk before next() has said kNeedMore; the unread
  // part of the previous chunk is kept (copied by push), so that chunk may be freed
  // once the next push() has returned.
  Framed f = MakeFile(3, 30);
  RecordReader r;
  std::vector<std::string> got;
  size_t pos = 0;
  std::mt19937 rng(3);
  std::vector<uint8_t> previous;
  while (pos < f.bytes.size()) {
    const size_t n = std::min<size_t>(1 + rng() % 700, f.bytes.size() - pos);
    std::vector<uint8_t> chunk(f.bytes.begin() + pos, f.bytes.begin() + pos + n);
    r.push(chunk.data(), n);
    std::fill(previous.begin(), previous.end(), 0x5A);  // poison the chunk before
    previous.swap(chunk);
    pos += n;
    std::string_view p;
    if (r.next(&p) == Status::kRecord) got.emplace_back(p);  // take at most one
  }
  std::vector<uint8_t> none;
  r.push(none.data(), 0);
  std::fill(previous.begin(), previous.end(), 0x5A);
  std::string_view p;
  while (r.next(&p) == Status::kRecord) got.emplace_back(p);
  EXPECT_EQ(got, f.payloads);
  EXPECT_EQ(r.consumed(), f.bytes.size());
}

TEST(RecordReader, LargeRecordAcrossManyChunks) {
  std::string big(3 << 20, '\0');
  std::mt19937 rng(5);
  for (auto& c : big) c = static_cast<char>(rng());
  std::string bytes;
  AppendRecord(&bytes, "small");
  AppendRecord(&bytes, big);
  AppendRecord(&bytes, "after");
  RecordReader r;
  EXPECT_EQ(ReadInChunks(&r, bytes, {4096, 777}), (std::vector<std::string>{"small", big, "after"}));
}

TEST(RecordReader, GrowingFileReadInSeveralReloads) {
  // The writer appends records (sometimes half a record) between reloads; each
  // reload pushes the bytes after consumed() + buffered() and drains.
  Framed f = MakeFile(9, 120);
  RecordReader r;
  std::vector<std::string> got;
  std::mt19937 rng(9);
  size_t file_size = 0;
  int reloads = 0;
  while (file_size < f.bytes.size()) {
    file_size = std::min(f.bytes.size(), file_size + 1 + rng() % 3000);  // the file grows
    const size_t from = r.consumed() + r.buffered();
    std::string chunk = f.bytes.substr(from, file_size - from);
    r.push(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
    std::string_view p;
    Status s;
    while ((s = r.next(&p)) == Status::kRecord) got.emplace_back(p);
    ASSERT_EQ(s, Status::kNeedMore);  // a half-written record is not an error
    ++reloads;
  }
  EXPECT_GT(reloads, 10);
  EXPECT_EQ(got, f.payloads);
  EXPECT_EQ(r.consumed(), f.bytes.size());
}

TEST(RecordReader, GrowingFileReloadWithFreshReaderFromConsumed) {
  // Re-opening at consumed() with a new reader (e.g. after the page reloads the
  // file) continues exactly: nothing lost, nothing twice.
  Framed f = MakeFile(10, 50);
  const size_t cut = f.bytes.size() / 2 + 3;  // inside some record
  RecordReader a;
  std::vector<std::string> got = ReadInChunks(&a, f.bytes.substr(0, cut), {1000});
  RecordReader b;
  b.push(reinterpret_cast<const uint8_t*>(f.bytes.data()) + a.consumed(), f.bytes.size() - a.consumed());
  std::string_view p;
  while (b.next(&p) == Status::kRecord) got.emplace_back(p);
  EXPECT_EQ(got, f.payloads);
}

TEST(RecordReader, TruncatedTailIsNeedMoreNotError) {
  Framed f = MakeFile(4, 10);
  for (size_t cut : {1, 5, 11, 12, 13, 15}) {  // inside the footer, payload, header
    SCOPED_TRACE(cut);
    const std::string bytes =
        f.bytes.substr(0, f.bytes.size() - std::min(cut, f.bytes.size() - f.starts.back()));
    RecordReader r;
    r.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    std::string_view p;
    size_t n = 0;
    Status s;
    while ((s = r.next(&p)) == Status::kRecord) ++n;
    EXPECT_EQ(s, Status::kNeedMore);
    EXPECT_FALSE(r.failed());
    EXPECT_EQ(n, f.payloads.size() - 1);
    EXPECT_EQ(r.consumed(), f.starts.back());
    EXPECT_EQ(r.buffered(), bytes.size() - f.starts.back());
    // The rest arrives: the last record is read.
    const std::string rest = f.bytes.substr(bytes.size());
    r.push(reinterpret_cast<const uint8_t*>(rest.data()), rest.size());
    ASSERT_EQ(r.next(&p), Status::kRecord);
    EXPECT_EQ(p, f.payloads.back());
  }
}

TEST(RecordReader, BadLengthCrcFailsAndStaysFailed) {
  Framed f = MakeFile(6, 30);
  std::string bytes = f.bytes;
  bytes[f.starts[17] + 9] ^= 0x01;  // a length-CRC byte of record 17
  for (size_t chunk : {size_t{1}, size_t{13}, bytes.size()}) {
    SCOPED_TRACE(chunk);
    RecordReader r;
    std::vector<std::string> got = ReadInChunks(&r, bytes, {chunk});
    EXPECT_EQ(got.size(), 17u);
    ASSERT_TRUE(r.failed());
    EXPECT_FALSE(r.failed_at_first_record());
    EXPECT_EQ(r.error(), "bad length CRC at offset " + std::to_string(f.starts[17]) + " (record 17)");
    EXPECT_EQ(r.consumed(), f.starts[17]);
    std::string_view p;
    EXPECT_EQ(r.next(&p), Status::kError);
    r.push(reinterpret_cast<const uint8_t*>(f.bytes.data()), f.bytes.size());  // more bytes change nothing
    EXPECT_EQ(r.next(&p), Status::kError);
    EXPECT_EQ(r.records(), 17u);
  }
}

TEST(RecordReader, BadLengthBitsAlsoFailTheLengthCrc) {
  Framed f = MakeFile(6, 5);
  std::string bytes = f.bytes;
  bytes[f.starts[2]] ^= 0x40;  // the length itself is damaged
  RecordReader r;
  EXPECT_EQ(ReadInChunks(&r, bytes, {bytes.size()}).size(), 2u);
  EXPECT_TRUE(r.failed());
}

TEST(RecordReader, BadPayloadCrcIsSkippedAndCounted) {
  Framed f = MakeFile(7, 30);
  size_t victim = 0;
  while (f.payloads[victim].empty()) ++victim;
  victim += 3;
  while (f.payloads[victim].empty()) ++victim;
  std::string bytes = f.bytes;
  bytes[f.starts[victim] + 12] ^= 0x80;  // first payload byte
  std::vector<std::string> want = f.payloads;
  want.erase(want.begin() + static_cast<std::ptrdiff_t>(victim));
  for (size_t chunk : {size_t{1}, size_t{29}, bytes.size()}) {
    SCOPED_TRACE(chunk);
    RecordReader r;
    EXPECT_EQ(ReadInChunks(&r, bytes, {chunk}), want);
    EXPECT_EQ(r.bad_payload_crcs(), 1u);
    EXPECT_EQ(r.records(), want.size());
    EXPECT_FALSE(r.failed());
    EXPECT_EQ(r.consumed(), bytes.size());
  }
}

TEST(RecordReader, HugeClaimedLengthIsAnErrorWithoutAllocating) {
  const std::string bytes = test::RecordHeader(uint64_t{1} << 60) + std::string(100, 'x');
  for (size_t chunk : {size_t{1}, bytes.size()}) {
    RecordReader r;
    EXPECT_TRUE(ReadInChunks(&r, bytes, {chunk}).empty());  // an allocation of 2^60 would throw
    ASSERT_TRUE(r.failed());
    EXPECT_TRUE(r.failed_at_first_record());
    EXPECT_EQ(r.error(),
              "record at offset 0 claims 1152921504606846976 bytes, over max_record_bytes (268435456)");
  }
}

TEST(RecordReader, LimitIsInclusive) {
  std::string bytes;
  AppendRecord(&bytes, std::string(100, 'a'));
  AppendRecord(&bytes, std::string(101, 'b'));
  RecordReader r(100);
  r.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::string_view p;
  EXPECT_EQ(r.next(&p), Status::kRecord);
  EXPECT_EQ(r.next(&p), Status::kError);
  EXPECT_EQ(r.error(), "record at offset 116 claims 101 bytes, over max_record_bytes (100)");
  EXPECT_FALSE(r.failed_at_first_record());
}

TEST(RecordReader, StraddlingRecordBuffersOnlyWhatWasPushed) {
  // A valid header claiming 200 MB (under the limit) followed by 1 KB: the reader
  // waits, holding about 1 KB, not 200 MB.
  const std::string head = test::RecordHeader(200ull << 20);
  const std::string body(1024, 'z');
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const size_t before = mallinfo2().uordblks + mallinfo2().hblkhd;
#endif
  RecordReader r;
  std::string_view p;
  r.push(reinterpret_cast<const uint8_t*>(head.data()), head.size());
  EXPECT_EQ(r.next(&p), Status::kNeedMore);
  r.push(reinterpret_cast<const uint8_t*>(body.data()), body.size());
  EXPECT_EQ(r.next(&p), Status::kNeedMore);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.buffered(), head.size() + body.size());
  EXPECT_EQ(r.consumed(), 0u);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const size_t after = mallinfo2().uordblks + mallinfo2().hblkhd;
  EXPECT_LT(after, before + (1u << 20)) << "the reader allocated from the claimed length";
#endif
}

TEST(RecordReader, FailedAtFirstRecord) {
  const std::string lfs = "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n";
  RecordReader r;
  r.push(reinterpret_cast<const uint8_t*>(lfs.data()), lfs.size());
  std::string_view p;
  EXPECT_EQ(r.next(&p), Status::kError);
  EXPECT_TRUE(r.failed_at_first_record());
  EXPECT_EQ(r.error(), "bad length CRC at offset 0 (record 0)");

  // One good record before the damage: a corrupt event file, not a non-event file.
  std::string bytes;
  AppendRecord(&bytes, "ok");
  bytes += lfs;
  RecordReader r2;
  r2.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  EXPECT_EQ(r2.next(&p), Status::kRecord);
  EXPECT_EQ(r2.next(&p), Status::kError);
  EXPECT_FALSE(r2.failed_at_first_record());
  EXPECT_EQ(r2.error(), "bad length CRC at offset 18 (record 1)");
}

TEST(RecordReader, ReadsTheReferenceFirstRecord) {
  // The first record of TensorBoard's event-file format description: file_version
  // "brain.Event:2" written at wall time 1599759586.0.
  std::string rec("\x18\0\0\0\0\0\0\0\xa3\x7f\x4b\x22\x09\x00\x00\x80\x38\x99\xd6\xd7\x41\x1a\x0d", 23);
  rec += "brain.Event:2";
  rec += std::string("\x12\x4b\x36\xab", 4);
  RecordReader r;
  r.push(reinterpret_cast<const uint8_t*>(rec.data()), rec.size());
  std::string_view p;
  ASSERT_EQ(r.next(&p), Status::kRecord);
  EXPECT_EQ(p.size(), 24u);
  EXPECT_EQ(p.substr(11), "brain.Event:2");
  EXPECT_EQ(r.payload_offset(), 12u);
  EXPECT_EQ(r.consumed(), 40u);
}

// Every event file of the corpus of real logs frames into exactly the number of
// records TensorBoard's reader found (INDEX.tsv column 8), whatever the chunking.
TEST(RecordReaderCorpus, RecordCountsMatchTheIndex) {
  TBVIEW_REQUIRE_CORPUS();
  std::vector<test::CorpusRow> rows;
  if (!test::ReadCorpusIndex(&rows)) GTEST_SKIP() << "no INDEX.tsv in " << test::CorpusDir();
  int files = 0;
  std::mt19937 rng(42);
  for (const test::CorpusRow& row : rows) {
    if (row.size == 0) continue;
    const bool ok = row.walk_status == "ok", truncated = row.walk_status == "truncated-record";
    if (!ok && !truncated) continue;
    SCOPED_TRACE(row.path);
    const std::string bytes = test::ReadFile(test::CorpusDir() + "/files/" + row.path);
    ASSERT_EQ(bytes.size(), row.size);
    RecordReader r;
    const size_t chunk = 1 + rng() % 5000;
    const std::vector<std::string> got = ReadInChunks(&r, bytes, {chunk, 1, 65536});
    EXPECT_FALSE(r.failed()) << r.error();
    EXPECT_EQ(std::to_string(got.size()), row.records);
    EXPECT_EQ(r.bad_payload_crcs(), 0u);
    if (ok) {
      EXPECT_EQ(r.consumed(), bytes.size());
    }
    if (truncated) {
      EXPECT_GT(r.buffered(), 0u);
    }
    ++files;
  }
  EXPECT_GT(files, 50);
}

}  // namespace
}  // namespace tbview
