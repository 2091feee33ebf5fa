// EventWriter: every kind of event round-trips through RecordReader and protobuf;
// the PNG and WAV encoders produce well-formed files.
#include "writer.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cfloat>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "record_reader.h"
#include "support/files.h"

#if __has_include("proto/plugins.pb.h")
#include "proto/plugins.pb.h"
#define TBVIEW_HAVE_PLUGINS_PROTO 1
#endif

namespace tbview {
namespace {

std::vector<proto::Event> ReadEvents(const std::string& bytes) {
  RecordReader r;
  r.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::vector<proto::Event> events;
  std::string_view p;
  RecordReader::Status s;
  while ((s = r.next(&p)) == RecordReader::Status::kRecord) {
    proto::Event e;
    EXPECT_TRUE(e.ParseFromArray(p.data(), static_cast<int>(p.size())));
    events.push_back(std::move(e));
  }
  EXPECT_EQ(s, RecordReader::Status::kNeedMore);
  EXPECT_EQ(r.consumed(), bytes.size());
  EXPECT_EQ(r.bad_payload_crcs(), 0u);
  return events;
}

uint32_t Be32(const std::string& s, size_t at) {
  return (uint32_t{uint8_t(s[at])} << 24) | (uint32_t{uint8_t(s[at + 1])} << 16) |
         (uint32_t{uint8_t(s[at + 2])} << 8) | uint8_t(s[at + 3]);
}
uint32_t Le32(const std::string& s, size_t at) {
  uint32_t v;
  std::memcpy(&v, s.data() + at, 4);
  return v;
}
uint16_t Le16(const std::string& s, size_t at) {
  uint16_t v;
  std::memcpy(&v, s.data() + at, 2);
  return v;
}

struct PngChunk {
  std::string type, data;
};

// Splits a PNG into chunks, checking each chunk's CRC.
std::vector<PngChunk> PngChunks(const std::string& png) {
  std::vector<PngChunk> chunks;
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t len = Be32(png, at);
    PngChunk c{png.substr(at + 4, 4), png.substr(at + 8, len)};
    const uLong crc =
        crc32(crc32(0, Z_NULL, 0), reinterpret_cast<const Bytef*>(png.data() + at + 4), 4 + len);
    EXPECT_EQ(Be32(png, at + 8 + len), static_cast<uint32_t>(crc)) << c.type;
    at += 12 + len;
    chunks.push_back(std::move(c));
  }
  EXPECT_EQ(at, png.size());
  return chunks;
}

TEST(Writer, RecordFramingMatchesTheReference) {
  proto::Event e;
  e.set_wall_time(1599759586.0);
  e.set_file_version("brain.Event:2");
  EventWriter w;
  w.WriteEvent(e);
  std::string want("\x18\0\0\0\0\0\0\0\xa3\x7f\x4b\x22\x09\x00\x00\x80\x38\x99\xd6\xd7\x41\x1a\x0d", 23);
  want += "brain.Event:2";
  want += std::string("\x12\x4b\x36\xab", 4);
  EXPECT_EQ(w.bytes(), want);
  EventWriter w2;
  w2.WriteFileVersion(1599759586.0);
  EXPECT_EQ(w2.bytes(), want);
}

TEST(Writer, EveryEventKindRoundTrips) {
  EventWriter w;
  w.WriteFileVersion(100.0);
  w.WriteScalar(101.0, 1, "loss", 0.5f);
  w.WriteTensorScalar(102.0, 1, "acc", 0.25f);
  w.WriteTensorScalar(103.0, 2, "acc", 0.75f);
  w.WriteHistogram(104.0, 3, "weights", {-1.0, 0.0, 0.5, 2.0, 2.0});
  w.WriteHistogramTensor(105.0, 3, "h2", MakeHistogramBuckets({1, 2, 3, 4}, 2));
  const uint8_t pixels[2 * 3 * 3] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90};
  w.WriteImage(106.0, 4, "img", pixels, 3, 2, 3);
  w.WriteAudio(107.0, 5, "snd", {0.0f, 0.5f, -0.5f, 1.0f}, 1, 8000.0f);
  w.WriteText(108.0, 6, "notes", "# hello");
  std::vector<float> pr(6 * 3);
  for (size_t i = 0; i < pr.size(); ++i) pr[i] = static_cast<float>(i);
  w.WritePrCurve(109.0, 7, "pr", pr);
  w.WritePrCurve(109.5, 8, "pr", pr);
  w.WriteSessionLog(110.0, 8);
  w.WriteGraphDef(111.0, std::string("\x0a\x03\x66\x6f\x6f", 5));
  w.WriteLogMessage(112.0, 9, proto::LogMessage::WARN, "careful");
  w.WriteTaggedRunMetadata(113.0, 10, "step10", "meta");

