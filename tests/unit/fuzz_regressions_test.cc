// Every input a fuzzer (tests/fuzz, scripts/fuzz.sh) found a problem with,
// replayed through the same harness (tests/fuzz/fuzz_harness.h), which aborts on
// a broken invariant; the sanitizer build (scripts/test.sh) catches the memory
// errors and UB these inputs once caused. Each test says what was wrong and where
// it was fixed. Inputs are inline bytes (small by construction: libFuzzer
// minimizes them); the first bytes are the harness's configuration.
#include <gtest/gtest.h>

#include <string>

#include "../fuzz/fuzz_harness.h"

namespace tbview {
namespace {

void Replay(void (*harness)(const uint8_t*, size_t), const std::string& bytes) {
  harness(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// The harnesses themselves, on a few plain inputs, so a harness that rots is
// noticed in the ordinary test run too.
TEST(FuzzRegressions, HarnessesRunOnPlainInputs) {
  EventWriter w;
  w.WriteFileVersion(1.0);
  w.WriteScalar(1.0, 1, "loss", 0.5f);
  w.WriteText(1.0, 1, "note", "hello");
  w.WriteHistogram(1.0, 1, "h", {1.0, 2.0});
  const std::string file = w.bytes();
  for (const char* config : {"\x00\x00", "\x01\x02", "\x81\x03"}) {
    Replay(fuzz::RecordReaderOne, std::string(config, 2) + file);
  }
  Replay(fuzz::LogdirOne, std::string("\x00\x03\x80", 3) + file);
  Replay(fuzz::LogdirOne, std::string("\xff\x01\x10", 3) + file);
  std::string payload;
  RecordReader r;
  r.push(reinterpret_cast<const uint8_t*>(file.data()), file.size());
  std::string_view p;
  while (r.next(&p) == RecordReader::Status::kRecord) Replay(fuzz::EventOne, std::string(p));
  Replay(fuzz::ArchiveOne, std::string("\x01\x03", 2) + std::string(1024, '\0'));
  Replay(fuzz::TensorOne, std::string("\x05\x08\x01", 3));
}

// tensor_fuzz, crash-71b1b182: a [6, 2] float PR-curve tensor holding NaN and
// -inf: MakePrCurvePoint converted them to int64 (UB natively, a trap in wasm).
// Fixed in plugins.cc (numpy's x86 conversion, in uint64_t).
TEST(FuzzRegressions, PrCurveWithNanCountsIsNotUndefined) {
  const std::string input(
      "\x10\x08\x01\x12\x08\x12\x02\x08\x06\x12\x02\x08\x02\x22\x30\x00\x00\x00\x3f\x00\x00\x3f\x00\x00"
      "\x00\xc3\xff\xff\xff\xc0\xff\xff\xff\x3f\x00\x00\x00\xbf\x00\x00\x00\x3f\x00\x00\x00\x3f\x00\x00"
      "\x00\x3f\x00\x00\x00\x3f\x00\x00\x00\x3f\x00\x00\x00\x00\x3f",
      63);
  Replay(fuzz::TensorOne, input);
  TensorPoint point;
  point.tensor.dtype = kDtFloat;
  point.tensor.shape = {6, 2};
  point.tensor.numbers.assign(12, std::nan(""));
  point.tensor.numbers[1] = -1e300;
  PrCurvePoint pr;
  ASSERT_TRUE(MakePrCurvePoint(point, &pr));
  // Column 1: TP -1e300 and FP NaN both become INT64_MIN; their sum wraps to 0 in
  // numpy too, so the column is trimmed as TensorBoard trims it.
  EXPECT_EQ(pr.tp.size(), 1u);
}

}  // namespace
}  // namespace tbview
