// libFuzzer entry point for fuzz::ProjectorOne (tests/fuzz/projector_fuzz_harness.h,
// which says what is checked). Built with -DTBVIEW_FUZZ=ON; run by
// `scripts/fuzz.sh SECONDS projector`.
#include "projector_fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tbview::fuzz::ProjectorOne(data, size);
  return 0;
}
