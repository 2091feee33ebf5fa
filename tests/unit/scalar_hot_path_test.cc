// The scalar hot path's storage and framing: ScalarSeries' chunks (boundaries,
// restarts across chunks, widening, Shrink, moves) against a plain reference
// model, and the batched record checks (CheckRecordCrcs, RecordReader's
// lookahead) against one-record-at-a-time expectations.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "masked_crc.h"
#include "record_reader.h"
#include "series.h"
#include "support/records.h"

namespace tbview {
namespace {

using test::Frame;

// What a ScalarSeries must hold: the restart rule applied to plain vectors.
struct Model {
  std::vector<int64_t> steps;
  std::vector<double> walls, values;
  uint64_t dropped = 0;
  void Append(int64_t step, double wall, double value) {
    if (!steps.empty() && step < steps.back()) {
      size_t keep = 0;
      while (keep < steps.size() && steps[keep] < step) ++keep;
      dropped += steps.size() - keep;
      steps.resize(keep);
      walls.resize(keep);
      values.resize(keep);
    }
    steps.push_back(step);
    walls.push_back(wall);
    values.push_back(value);
  }
};

void ExpectSame(const ScalarSeries& s, const Model& m) {
  ASSERT_EQ(s.size(), m.steps.size());
  EXPECT_EQ(s.dropped(), m.dropped);
  for (size_t i = 0; i < m.steps.size(); ++i) {
    ASSERT_EQ(s.step(i), m.steps[i]) << i;
    ASSERT_EQ(s.wall_time(i), m.walls[i]) << i;
    ASSERT_EQ(s.value(i), m.values[i]) << i;
  }
}

constexpr size_t kChunk = ScalarSeries::kChunkPoints;

TEST(ScalarChunks, AcrossChunkBoundariesWithRestartsAndShrink) {
  ScalarSeries s;
  Model m;
  auto add = [&](int64_t step, double wall, double value) {
    const uint64_t before = m.dropped;
    m.Append(step, wall, value);
    EXPECT_EQ(s.Append(step, wall, value), m.dropped - before);  // this append's drops
  };
  for (size_t i = 0; i < 2 * kChunk + 100; ++i)
    add(static_cast<int64_t>(i), 1e9 + i, static_cast<float>(i) * 0.5f);
  ExpectSame(s, m);
  // A restart back into the first chunk frees the later ones.
  add(static_cast<int64_t>(kChunk - 10), 5, 7);
  ExpectSame(s, m);
  EXPECT_EQ(s.size(), kChunk - 9);
  // Exactly one full chunk, then growth into a second one again.
  add(static_cast<int64_t>(kChunk - 10), 6, 8);  // equal steps are kept
  for (int64_t i = 0; i < 20; ++i) add(static_cast<int64_t>(kChunk) + i, 7, 9);
  ExpectSame(s, m);
  s.Shrink();
  ExpectSame(s, m);
  EXPECT_EQ(s.RetainedBytes(),
            m.steps.size() * 16 + 16 /* one block */ + 2 * 3 * sizeof(void*) /* chunk table */);
  // Appending after Shrink regrows the last chunk.
  for (int64_t i = 0; i < 1000; ++i) add(static_cast<int64_t>(2 * kChunk) + i, 8, -1);
  ExpectSame(s, m);
  // A restart to before everything empties it; it starts again from nothing.
  add(-5, 1, 2);
  ExpectSame(s, m);
  EXPECT_EQ(s.size(), 1u);
}

TEST(ScalarChunks, WideningConvertsEveryChunk) {
  ScalarSeries s;
  Model m;
  for (size_t i = 0; i < kChunk + 5; ++i) {
    s.Append(static_cast<int64_t>(i), 1.0 * i, 0.25 * static_cast<double>(i));
    m.Append(static_cast<int64_t>(i), 1.0 * i, 0.25 * static_cast<double>(i));
  }
  s.Append(static_cast<int64_t>(kChunk + 5), 0, 0.1);  // not a float
  m.Append(static_cast<int64_t>(kChunk + 5), 0, 0.1);
  ExpectSame(s, m);
  s.Shrink();
  EXPECT_EQ(s.RetainedBytes(), m.steps.size() * 20 + 16 + 2 * 3 * sizeof(void*));
}

TEST(ScalarChunks, RandomStepsMatchTheModel) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 4; ++round) {
    ScalarSeries s;
    Model m;
    int64_t step = 0;
    for (int i = 0; i < 300000; ++i) {
      const uint64_t r = rng();
      if (r % 20000 == 0) {
        step -= static_cast<int64_t>(rng() % 150000);  // restart, possibly across chunks
      } else if (r % 50000 == 1) {
        step += int64_t{1} << 33;  // beyond a 32-bit delta: a new block
      } else {
        step += static_cast<int64_t>(r % 3);
      }
      const double v = (r & 1) ? static_cast<float>(i) : i + 0.1;
      s.Append(step, i, round == 0 ? static_cast<float>(i) : v);
      m.Append(step, i, round == 0 ? static_cast<float>(i) : v);
      if (i % 100000 == 99999) s.Shrink();
    }
    ExpectSame(s, m);
  }
}