  const std::vector<proto::Event> ev = ReadEvents(w.bytes());
  ASSERT_EQ(ev.size(), 15u);
  EXPECT_EQ(ev[0].file_version(), "brain.Event:2");
  EXPECT_EQ(ev[0].wall_time(), 100.0);

  // Legacy scalar.
  ASSERT_EQ(ev[1].summary().value_size(), 1);
  EXPECT_EQ(ev[1].step(), 1);
  EXPECT_EQ(ev[1].summary().value(0).tag(), "loss");
  EXPECT_EQ(ev[1].summary().value(0).simple_value(), 0.5f);
  EXPECT_FALSE(ev[1].summary().value(0).has_metadata());

  // TF2 scalar: metadata only on the first value.
  const auto& s1 = ev[2].summary().value(0);
  ASSERT_TRUE(s1.has_metadata());
  EXPECT_EQ(s1.metadata().plugin_data().plugin_name(), "scalars");
  EXPECT_EQ(s1.metadata().data_class(), proto::DATA_CLASS_SCALAR);
  EXPECT_EQ(s1.tensor().dtype(), proto::DT_FLOAT);
  EXPECT_TRUE(s1.tensor().has_tensor_shape());
  EXPECT_EQ(s1.tensor().tensor_shape().dim_size(), 0);
  ASSERT_EQ(s1.tensor().tensor_content().size(), 4u);
  float f;
  std::memcpy(&f, s1.tensor().tensor_content().data(), 4);
  EXPECT_EQ(f, 0.25f);
  EXPECT_FALSE(ev[3].summary().value(0).has_metadata());
  std::memcpy(&f, ev[3].summary().value(0).tensor().tensor_content().data(), 4);
  EXPECT_EQ(f, 0.75f);

  // Legacy histogram.
  const auto& h = ev[4].summary().value(0).histo();
  EXPECT_EQ(h.num(), 5);
  EXPECT_EQ(h.min(), -1);
  EXPECT_EQ(h.max(), 2);

  // TF2 histogram tensor [k, 3].
  const auto& ht = ev[5].summary().value(0);
  EXPECT_EQ(ht.metadata().plugin_data().plugin_name(), "histograms");
  EXPECT_EQ(ht.metadata().data_class(), proto::DATA_CLASS_TENSOR);
  EXPECT_EQ(ht.tensor().dtype(), proto::DT_DOUBLE);
  ASSERT_EQ(ht.tensor().tensor_shape().dim_size(), 2);
  EXPECT_EQ(ht.tensor().tensor_shape().dim(0).size(), 2);
  EXPECT_EQ(ht.tensor().tensor_shape().dim(1).size(), 3);
  double cells[6];
  ASSERT_EQ(ht.tensor().tensor_content().size(), sizeof cells);
  std::memcpy(cells, ht.tensor().tensor_content().data(), sizeof cells);
  EXPECT_EQ(std::vector<double>(cells, cells + 6), (std::vector<double>{1, 2.5, 2, 2.5, 4, 2}));

  // Legacy image.
  const auto& img = ev[6].summary().value(0).image();
  EXPECT_EQ(img.width(), 3);
  EXPECT_EQ(img.height(), 2);
  EXPECT_EQ(img.colorspace(), 3);
  EXPECT_EQ(img.encoded_image_string(), EncodePng(pixels, 3, 2, 3));

  // Legacy audio.
  const auto& snd = ev[7].summary().value(0).audio();
  EXPECT_EQ(snd.sample_rate(), 8000.0f);
  EXPECT_EQ(snd.num_channels(), 1);
  EXPECT_EQ(snd.length_frames(), 4);
  EXPECT_EQ(snd.content_type(), "audio/wav");
  EXPECT_EQ(snd.encoded_audio_string().size(), 44u + 8u);

  // Text.
  const auto& txt = ev[8].summary().value(0);
  EXPECT_EQ(txt.metadata().plugin_data().plugin_name(), "text");
  EXPECT_EQ(txt.tensor().dtype(), proto::DT_STRING);
  ASSERT_EQ(txt.tensor().string_val_size(), 1);
  EXPECT_EQ(txt.tensor().string_val(0), "# hello");

