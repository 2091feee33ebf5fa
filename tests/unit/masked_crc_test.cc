// CRC32C check values, chaining, and agreement of the portable and SSE4.2 paths.
#include "masked_crc.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace tbview {
namespace {

using CrcFn = uint32_t (*)(const void*, size_t, uint32_t);

std::vector<std::pair<const char*, CrcFn>> Paths() {
  std::vector<std::pair<const char*, CrcFn>> paths = {{"dispatch", &Crc32c}, {"portable", &Crc32cPortable}};
  if (Crc32cHardwareAvailable()) paths.push_back({"sse4.2", &Crc32cHardware});
  return paths;
}

TEST(MaskedCrc, CheckValues) {
  // RFC 3720 (iSCSI) B.4 and the usual "123456789" check value.
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xFF), inc(32);
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<uint8_t>(i);
  for (const auto& [name, fn] : Paths()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(fn(zeros.data(), zeros.size(), 0), 0x8A9136AAu);
    EXPECT_EQ(fn(ones.data(), ones.size(), 0), 0x62A8AB43u);
    EXPECT_EQ(fn(inc.data(), inc.size(), 0), 0x46DD794Eu);
    EXPECT_EQ(fn("123456789", 9, 0), 0xE3069283u);
    EXPECT_EQ(fn("", 0, 0), 0u);
    EXPECT_EQ(fn(nullptr, 0, 0), 0u);
  }
}

TEST(MaskedCrc, FirstRecordOfTheFormatReference) {
  // The first example of TensorBoard's event-file format description: the
  // file_version record written at wall time 1599759586.0.
  const uint8_t length[8] = {0x18, 0, 0, 0, 0, 0, 0, 0};
  std::string payload("\x09\x00\x00\x80\x38\x99\xd6\xd7\x41\x1a\x0d", 11);
  payload += "brain.Event:2";
  ASSERT_EQ(payload.size(), 0x18u);
  EXPECT_EQ(MaskedCrc32c(length, 8), 0x224B7FA3u);                       // bytes a3 7f 4b 22
  EXPECT_EQ(MaskedCrc32c(payload.data(), payload.size()), 0xAB364B12u);  // bytes 12 4b 36 ab
  double wall;
  std::memcpy(&wall, payload.data() + 1, 8);
  EXPECT_EQ(wall, 1599759586.0);
}

TEST(MaskedCrc, MaskRoundTrip) {
  EXPECT_EQ(MaskCrc(0), 0xA282EAD8u);
  std::mt19937 rng(7);
  for (int i = 0; i < 1000; ++i) {
    const uint32_t c = rng();
    EXPECT_EQ(UnmaskCrc(MaskCrc(c)), c);
    EXPECT_EQ(MaskCrc(c), ((c >> 15) | (c << 17)) + 0xA282EAD8u);
  }
  EXPECT_EQ(MaskedCrc32c("123456789", 9), MaskCrc(0xE3069283u));
}

TEST(MaskedCrc, ChainingEqualsOneCall) {
  std::mt19937 rng(11);
  std::vector<uint8_t> buf(1000);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  for (const auto& [name, fn] : Paths()) {
    SCOPED_TRACE(name);
    const uint32_t whole = fn(buf.data(), buf.size(), 0);
    for (size_t split : {0, 1, 7, 8, 9, 63, 500, 999, 1000}) {
      EXPECT_EQ(fn(buf.data() + split, buf.size() - split, fn(buf.data(), split, 0)), whole) << split;
    }
  }
}

TEST(MaskedCrc, HardwareAndPortableAgreeOnAllLengthsAndAlignments) {
  if (!Crc32cHardwareAvailable()) GTEST_SKIP() << "no SSE4.2 path in this build or on this CPU";
  std::mt19937 rng(12345);
  std::vector<uint8_t> buf(300 + 16);
  for (int round = 0; round < 4; ++round) {
    for (auto& b : buf) b = static_cast<uint8_t>(rng());
    for (size_t start = 0; start < 16; ++start) {
      for (size_t n = 0; n <= 300; ++n) {
        const uint32_t seed = round == 0 ? 0 : rng();
        ASSERT_EQ(Crc32cHardware(buf.data() + start, n, seed), Crc32cPortable(buf.data() + start, n, seed))
            << "start " << start << " length " << n;
      }
    }
  }
}

TEST(MaskedCrc, LargeBufferAgrees) {
  std::mt19937 rng(3);
  std::vector<uint8_t> buf(1 << 20);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  const uint32_t portable = Crc32cPortable(buf.data() + 1, buf.size() - 1);
  EXPECT_EQ(Crc32c(buf.data() + 1, buf.size() - 1), portable);
  if (Crc32cHardwareAvailable()) {
    EXPECT_EQ(Crc32cHardware(buf.data() + 1, buf.size() - 1), portable);
  }
}

}  // namespace
}  // namespace tbview
