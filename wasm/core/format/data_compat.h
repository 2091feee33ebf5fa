// From an Event's bytes to one form: TensorBoard's "data compat".
//
// Every legacy value kind (simple_value, histo, image, audio) becomes the tensor
// form TensorBoard's own loader gives it, with the plugin metadata TensorBoard
// assigns; TF2 tensor values keep their tensor and metadata. graph_def and
// tagged_run_metadata become blob values under the tags TensorBoard uses.
// The result is what both the reference dump (tb-reference-1) and the logdir
// model consume, so the two can never disagree.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "input_limits.h"
#include "tensor.h"

namespace tbview {

enum DataClass : int32_t {
  kDataClassUnknown = 0,
  kDataClassScalar = 1,
  kDataClassTensor = 2,
  kDataClassBlobSequence = 3
};

// SummaryMetadata after conversion. Only the first one seen for a (run, tag)
// counts (the metadata-first rule); the model applies that rule, not this file.
struct TagMetadata {
  std::string plugin_name;
  std::string plugin_content;  // serialized plugin-specific proto
  std::string display_name;
  std::string description;
  int32_t data_class = kDataClassUnknown;
};

struct CompatValue {
  std::string tag;
  bool has_metadata = false;  // whether this value carried (or compat assigned) metadata
  TagMetadata metadata;
  Tensor tensor;
};

enum class EventKind {
  kEmpty,  // no `what` (e.g. a bare wall_time event)
  kFileVersion,
  kGraphDef,
  kMetaGraphDef,
  kSummary,
  kLogMessage,
  kSessionLog,
  kTaggedRunMetadata,  // converted into one value in `values`
};

struct CompatEvent {
  double wall_time = 0;
  int64_t step = 0;
  EventKind kind = EventKind::kEmpty;
  std::string file_version;    // kFileVersion
  std::string source_writer;   // source_metadata.writer, when present
  std::string bytes;           // kGraphDef / kMetaGraphDef payload
  int32_t session_status = 0;  // kSessionLog: 1 START, 2 STOP, 3 CHECKPOINT
  std::string session_msg;
  std::string checkpoint_path;
  int32_t log_level = 0;  // kLogMessage
  std::string log_message;
  std::vector<CompatValue> values;  // kSummary, kTaggedRunMetadata
  // Values of this event that could not be converted (bad tensor, over a
  // limit): one message each, naming the tag. The other values are kept.
  std::vector<std::string> value_errors;
};

// The hottest case, decoded without protobuf: an Event whose summary holds only
// values that are a tag with a simple_value or a rank-0 float32/float64 tensor,
// and no metadata. TryDecodeScalarEvent gives exactly what EventDecoder would for
// such an event, and returns false (touching nothing else) for any other event.
struct FastScalar {
  std::string_view tag;  // views into the payload
  double value;
  int32_t dtype;  // kDtFloat or kDtDouble
  // True for a legacy simple_value. EventDecoder gives such a value the metadata
  // data compat assigns (plugin "scalars", display_name = tag, data_class 1);
  // false means a rank-0 tensor without metadata (has_metadata == false).
  bool simple_value = false;
};
struct FastScalarEvent {
  double wall_time = 0;
  int64_t step = 0;
  std::vector<FastScalar> values;  // cleared and refilled; capacity reused
};
bool TryDecodeScalarEvent(std::string_view payload, FastScalarEvent* out);

// Decodes Event payloads with protobuf-lite, reusing its messages (an arena reset
// per event), and converts them. Not thread-safe; one per reader.
class EventDecoder {
 public:
  explicit EventDecoder(const Limits& limits = Limits());
  ~EventDecoder();
  EventDecoder(const EventDecoder&) = delete;
  EventDecoder& operator=(const EventDecoder&) = delete;

  // False (with *error) when the payload is not a parseable Event. A parseable
  // event with a bad value still returns true; see CompatEvent::value_errors.
  bool Decode(std::string_view payload, CompatEvent* out, std::string* error);

  // dataclass_compat's state: the first metadata seen per tag decides how later
  // values of that tag are converted (data class; audio projection; hparams'
  // empty tensor; graph sub-plugin shapes). TensorBoard keeps it per event file
  // (one EventFileLoader each); a decoder shared by several files should call
  // this when it starts another file to give exactly TensorBoard's result.
  void ResetTagState();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tbview