TEST(ScalarChunks, MoveLeavesTheSourceEmptyAndUsable) {
  ScalarSeries a;
  for (size_t i = 0; i < kChunk + 3; ++i) a.Append(static_cast<int64_t>(i), 1, 2);
  ScalarSeries b(std::move(a));
  EXPECT_EQ(b.size(), kChunk + 3);
  EXPECT_EQ(b.step(kChunk + 2), static_cast<int64_t>(kChunk + 2));
  EXPECT_EQ(a.size(), 0u);  // NOLINT: moved-from is specified as empty
  a.Append(3, 4, 5);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.step(0), 3);
  ScalarSeries c;
  c.Append(1, 1, 1);
  c = std::move(b);
  EXPECT_EQ(c.size(), kChunk + 3);
  EXPECT_EQ(c.value(kChunk), 2);
}

// ---- batched record checks

TEST(RecordBatch, CheckRecordCrcsFlagsEachRecordOnItsOwn) {
  std::mt19937 rng(3);
  std::string bytes;
  std::vector<size_t> at;
  std::vector<uint8_t> want;
  for (int i = 0; i < 37; ++i) {
    std::string payload(rng() % 70, 'a');
    for (char& ch : payload) ch = static_cast<char>(rng());
    std::string rec = Frame(payload);
    uint8_t ok = 3;
    if (i % 5 == 1) {  // payload CRC broken
      rec[rec.size() - 1] ^= 1;
      ok = 1;
    }
    if (i % 7 == 3) {  // length CRC broken
      rec[9] ^= 4;
      ok &= 2;
    }
    at.push_back(bytes.size());
    bytes += rec;
    want.push_back(ok);
  }
  std::vector<const uint8_t*> recs;
  std::vector<uint64_t> lens;
  for (size_t i = 0; i < at.size(); ++i) {
    const uint8_t* r = reinterpret_cast<const uint8_t*>(bytes.data()) + at[i];
    uint64_t len;
    std::memcpy(&len, r, 8);
    recs.push_back(r);
    lens.push_back(len);
  }
  std::vector<uint8_t> ok(recs.size(), 0xff);
  CheckRecordCrcs(recs.data(), lens.data(), recs.size(), ok.data());
  EXPECT_EQ(ok, want);
}

TEST(RecordBatch, LookaheadKeepsOffsetsCountsAndErrorsExact) {
  // 200 records, some with bad payload CRCs, then a bad length CRC: the reader
  // must hand out the good ones with their file offsets, count the bad ones, and
  // fail at exactly the broken header, whatever the push sizes.
  std::string bytes;
  std::vector<uint64_t> offsets;
  std::vector<std::string> payloads;
  uint64_t bad = 0;
  for (int i = 0; i < 200; ++i) {
    std::string payload = "event " + std::to_string(i) + std::string(i % 50, 'x');
    std::string rec = Frame(payload);
    if (i % 17 == 5) {
      rec[14] ^= 0x40;  // a payload byte
      ++bad;
    } else {
      offsets.push_back(bytes.size() + 12);
      payloads.push_back(payload);
    }
    bytes += rec;
  }
  const uint64_t broken_at = bytes.size();
  std::string last = Frame("after");
  last[8] ^= 1;
  bytes += last;
  for (size_t chunk : {size_t(1) << 20, size_t(1000), size_t(100), size_t(7)}) {
    SCOPED_TRACE(chunk);
    RecordReader r;
    std::vector<std::string> got;
    std::vector<uint64_t> got_offsets;
    RecordReader::Status st = RecordReader::Status::kNeedMore;
    for (size_t o = 0; o < bytes.size() && st != RecordReader::Status::kError; o += chunk) {
      r.push(reinterpret_cast<const uint8_t*>(bytes.data()) + o, std::min(chunk, bytes.size() - o));
      std::string_view p;
      while ((st = r.next(&p)) == RecordReader::Status::kRecord) {
        got.emplace_back(p);
        got_offsets.push_back(r.payload_offset());
      }
    }
    EXPECT_EQ(st, RecordReader::Status::kError);
    EXPECT_EQ(got, payloads);
    EXPECT_EQ(got_offsets, offsets);
    EXPECT_EQ(r.bad_payload_crcs(), bad);
    EXPECT_EQ(r.records(), payloads.size());
    EXPECT_EQ(r.consumed(), broken_at);
    EXPECT_NE(r.error().find("bad length CRC at offset " + std::to_string(broken_at)), std::string::npos)
        << r.error();
  }
}

}  // namespace
}  // namespace tbview
