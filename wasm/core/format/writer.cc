// Event-file writer and the small encoders it needs (PNG, WAV, TF histograms).
// See writer.h.
#include "writer.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <fstream>

#include "masked_crc.h"

namespace tbview {
namespace {

void PutLe32(std::string* out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  out->append(b, 4);
}
void PutLe16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}
void PutBe32(std::string* out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
  out->append(b, 4);
}

// One PNG chunk: length, type, data, CRC-32 (zlib's) of type + data.
void PutPngChunk(std::string* out, const char type[4], std::string_view data) {
  PutBe32(out, static_cast<uint32_t>(data.size()));
  const size_t type_at = out->size();
  out->append(type, 4);
  out->append(data.data(), data.size());
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(out->data() + type_at), static_cast<uInt>(4 + data.size()));
  PutBe32(out, static_cast<uint32_t>(crc));
}

// A rank-n tensor shape.
void SetShape(proto::TensorProto* t, const std::vector<int64_t>& shape) {
  auto* s = t->mutable_tensor_shape();
  for (int64_t d : shape) s->add_dim()->set_size(d);
}

template <typename T>
void SetContent(proto::TensorProto* t, const T* values, size_t n) {
  t->set_tensor_content(std::string(reinterpret_cast<const char*>(values), n * sizeof(T)));
}

}  // namespace

void AppendRecord(std::string* out, std::string_view payload) {
  char header[12];
  const uint64_t len = payload.size();
  std::memcpy(header, &len, 8);  // little-endian targets only (see masked_crc.cc)
  const uint32_t len_crc = MaskedCrc32c(header, 8);
  std::memcpy(header + 8, &len_crc, 4);
  const uint32_t data_crc = MaskedCrc32c(payload.data(), payload.size());
  char footer[4];
  std::memcpy(footer, &data_crc, 4);
  out->reserve(out->size() + 16 + payload.size());
  out->append(header, 12);
  out->append(payload.data(), payload.size());
  out->append(footer, 4);
}

