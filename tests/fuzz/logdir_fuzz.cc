// libFuzzer entry point for fuzz::LogdirOne (tests/fuzz/fuzz_harness.h, which says
// what is checked). Built with -DTBVIEW_FUZZ=ON; run by scripts/fuzz.sh.
#include "fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tbview::fuzz::LogdirOne(data, size);
  return 0;
}