  // PR curve.
  const auto& prv = ev[9].summary().value(0);
  EXPECT_EQ(prv.metadata().plugin_data().plugin_name(), "pr_curves");
  EXPECT_EQ(prv.metadata().plugin_data().content(), PrCurvePluginContent(3));
  EXPECT_EQ(prv.tensor().dtype(), proto::DT_FLOAT);
  EXPECT_EQ(prv.tensor().tensor_shape().dim(0).size(), 6);
  EXPECT_EQ(prv.tensor().tensor_shape().dim(1).size(), 3);
  EXPECT_EQ(prv.tensor().tensor_content().size(), 6u * 3u * 4u);
  EXPECT_FALSE(ev[10].summary().value(0).has_metadata());

  EXPECT_EQ(ev[11].session_log().status(), proto::SessionLog::START);
  EXPECT_EQ(ev[11].step(), 8);
  EXPECT_EQ(ev[12].graph_def(), std::string("\x0a\x03\x66\x6f\x6f", 5));
  EXPECT_EQ(ev[13].log_message().level(), proto::LogMessage::WARN);
  EXPECT_EQ(ev[13].log_message().message(), "careful");
  EXPECT_EQ(ev[14].tagged_run_metadata().tag(), "step10");
  EXPECT_EQ(ev[14].tagged_run_metadata().run_metadata(), "meta");
}

TEST(Writer, PrCurvePluginContentIsThePluginProto) {
  EXPECT_EQ(PrCurvePluginContent(0), "");
  EXPECT_EQ(PrCurvePluginContent(3), std::string("\x10\x03", 2));
  EXPECT_EQ(PrCurvePluginContent(200), std::string("\x10\xc8\x01", 3));
#ifdef TBVIEW_HAVE_PLUGINS_PROTO
  proto::PrCurvePluginData d;
  ASSERT_TRUE(d.ParseFromString(PrCurvePluginContent(200)));
  EXPECT_EQ(d.num_thresholds(), 200u);
  EXPECT_EQ(d.version(), 0);
#endif
  // A caller-supplied content wins.
  EventWriter w;
  const std::string custom("\x08\x01\x10\x05", 4);
  w.WritePrCurve(1, 1, "pr", std::vector<float>(30, 0.0f), &custom);
  EXPECT_EQ(ReadEvents(w.bytes())[0].summary().value(0).metadata().plugin_data().content(), custom);
}

TEST(Writer, HistogramProtoLikeTensorFlow) {
  const std::vector<double>& limits = DefaultHistogramBucketLimits();
  ASSERT_GT(limits.size(), 1000u);
  EXPECT_EQ(limits.front(), -DBL_MAX);
  EXPECT_EQ(limits.back(), DBL_MAX);
  EXPECT_EQ(limits[limits.size() / 2], 0.0);
  EXPECT_DOUBLE_EQ(limits[limits.size() / 2 + 1], 1e-12);
  for (size_t i = 1; i < limits.size(); ++i) ASSERT_LT(limits[i - 1], limits[i]);

  const std::vector<double> samples = {-1.0, 0.0, 0.5, 2.0, 2.0};
  const proto::HistogramProto h = MakeHistogramProto(samples);
  EXPECT_EQ(h.min(), -1.0);
  EXPECT_EQ(h.max(), 2.0);
  EXPECT_EQ(h.num(), 5.0);
  EXPECT_EQ(h.sum(), 3.5);
  EXPECT_EQ(h.sum_squares(), 9.25);
  ASSERT_EQ(h.bucket_size(), h.bucket_limit_size());
  double total = 0;
  int nonempty = 0;
  for (int i = 0; i < h.bucket_size(); ++i) {
    total += h.bucket(i);
    if (h.bucket(i) > 0) ++nonempty;
    if (i > 0) {
      EXPECT_LT(h.bucket_limit(i - 1), h.bucket_limit(i));
    }
    if (i > 0 && h.bucket(i) == 0) {
      EXPECT_GT(h.bucket(i - 1), 0) << "empty runs are collapsed";
    }
  }
  EXPECT_EQ(total, 5.0);
  EXPECT_EQ(nonempty, 4);  // -1, 0, 0.5, and 2 twice
  // 0 lies in [0, 1e-12): its bucket's limit is 1e-12.
  bool found_zero = false;
  for (int i = 0; i < h.bucket_size(); ++i) {
    if (h.bucket_limit(i) == 1e-12) found_zero = h.bucket(i) == 1;
  }
  EXPECT_TRUE(found_zero);
  EXPECT_EQ(h.bucket_limit(h.bucket_size() - 1), DBL_MAX);

  const proto::HistogramProto empty = MakeHistogramProto({});
  EXPECT_EQ(empty.num(), 0);
  ASSERT_EQ(empty.bucket_size(), 1);
  EXPECT_EQ(empty.bucket_limit(0), DBL_MAX);
}

