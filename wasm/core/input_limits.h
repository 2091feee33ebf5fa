// Limits that bound what a hostile or broken input can make the reader do.
//
// Every size in a log file is a claim, not a fact: a length field, a tensor shape,
// an archive member size or a compressed stream may claim far more than is there.
// The reader never allocates from a claim alone; it checks the claim against these
// limits first, and reaching one ends that file (or archive member) with a message
// that names the limit, keeping everything read before it.
#pragma once
#include <cstdint>

namespace tbview {

struct Limits {
  // Largest record payload accepted. Real records are at most a few MB (images).
  uint64_t max_record_bytes = 256ull << 20;
  // Largest number of elements one decoded tensor may have (a shape is a claim).
  uint64_t max_tensor_elements = 64ull << 20;
  // Largest decoded size of one tensor: 8 bytes per number, and per string its
  // bytes plus a string header. One value may fill a whole shape (numpy.repeat),
  // so a few bytes can claim this much: checked before the fill.
  uint64_t max_tensor_bytes = 512ull << 20;
  // Largest total of bytes produced by decompressing one archive or .gz file.
  uint64_t max_decompressed_bytes = 8ull << 30;
  // Largest ratio of decompressed to compressed bytes (zip bombs reach 1000+).
  // Checked once more than 16 MiB has come out, so small files are never refused.
  double max_decompression_ratio = 1100.0;
  // Most archives inside each other (a .gz in a .zip is 2). Deeper ones are
  // listed, not opened. Nested archives share their outermost archive's
  // max_decompressed_bytes, so nesting cannot multiply it.
  uint64_t max_archive_depth = 3;
  // Most runs, tags (over all runs) and stored points (over all series).
  uint64_t max_runs = 100000;
  uint64_t max_tags = 1000000;
  uint64_t max_points = 2000000000ull;
  // Most bytes held by all series and run events together (what RetainedBytes()
  // counts, plus run events' text). Checked every few thousand records (and
  // sooner after large tensors), so it may be passed by one interval's points
  // plus a series' capacity growth (under 2x) before the file stops. Below wasm's 4 GiB so the page survives.
  uint64_t max_memory_bytes = 2ull << 30;
};

}  // namespace tbview
