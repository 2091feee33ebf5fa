// Writing event files: the same TFRecord + Event format tbview reads.
//
// Used by the tests (round trips, corruption cases), the benchmarks (large
// synthetic logs) and the CLI's demo-log generator, so each kind of value is built
// the way the TensorFlow/TensorBoard writers build it:
// - legacy (TF1, PyTorch, tensorboardX) values: simple_value, HistogramProto with
//   TF's default exponential buckets, Summary.Image holding a PNG, Summary.Audio
//   holding a 16-bit PCM WAV;
// - TF2 values: tensors with SummaryMetadata naming the plugin, the metadata sent
//   only with a tag's first value (as TF2's writer does), which is what makes the
//   reader's "first metadata wins" rule matter.
// PNG and WAV are encoded here (zlib for the PNG), so no image library is needed.
//
// Output goes to a std::string (EventWriter::bytes()); WriteBytesToFile() saves it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "proto/event.pb.h"

namespace tbview {

// Appends one framed record: uint64 length, masked CRC32C of the length, payload,
// masked CRC32C of the payload (all little-endian).
void AppendRecord(std::string* out, std::string_view payload);

// Writes `bytes` to `path` (replacing it). On failure returns false and, when
// `error` is given, says why.
bool WriteBytesToFile(const std::string& path, std::string_view bytes, std::string* error = nullptr);

// ---- encoders ----

// A PNG (8 bits per channel, no interlace, filter 0 on every row) of row-major
// pixels. channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. Returns "" for bad sizes.
std::string EncodePng(const uint8_t* pixels, int width, int height, int channels);

// A RIFF/WAVE file of 16-bit PCM from interleaved float samples in [-1, 1]
// (clamped), `frames` frames of `channels` samples each.
std::string EncodeWav(const float* samples, size_t frames, int channels, int sample_rate);

// TensorFlow's default histogram bucket limits (tensorflow/core/lib/histogram):
// -DBL_MAX, -1e20 ... -1e-12 (factor 1.1), 0, 1e-12 ... 1e20, DBL_MAX.
const std::vector<double>& DefaultHistogramBucketLimits();

// A HistogramProto of `samples` as TF's Histogram::EncodeToProto writes it: min,
// max, num, sum, sum_squares, and buckets with runs of empty buckets collapsed into
// one entry (the limit of the run's last bucket). Bucket i holds the values v with
// limit[i-1] <= v < limit[i].
proto::HistogramProto MakeHistogramProto(const std::vector<double>& samples);

// One row of a TF2 histogram tensor.
struct HistogramBucket {
  double left;
  double right;
  double count;
};

// Equal-width buckets over [min, max] of `samples` (TF2's tf.summary.histogram
// default is 30); one bucket [v, v, n] when all samples are equal; none when empty.
std::vector<HistogramBucket> MakeHistogramBuckets(const std::vector<double>& samples, int bucket_count = 30);

// ---- event builders (an Event with one Summary.Value) ----

proto::Event MakeEvent(double wall_time, int64_t step);
// Appends a value with `tag` to event->summary().
proto::Summary::Value* AddSummaryValue(proto::Event* event, std::string_view tag);
// Sets plugin name, content and data class on a value's metadata.
void SetPluginMetadata(proto::Summary::Value* value, std::string_view plugin_name, std::string_view content,
                       proto::DataClass data_class);

// Serialized plugin contents (version 0, as current TensorBoard writes them).
std::string ScalarPluginContent();
std::string HistogramPluginContent();
std::string TextPluginContent();
std::string PrCurvePluginContent(uint32_t num_thresholds);

// ---- the writer ----

class EventWriter {
 public:
  // Low level.
  void WriteRawRecord(std::string_view payload) { AppendRecord(&out_, payload); }
  void WriteEvent(const proto::Event& event);

  // The header record writers put first.
  void WriteFileVersion(double wall_time, std::string_view version = "brain.Event:2");

  // Legacy scalar: Summary.Value.simple_value, no metadata.
  void WriteScalar(double wall_time, int64_t step, std::string_view tag, float value);
  // TF2 scalar: rank-0 DT_FLOAT tensor in tensor_content; metadata (plugin
  // "scalars", data_class scalar) only with the tag's first value.
  void WriteTensorScalar(double wall_time, int64_t step, std::string_view tag, float value);
  // Legacy histogram of samples (MakeHistogramProto), no metadata.
  void WriteHistogram(double wall_time, int64_t step, std::string_view tag,
                      const std::vector<double>& samples);
  void WriteHistogramProto(double wall_time, int64_t step, std::string_view tag,
                           const proto::HistogramProto& histo);
  // TF2 histogram: DT_DOUBLE tensor [k, 3] of (left, right, count); metadata
  // (plugin "histograms", data_class tensor) only with the tag's first value.
  void WriteHistogramTensor(double wall_time, int64_t step, std::string_view tag,
                            const std::vector<HistogramBucket>& buckets);
  // Legacy image: Summary.Image with a PNG of the pixels (EncodePng's layout),
  // colorspace = channels, no metadata.
  void WriteImage(double wall_time, int64_t step, std::string_view tag, const uint8_t* pixels, int width,
                  int height, int channels);
  // Legacy audio: Summary.Audio with a 16-bit WAV, content_type "audio/wav".
  void WriteAudio(double wall_time, int64_t step, std::string_view tag, const std::vector<float>& interleaved,
                  int channels, float sample_rate);
  // Text: rank-0 DT_STRING tensor (Markdown); plugin "text", data_class tensor,
  // metadata only with the tag's first value.
  void WriteText(double wall_time, int64_t step, std::string_view tag, std::string_view text);
  // Text table or list: DT_STRING tensor of `shape` (row-major strings).
  void WriteTextTensor(double wall_time, int64_t step, std::string_view tag,
                       const std::vector<std::string>& strings, const std::vector<int64_t>& shape);
  // PR curve: DT_FLOAT tensor [6, n] (rows TP, FP, TN, FN, precision, recall,
  // row-major in `data`, so data.size() == 6 * n), plugin "pr_curves". The plugin
  // content is PrCurvePluginContent(n) unless `plugin_content` is given. Metadata
  // with the tag's first value; no data_class (the upstream op sets none).
  void WritePrCurve(double wall_time, int64_t step, std::string_view tag, const std::vector<float>& data,
                    const std::string* plugin_content = nullptr);
  void WriteSessionLog(double wall_time, int64_t step,
                       proto::SessionLog::SessionStatus status = proto::SessionLog::START);
  void WriteGraphDef(double wall_time, std::string_view graph_def);
  void WriteTaggedRunMetadata(double wall_time, int64_t step, std::string_view tag,
                              std::string_view run_metadata);
  void WriteLogMessage(double wall_time, int64_t step, proto::LogMessage::Level level,
                       std::string_view message);

  // Everything written so far.
  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }
  void Clear() { out_.clear(); }
  bool WriteToFile(const std::string& path, std::string* error = nullptr) const {
    return WriteBytesToFile(path, out_, error);
  }
  // Forget which tags already had metadata (as a new writer process would).
  void ResetMetadataMemory() { tags_with_metadata_.clear(); }

 private:
  // True the first time for each tag: whether to attach metadata now.
  bool FirstValueOf(std::string_view tag);

  std::string out_;
  std::set<std::string, std::less<>> tags_with_metadata_;
  std::string scratch_;  // serialization buffer reused across events
};

}  // namespace tbview
