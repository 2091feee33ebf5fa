// EventDecoder: protobuf-lite parsing plus TensorBoard's two read-time compat
// layers, exactly as tensorboard@70b76c9's EventFileLoader applies them:
//
// 1. data_compat.migrate_value (stateless, per value): legacy simple_value, histo,
//    image and audio become tensors with freshly created plugin metadata
//    (display_name = metadata.display_name or tag, description kept, data_class
//    left unknown).
// 2. dataclass_compat.migrate_event (stateful per loader, i.e. per file): the
//    FIRST metadata seen for a tag (possibly empty) is remembered; when its
//    data_class is unknown, later values of that tag are transformed according to
//    its plugin: data_class is set (only on values that carry metadata); audio
//    tensors are projected onto their first axis; hparams values without a tensor
//    get an empty float32 [0]; graph sub-plugin tensors of shape [] get shape [1].
//    graph_def stays a run-level event here (kGraphDef); tagged_run_metadata
//    becomes one blob value (plugin graph_tagged_run_metadata, data_class 3).
//
// A value whose tag is empty takes its node_name as tag (TensorBoard's
// accumulator does this for tensor values; the compat state is keyed by the raw
// tag, as upstream).
#include "data_compat.h"

#include <google/protobuf/arena.h>

#include <unordered_map>

#include "proto/event.pb.h"

namespace tbview {
namespace {

using proto::Summary_Value;

constexpr char kScalars[] = "scalars";
constexpr char kHistograms[] = "histograms";
constexpr char kImages[] = "images";
constexpr char kAudio[] = "audio";

// Serialized plugin contents created by data compat (upstream PROTO_VERSION 0):
// ScalarPluginData{} and HistogramPluginData{} serialize to nothing;
// ImagePluginData{converted_to_tensor: true} = field 2 varint 1;
// AudioPluginData{encoding: WAV(11), converted_to_tensor: true}.
const std::string kImageContent("\x10\x01", 2);
const std::string kAudioContent("\x10\x0b\x18\x01", 4);

// The plugins dataclass_compat treats specially, classified once per tag.
enum class Plugin { kOther, kScalars, kTensorKind, kImages, kAudio, kHparams, kGraphSub };

Plugin ClassifyPlugin(const std::string& p) {
  if (p == kScalars) return Plugin::kScalars;
  if (p == kHistograms || p == "text" || p == "pr_curves" || p == "mesh" || p == "custom_scalars")
    return Plugin::kTensorKind;
  if (p == kImages) return Plugin::kImages;
  if (p == kAudio) return Plugin::kAudio;
  if (p == "hparams") return Plugin::kHparams;
  if (p == "graph_run_metadata" || p == "graph_run_metadata_graph" || p == "graph_keras_model")
    return Plugin::kGraphSub;
  return Plugin::kOther;
}

// What dataclass_compat remembers about a tag's first metadata.
struct InitialMetadata {
  Plugin plugin = Plugin::kOther;
  int32_t data_class = 0;
};

void FillLegacyMetadata(const Summary_Value& v, const char* plugin, const std::string& content,
                        CompatValue* out) {
  out->has_metadata = true;
  TagMetadata& m = out->metadata;
  m.plugin_name = plugin;
  m.plugin_content = content;
  m.display_name = v.metadata().display_name().empty() ? v.tag() : v.metadata().display_name();
  m.description = v.metadata().summary_description();
  m.data_class = kDataClassUnknown;
}

// data_compat._migrate_histogram_value: float32 [k, 3] rows (left, right, count)
// with empty buckets dropped at both ends and the outer edges set to min / max.
bool ConvertHistogram(const proto::HistogramProto& h, Tensor* t, std::string* error) {
  const auto& counts = h.bucket();
  const auto& limits = h.bucket_limit();
  const int n = counts.size();
  int start = 0;
  while (start < n && !(counts.Get(start) > 0)) ++start;
  int end = n - 1;
  while (end >= 0 && !(counts.Get(end) > 0)) --end;
  t->dtype = kDtFloat;
  t->strings.clear();
  t->numbers.clear();
  if (start > end) {
    t->shape = {0, 3};
    return true;
  }
  if (limits.size() < end) {
    *error = "histogram has fewer bucket limits than buckets";
    return false;
  }
  const int k = end - start + 1;
  t->shape = {k, 3};
  t->numbers.resize(static_cast<size_t>(k) * 3);
  // Values go through float (np.float32) exactly as upstream. (Written through a
  // plain pointer, element by element: GCC 12 -O2/-O3 vectorized the indexed
  // form of this loop into one that skipped the float rounding.)
  const double* lim = limits.data();
  const double* cnt = counts.data();
  double* row = t->numbers.data();
  for (int i = 0; i < k; ++i, row += 3) {
    const int b = start + i;
    volatile float left = static_cast<float>(i == 0 ? h.min() : lim[b - 1]);
    volatile float right = static_cast<float>(i == k - 1 ? h.max() : lim[b]);
    volatile float count = static_cast<float>(cnt[b]);
    row[0] = left;
    row[1] = right;
    row[2] = count;
  }
  return true;
}

// dataclass_compat._migrate_audio_value: keep only the first axis (the clips).
bool ProjectAudio(Tensor* t, std::string* error) {
  if (t->shape.size() <= 1) return true;
  if (!t->is_string()) {
    *error = "audio tensor is not a string tensor";
    return false;
  }
  uint64_t stride = 1;
  for (size_t i = 1; i < t->shape.size(); ++i) stride *= static_cast<uint64_t>(t->shape[i]);
  if (stride == 0) {
    *error = "audio tensor has an empty inner dimension";
    return false;
  }
  const size_t clips = static_cast<size_t>(t->shape[0]);
  for (size_t i = 0; i < clips; ++i) {
    if (i * stride != i) t->strings[i] = std::move(t->strings[i * stride]);
  }
  t->strings.resize(clips);
  t->shape.resize(1);
  return true;
}

}  // namespace

struct EventDecoder::Impl {
  explicit Impl(const Limits& l) : limits(l), block(new char[kBlockSize]), arena(block.get(), kBlockSize) {}
  static constexpr size_t kBlockSize = 64 * 1024;
  Limits limits;
  std::unique_ptr<char[]> block;  // the arena's first block, kept across Reset()
  google::protobuf::Arena arena;
  std::unordered_map<std::string, InitialMetadata> initial;  // dataclass_compat state