bool WriteBytesToFile(const std::string& path, std::string_view bytes, std::string* error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (f) f.close();
  if (!f) {
    if (error) *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

// ---- encoders ----

std::string EncodePng(const uint8_t* pixels, int width, int height, int channels) {
  static const uint8_t kColorType[5] = {0, 0, 4, 2, 6};  // by channel count
  if (width <= 0 || height <= 0 || channels < 1 || channels > 4) return "";
  const size_t row = static_cast<size_t>(width) * static_cast<size_t>(channels);
  // Filtered rows: each row prefixed with filter type 0 (None).
  std::string raw;
  raw.reserve((row + 1) * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    raw.push_back('\0');
    raw.append(reinterpret_cast<const char*>(pixels) + row * static_cast<size_t>(y), row);
  }
  uLongf zlen = compressBound(static_cast<uLong>(raw.size()));
  std::string z(zlen, '\0');
  if (compress2(reinterpret_cast<Bytef*>(&z[0]), &zlen, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
    return "";
  }
  z.resize(zlen);

  std::string ihdr;
  PutBe32(&ihdr, static_cast<uint32_t>(width));
  PutBe32(&ihdr, static_cast<uint32_t>(height));
  ihdr.push_back(8);  // bit depth
  ihdr.push_back(static_cast<char>(kColorType[channels]));
  ihdr.push_back(0);  // compression: deflate
  ihdr.push_back(0);  // filter method 0
  ihdr.push_back(0);  // no interlace

  std::string png("\x89PNG\r\n\x1a\n", 8);
  PutPngChunk(&png, "IHDR", ihdr);
  PutPngChunk(&png, "IDAT", z);
  PutPngChunk(&png, "IEND", std::string_view());
  return png;
}

std::string EncodeWav(const float* samples, size_t frames, int channels, int sample_rate) {
  const uint32_t data_bytes = static_cast<uint32_t>(frames * static_cast<size_t>(channels) * 2);
  std::string wav;
  wav.reserve(44 + data_bytes);
  wav.append("RIFF");
  PutLe32(&wav, 36 + data_bytes);
  wav.append("WAVE");
  wav.append("fmt ");
  PutLe32(&wav, 16);  // fmt chunk size
  PutLe16(&wav, 1);   // PCM
  PutLe16(&wav, static_cast<uint16_t>(channels));
  PutLe32(&wav, static_cast<uint32_t>(sample_rate));
  PutLe32(&wav, static_cast<uint32_t>(sample_rate * channels * 2));  // byte rate
  PutLe16(&wav, static_cast<uint16_t>(channels * 2));                // block align
  PutLe16(&wav, 16);                                                 // bits per sample
  wav.append("data");
  PutLe32(&wav, data_bytes);
  const size_t n = frames * static_cast<size_t>(channels);
  for (size_t i = 0; i < n; ++i) {
    float v = samples[i];
    if (!(v >= -1.0f)) v = -1.0f;  // also maps NaN to -1
    if (v > 1.0f) v = 1.0f;
    PutLe16(&wav, static_cast<uint16_t>(static_cast<int16_t>(std::lround(v * 32767.0f))));
  }
  return wav;
}

const std::vector<double>& DefaultHistogramBucketLimits() {
  static const std::vector<double> limits = [] {
    std::vector<double> pos, neg;
    for (double v = 1.0e-12; v < 1.0e20; v *= 1.1) {
      pos.push_back(v);
      neg.push_back(-v);
    }
    pos.push_back(DBL_MAX);
    neg.push_back(-DBL_MAX);
    std::vector<double> all(neg.rbegin(), neg.rend());
    all.push_back(0.0);
    all.insert(all.end(), pos.begin(), pos.end());
    return all;
  }();
  return limits;
}

proto::HistogramProto MakeHistogramProto(const std::vector<double>& samples) {
  const std::vector<double>& limits = DefaultHistogramBucketLimits();
  std::vector<double> counts(limits.size(), 0.0);
  double min = DBL_MAX, max = -DBL_MAX, sum = 0, sum_sq = 0;
  for (double v : samples) {
    size_t b = static_cast<size_t>(std::upper_bound(limits.begin(), limits.end(), v) - limits.begin());
    if (b >= limits.size()) b = limits.size() - 1;  // DBL_MAX itself (and NaN-free +inf)
    counts[b] += 1;
    min = std::min(min, v);
    max = std::max(max, v);
    sum += v;
    sum_sq += v * v;
  }
  proto::HistogramProto h;
  h.set_min(min);
  h.set_max(max);
  h.set_num(static_cast<double>(samples.size()));
  h.set_sum(sum);
  h.set_sum_squares(sum_sq);
  for (size_t i = 0; i < counts.size();) {
    double end = limits[i];
    double count = counts[i];
    ++i;
    if (count <= 0.0) {  // collapse a run of empty buckets into its last limit
      while (i < counts.size() && counts[i] <= 0.0) {
        end = limits[i];
        count = counts[i];
        ++i;
      }
    }
    h.add_bucket_limit(end);
    h.add_bucket(count);
  }
  return h;
}

std::vector<HistogramBucket> MakeHistogramBuckets(const std::vector<double>& samples, int bucket_count) {
  std::vector<HistogramBucket> out;
  if (samples.empty() || bucket_count <= 0) return out;
  const auto mm = std::minmax_element(samples.begin(), samples.end());
  const double lo = *mm.first, hi = *mm.second;
  if (lo == hi) {
    out.push_back({lo, hi, static_cast<double>(samples.size())});
    return out;
  }
  const double width = (hi - lo) / bucket_count;
  out.resize(static_cast<size_t>(bucket_count));
  for (int i = 0; i < bucket_count; ++i) {
    out[i].left = lo + width * i;
    out[i].right = i + 1 == bucket_count ? hi : lo + width * (i + 1);
    out[i].count = 0;
  }
  for (double v : samples) {
    int b = static_cast<int>((v - lo) / width);
    b = std::clamp(b, 0, bucket_count - 1);
    out[static_cast<size_t>(b)].count += 1;
  }
  return out;
}

// ---- event builders ----

proto::Event MakeEvent(double wall_time, int64_t step) {
  proto::Event e;
  e.set_wall_time(wall_time);
  e.set_step(step);
  return e;
}

proto::Summary::Value* AddSummaryValue(proto::Event* event, std::string_view tag) {
  proto::Summary::Value* v = event->mutable_summary()->add_value();
  v->set_tag(std::string(tag));
  return v;
}

void SetPluginMetadata(proto::Summary::Value* value, std::string_view plugin_name, std::string_view content,
                       proto::DataClass data_class) {
  auto* md = value->mutable_metadata();
  md->mutable_plugin_data()->set_plugin_name(std::string(plugin_name));
  md->mutable_plugin_data()->set_content(std::string(content));
  md->set_data_class(data_class);
}

// Version 0 serializes to nothing (proto3 omits default values).
std::string ScalarPluginContent() { return std::string(); }
std::string HistogramPluginContent() { return std::string(); }
std::string TextPluginContent() { return std::string(); }

std::string PrCurvePluginContent(uint32_t num_thresholds) {
  // PrCurvePluginData { int32 version = 1 (0, omitted); uint32 num_thresholds = 2 }.
  std::string s;
  if (num_thresholds != 0) {
    s.push_back(0x10);  // field 2, varint
    uint32_t v = num_thresholds;
    while (v >= 0x80) {
      s.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    s.push_back(static_cast<char>(v));
  }
  return s;
}

// ---- the writer ----

bool EventWriter::FirstValueOf(std::string_view tag) {
  if (tags_with_metadata_.find(tag) != tags_with_metadata_.end()) return false;
  tags_with_metadata_.emplace(tag);
  return true;
}

void EventWriter::WriteEvent(const proto::Event& event) {
  scratch_.clear();
  event.SerializeToString(&scratch_);
  AppendRecord(&out_, scratch_);
}

void EventWriter::WriteFileVersion(double wall_time, std::string_view version) {
  proto::Event e;
  e.set_wall_time(wall_time);
  e.set_file_version(std::string(version));
  WriteEvent(e);
}

void EventWriter::WriteScalar(double wall_time, int64_t step, std::string_view tag, float value) {
  proto::Event e = MakeEvent(wall_time, step);
  AddSummaryValue(&e, tag)->set_simple_value(value);
  WriteEvent(e);
}

void EventWriter::WriteTensorScalar(double wall_time, int64_t step, std::string_view tag, float value) {
  proto::Event e = MakeEvent(wall_time, step);
  proto::Summary::Value* v = AddSummaryValue(&e, tag);
  if (FirstValueOf(tag)) SetPluginMetadata(v, "scalars", ScalarPluginContent(), proto::DATA_CLASS_SCALAR);
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_FLOAT);
  t->mutable_tensor_shape();  // rank 0: present but without dims
  SetContent(t, &value, 1);
  WriteEvent(e);
}

void EventWriter::WriteHistogram(double wall_time, int64_t step, std::string_view tag,
                                 const std::vector<double>& samples) {
  WriteHistogramProto(wall_time, step, tag, MakeHistogramProto(samples));
}

void EventWriter::WriteHistogramProto(double wall_time, int64_t step, std::string_view tag,
                                      const proto::HistogramProto& histo) {
  proto::Event e = MakeEvent(wall_time, step);
  *AddSummaryValue(&e, tag)->mutable_histo() = histo;
  WriteEvent(e);
}

void EventWriter::WriteHistogramTensor(double wall_time, int64_t step, std::string_view tag,
                                       const std::vector<HistogramBucket>& buckets) {
  proto::Event e = MakeEvent(wall_time, step);
  proto::Summary::Value* v = AddSummaryValue(&e, tag);
  if (FirstValueOf(tag))
    SetPluginMetadata(v, "histograms", HistogramPluginContent(), proto::DATA_CLASS_TENSOR);
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_DOUBLE);
  SetShape(t, {static_cast<int64_t>(buckets.size()), 3});
  std::vector<double> flat;
  flat.reserve(buckets.size() * 3);
  for (const HistogramBucket& b : buckets) {
    flat.push_back(b.left);
    flat.push_back(b.right);
    flat.push_back(b.count);
  }
  SetContent(t, flat.data(), flat.size());
  WriteEvent(e);
}

void EventWriter::WriteImage(double wall_time, int64_t step, std::string_view tag, const uint8_t* pixels,
                             int width, int height, int channels) {
  proto::Event e = MakeEvent(wall_time, step);
  proto::Summary::Image* img = AddSummaryValue(&e, tag)->mutable_image();
  img->set_width(width);
  img->set_height(height);
  img->set_colorspace(channels);
  img->set_encoded_image_string(EncodePng(pixels, width, height, channels));
  WriteEvent(e);
}

void EventWriter::WriteAudio(double wall_time, int64_t step, std::string_view tag,
                             const std::vector<float>& interleaved, int channels, float sample_rate) {
  proto::Event e = MakeEvent(wall_time, step);
  proto::Summary::Audio* a = AddSummaryValue(&e, tag)->mutable_audio();
  const size_t frames = channels > 0 ? interleaved.size() / static_cast<size_t>(channels) : 0;
  a->set_sample_rate(sample_rate);
  a->set_num_channels(channels);
  a->set_length_frames(static_cast<int64_t>(frames));
  a->set_content_type("audio/wav");
  a->set_encoded_audio_string(EncodeWav(interleaved.data(), frames, channels, static_cast<int>(sample_rate)));
  WriteEvent(e);
}

void EventWriter::WriteText(double wall_time, int64_t step, std::string_view tag, std::string_view text) {
  WriteTextTensor(wall_time, step, tag, {std::string(text)}, {});
}

void EventWriter::WriteTextTensor(double wall_time, int64_t step, std::string_view tag,
                                  const std::vector<std::string>& strings,
                                  const std::vector<int64_t>& shape) {
  proto::Event e = MakeEvent(wall_time, step);
  proto::Summary::Value* v = AddSummaryValue(&e, tag);
  if (FirstValueOf(tag)) SetPluginMetadata(v, "text", TextPluginContent(), proto::DATA_CLASS_TENSOR);
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_STRING);
  SetShape(t, shape);
  for (const std::string& s : strings) t->add_string_val(s);
  WriteEvent(e);
}

void EventWriter::WritePrCurve(double wall_time, int64_t step, std::string_view tag,
                               const std::vector<float>& data, const std::string* plugin_content) {
  const size_t n = data.size() / 6;
  proto::Event e = MakeEvent(wall_time, step);
  proto::Summary::Value* v = AddSummaryValue(&e, tag);
  if (FirstValueOf(tag)) {
    SetPluginMetadata(v, "pr_curves",
                      plugin_content ? *plugin_content : PrCurvePluginContent(static_cast<uint32_t>(n)),
                      proto::DATA_CLASS_UNKNOWN);
  }
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_FLOAT);
  SetShape(t, {6, static_cast<int64_t>(n)});
  SetContent(t, data.data(), 6 * n);
  WriteEvent(e);
}

void EventWriter::WriteSessionLog(double wall_time, int64_t step, proto::SessionLog::SessionStatus status) {
  proto::Event e = MakeEvent(wall_time, step);
  e.mutable_session_log()->set_status(status);
  WriteEvent(e);
}

void EventWriter::WriteGraphDef(double wall_time, std::string_view graph_def) {
  proto::Event e = MakeEvent(wall_time, 0);
  e.set_graph_def(std::string(graph_def));
  WriteEvent(e);
}

void EventWriter::WriteTaggedRunMetadata(double wall_time, int64_t step, std::string_view tag,
                                         std::string_view run_metadata) {
  proto::Event e = MakeEvent(wall_time, step);
  e.mutable_tagged_run_metadata()->set_tag(std::string(tag));
  e.mutable_tagged_run_metadata()->set_run_metadata(std::string(run_metadata));
  WriteEvent(e);
}

void EventWriter::WriteLogMessage(double wall_time, int64_t step, proto::LogMessage::Level level,
                                  std::string_view message) {
  proto::Event e = MakeEvent(wall_time, step);
  e.mutable_log_message()->set_level(level);
  e.mutable_log_message()->set_message(std::string(message));
  WriteEvent(e);
}

}  // namespace tbview
