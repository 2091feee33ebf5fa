// ReferenceDump: one event file read the way TensorBoard's Python
// EventFileLoader (tensorboard@70b76c9, data_compat + dataclass_compat) reads it,
// written as the tb-reference-1 JSON document that the corpus (the folder the
// conformance test is given) holds under expected/ for every file. Comparing the two is the conformance test.
//
// Semantics mirrored from the reference reader:
// - records are read until the end of the bytes, a framing error, or the first
//   record whose payload CRC fails (the reference reader stops there too);
// - status is "ok", "truncated" (bytes left inside a record at the end) or
//   "error" (framing failed; error_detail says why);
// - each tag's plugin, data_class, display_name and description come from the
//   first value of that tag that carries metadata (after data compat);
// - graph_def events are listed under "graph_def", not as tags.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "input_limits.h"

namespace tbview {

class ReferenceDump {
 public:
  explicit ReferenceDump(std::string file_label, const Limits& limits = Limits());
  ~ReferenceDump();
  ReferenceDump(const ReferenceDump&) = delete;
  ReferenceDump& operator=(const ReferenceDump&) = delete;

  // The next bytes of the file, in chunks of any size.
  void Push(const uint8_t* data, size_t size);
  // The whole document (indent 1, as the corpus files). Call once, after the
  // last Push.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tbview