  bool ConvertValue(const Summary_Value& v, CompatValue* out, std::string* error);
};

EventDecoder::EventDecoder(const Limits& limits) : impl_(new Impl(limits)) {}
EventDecoder::~EventDecoder() = default;

void EventDecoder::ResetTagState() { impl_->initial.clear(); }

bool EventDecoder::Impl::ConvertValue(const Summary_Value& v, CompatValue* out, std::string* error) {
  // Stage 1: data_compat.migrate_value.
  bool has_tensor = true;
  switch (v.value_case()) {
    case Summary_Value::kSimpleValue:
      FillLegacyMetadata(v, kScalars, std::string(), out);
      out->tensor.dtype = kDtFloat;
      out->tensor.shape.clear();
      out->tensor.strings.clear();
      out->tensor.numbers.assign(1, static_cast<double>(v.simple_value()));
      break;
    case Summary_Value::kHisto:
      FillLegacyMetadata(v, kHistograms, std::string(), out);
      if (!ConvertHistogram(v.histo(), &out->tensor, error)) return false;
      break;
    case Summary_Value::kImage: {
      FillLegacyMetadata(v, kImages, kImageContent, out);
      Tensor& t = out->tensor;
      t.dtype = kDtString;
      t.shape.assign(1, 3);
      t.numbers.clear();
      t.strings.resize(3);
      t.strings[0] = std::to_string(v.image().width());
      t.strings[1] = std::to_string(v.image().height());
      t.strings[2] = v.image().encoded_image_string();
      break;
    }
    case Summary_Value::kAudio: {
      FillLegacyMetadata(v, kAudio, kAudioContent, out);
      Tensor& t = out->tensor;
      t.dtype = kDtString;
      t.shape = {1, 2};
      t.numbers.clear();
      t.strings.resize(2);
      t.strings[0] = v.audio().encoded_audio_string();
      t.strings[1].clear();  // empty label
      break;
    }
    case Summary_Value::kTensor:
      if (!DecodeTensor(v.tensor(), limits, &out->tensor, error)) return false;
      break;
    default:  // no value, or obsolete_old_style_histogram
      has_tensor = false;
      break;
  }
  if (v.value_case() == Summary_Value::kTensor || !has_tensor) {
    out->has_metadata = v.has_metadata();
    if (out->has_metadata) {
      const auto& md = v.metadata();
      TagMetadata& m = out->metadata;
      m.plugin_name = md.plugin_data().plugin_name();
      m.plugin_content = md.plugin_data().content();
      m.display_name = md.display_name();
      m.description = md.summary_description();
      m.data_class = md.data_class();
    } else {
      TagMetadata& m = out->metadata;  // cleared in place: capacity is reused
      m.plugin_name.clear();
      m.plugin_content.clear();
      m.display_name.clear();
      m.description.clear();
      m.data_class = kDataClassUnknown;
    }
  }

  // Stage 2: dataclass_compat._migrate_value, keyed by the raw tag.
  auto it = initial.find(v.tag());
  if (it == initial.end()) {
    InitialMetadata im;
    if (out->has_metadata) {
      im.plugin = ClassifyPlugin(out->metadata.plugin_name);
      im.data_class = out->metadata.data_class;
    }
    it = initial.emplace(v.tag(), std::move(im)).first;
  }
  const InitialMetadata& im = it->second;
  if (im.data_class == kDataClassUnknown) {
    int32_t dc = kDataClassUnknown;
    switch (im.plugin) {
      case Plugin::kScalars: dc = kDataClassScalar; break;
      case Plugin::kTensorKind:  // histograms, text, pr_curves, mesh, custom_scalars
        dc = kDataClassTensor;
        break;
      case Plugin::kImages: dc = kDataClassBlobSequence; break;
      case Plugin::kAudio:
        dc = kDataClassBlobSequence;
        if (has_tensor && !ProjectAudio(&out->tensor, error)) return false;
        break;
      case Plugin::kHparams:
        dc = kDataClassTensor;
        if (!has_tensor) {  // hparams_metadata.NULL_TENSOR
          out->tensor = Tensor();
          out->tensor.dtype = kDtFloat;
          out->tensor.shape.assign(1, 0);
          has_tensor = true;
        }
        break;
      case Plugin::kGraphSub:  // graph_run_metadata(_graph), graph_keras_model
        dc = kDataClassBlobSequence;
        if (has_tensor && out->tensor.shape.empty()) out->tensor.shape.assign(1, 1);
        break;
      case Plugin::kOther: break;
    }
    if (dc != kDataClassUnknown && out->has_metadata) out->metadata.data_class = dc;
  }
  if (!has_tensor) {
    *error = "value has no tensor data";
    return false;
  }
  out->tag = v.tag().empty() ? v.node_name() : v.tag();
  return true;
}

bool EventDecoder::Decode(std::string_view payload, CompatEvent* out, std::string* error) {
  Impl& im = *impl_;
  im.arena.Reset();
  auto* ev = google::protobuf::Arena::CreateMessage<proto::Event>(&im.arena);
  if (!ev->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    *error = "record is not a valid Event protobuf";
    return false;
  }
  out->wall_time = ev->wall_time();
  out->step = ev->step();
  out->kind = EventKind::kEmpty;
  out->file_version.clear();
  out->source_writer = ev->source_metadata().writer();
  out->bytes.clear();
  out->session_status = 0;
  out->session_msg.clear();
  out->checkpoint_path.clear();
  out->log_level = 0;
  out->log_message.clear();
  out->value_errors.clear();
  // Values are reused across events (their strings and vectors keep their
  // capacity); `used` counts those filled for this event.
  size_t used = 0;
  auto next_value = [&]() -> CompatValue& {
    if (used == out->values.size()) out->values.emplace_back();
    return out->values[used++];
  };

  switch (ev->what_case()) {
    case proto::Event::kFileVersion:
      out->kind = EventKind::kFileVersion;
      out->file_version = ev->file_version();
      break;
    case proto::Event::kGraphDef:
      out->kind = EventKind::kGraphDef;
      out->bytes = ev->graph_def();
      break;
    case proto::Event::kMetaGraphDef:
      out->kind = EventKind::kMetaGraphDef;
      out->bytes = ev->meta_graph_def();
      break;
    case proto::Event::kLogMessage:
      out->kind = EventKind::kLogMessage;
      out->log_level = ev->log_message().level();
      out->log_message = ev->log_message().message();
      break;
    case proto::Event::kSessionLog:
      out->kind = EventKind::kSessionLog;
      out->session_status = ev->session_log().status();
      out->session_msg = ev->session_log().msg();
      out->checkpoint_path = ev->session_log().checkpoint_path();
      break;
    case proto::Event::kTaggedRunMetadata: {
      // dataclass_compat._migrate_tagged_run_metadata_event (no compat state).
      out->kind = EventKind::kTaggedRunMetadata;
      const auto& trm = ev->tagged_run_metadata();
      CompatValue& v = next_value();
      v.tag = trm.tag();
      v.has_metadata = true;
      v.metadata = TagMetadata();
      v.metadata.plugin_name = "graph_tagged_run_metadata";
      v.metadata.data_class = kDataClassBlobSequence;
      v.tensor.dtype = kDtString;
      v.tensor.shape.assign(1, 1);
      v.tensor.numbers.clear();
      v.tensor.strings.assign(1, trm.run_metadata());
      break;
    }
    case proto::Event::kSummary: {
      out->kind = EventKind::kSummary;
      const auto& values = ev->summary().value();
      for (const auto& v : values) {
        std::string err;
        if (!im.ConvertValue(v, &next_value(), &err)) {
          --used;
          const std::string& tag = v.tag().empty() ? v.node_name() : v.tag();
          out->value_errors.push_back("tag '" + tag + "': " + err);
        }
      }
      break;
    }
    default: break;
  }
  out->values.resize(used);
  return true;
}

}  // namespace tbview