TEST(Writer, PngIsWellFormed) {
  const int w = 5, h = 4;
  for (int channels : {1, 2, 3, 4}) {
    SCOPED_TRACE(channels);
    std::vector<uint8_t> px(static_cast<size_t>(w * h * channels));
    for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>(i * 37);
    const std::string png = EncodePng(px.data(), w, h, channels);
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    const std::vector<PngChunk> chunks = PngChunks(png);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0].type, "IHDR");
    ASSERT_EQ(chunks[0].data.size(), 13u);
    EXPECT_EQ(Be32(chunks[0].data, 0), static_cast<uint32_t>(w));
    EXPECT_EQ(Be32(chunks[0].data, 4), static_cast<uint32_t>(h));
    EXPECT_EQ(chunks[0].data[8], 8);
    const int color_type[5] = {0, 0, 4, 2, 6};
    EXPECT_EQ(chunks[0].data[9], color_type[channels]);
    EXPECT_EQ(chunks[0].data.substr(10), std::string(3, '\0'));
    EXPECT_EQ(chunks[1].type, "IDAT");
    EXPECT_EQ(chunks[2].type, "IEND");
    EXPECT_TRUE(chunks[2].data.empty());

    // The IDAT inflates to the filtered rows: a 0 filter byte, then the pixels.
    std::string raw(static_cast<size_t>((w * channels + 1) * h), '\0');
    uLongf raw_len = raw.size();
    ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(&raw[0]), &raw_len,
                         reinterpret_cast<const Bytef*>(chunks[1].data.data()), chunks[1].data.size()),
              Z_OK);
    ASSERT_EQ(raw_len, raw.size());
    std::string want;
    for (int y = 0; y < h; ++y) {
      want.push_back('\0');
      want.append(reinterpret_cast<const char*>(px.data()) + y * w * channels,
                  static_cast<size_t>(w * channels));
    }
    EXPECT_EQ(raw, want);
  }
  EXPECT_EQ(EncodePng(nullptr, 0, 1, 3), "");
  EXPECT_EQ(EncodePng(nullptr, 1, 1, 5), "");
}

TEST(Writer, WavHeaderAndSamples) {
  const std::vector<float> s = {0.0f, 1.0f, -1.0f, 0.5f, 2.0f, -3.0f};  // 3 frames, stereo
  const std::string wav = EncodeWav(s.data(), 3, 2, 44100);
  ASSERT_EQ(wav.size(), 44u + 12u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(Le32(wav, 4), wav.size() - 8);
  EXPECT_EQ(wav.substr(8, 4), "WAVE");
  EXPECT_EQ(wav.substr(12, 4), "fmt ");
  EXPECT_EQ(Le32(wav, 16), 16u);
  EXPECT_EQ(Le16(wav, 20), 1);  // PCM
  EXPECT_EQ(Le16(wav, 22), 2);  // channels
  EXPECT_EQ(Le32(wav, 24), 44100u);
  EXPECT_EQ(Le32(wav, 28), 44100u * 2 * 2);  // byte rate
  EXPECT_EQ(Le16(wav, 32), 4);               // block align
  EXPECT_EQ(Le16(wav, 34), 16);              // bits per sample
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(Le32(wav, 40), 12u);
  std::vector<int16_t> pcm(6);
  std::memcpy(pcm.data(), wav.data() + 44, 12);
  EXPECT_EQ(pcm, (std::vector<int16_t>{0, 32767, -32767, 16384, 32767, -32767}));
}

TEST(Writer, WritesAFile) {
  EventWriter w;
  w.WriteFileVersion(1.0);
  w.WriteScalar(2.0, 1, "x", 1.0f);
  const std::string path = ::testing::TempDir() + "tbview_writer_test.tfevents";
  std::string error;
  ASSERT_TRUE(w.WriteToFile(path, &error)) << error;
  EXPECT_EQ(test::ReadFile(path), w.bytes());
  std::remove(path.c_str());
  EXPECT_FALSE(WriteBytesToFile("/nonexistent-dir/x", "y", &error));
  EXPECT_NE(error.find("/nonexistent-dir/x"), std::string::npos);
}

}  // namespace
}  // namespace tbview
