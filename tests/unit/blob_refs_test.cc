// Images and audio kept by reference (blob_refs.h): the wire scan, the
// content-verified matching, and the Logdir keeping (file, offset, length) for
// plain files while an archive member's blobs stay in memory.
#include "blob_refs.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "logdir.h"
#include "proto/event.pb.h"
#include "support/archives.h"
#include "support/load.h"
#include "writer.h"

namespace tbview {
namespace {

using test::Gzip;
using test::Load;

// Pixels of noise: their PNG does not compress below kMinBlobRefBytes.
std::vector<uint8_t> Noise(int w, int h, int seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * 3);
  for (uint8_t& p : px) p = static_cast<uint8_t>(rng());
  return px;
}

// A TF2-style image value: string tensor [w, h, png...] with plugin "images".
void WriteTensorImages(EventWriter* w, int64_t step, const std::vector<std::string>& pngs) {
  proto::Event e;
  e.set_wall_time(100 + step);
  e.set_step(step);
  auto* v = e.mutable_summary()->add_value();
  v->set_tag("tf2/images");
  v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("images");
  v->mutable_metadata()->set_data_class(proto::DATA_CLASS_BLOB_SEQUENCE);
  auto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_STRING);
  t->mutable_tensor_shape()->add_dim()->set_size(2 + static_cast<int64_t>(pngs.size()));
  t->add_string_val("32");
  t->add_string_val("32");
  for (const std::string& p : pngs) t->add_string_val(p);
  w->WriteEvent(e);
}

// The demo-like log: legacy images and audio, TF2 image tensors, text, scalars.
struct Log {
  std::string bytes;
  std::vector<std::string> legacy_pngs;  // per step
  std::vector<std::string> tf2_pngs;     // per step, two images each
  uint64_t blob_bytes = 0;               // every encoded image and clip
};

Log MakeLog(int steps) {
  Log log;
  EventWriter w;
  w.WriteFileVersion(1);
  for (int s = 0; s < steps; ++s) {
    std::vector<uint8_t> px = Noise(32, 32, s);
    log.legacy_pngs.push_back(EncodePng(px.data(), 32, 32, 3));
    w.WriteImage(10 + s, s, "img", px.data(), 32, 32, 3);
    std::vector<std::string> pair = {EncodePng(Noise(32, 32, 1000 + s).data(), 32, 32, 3),
                                     EncodePng(Noise(32, 32, 2000 + s).data(), 32, 32, 3)};
    WriteTensorImages(&w, s, pair);
    log.tf2_pngs.insert(log.tf2_pngs.end(), pair.begin(), pair.end());
    std::vector<float> tone(800);
    for (size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<float>((i * (s + 1)) % 50) / 50.0f;
    w.WriteAudio(10 + s, s, "audio", tone, 1, 8000.0f);
    log.blob_bytes += EncodeWav(tone.data(), tone.size(), 1, 8000).size();
    w.WriteText(10 + s, s, "notes", std::string(600, 'x'));  // a long string of a text tag: kept
    w.WriteScalar(10 + s, s, "loss", 1.0f / (s + 1));
  }
  for (const std::string& p : log.legacy_pngs) log.blob_bytes += p.size();
  for (const std::string& p : log.tf2_pngs) log.blob_bytes += p.size();
  log.bytes = w.Take();
  return log;
}

// Element `i` of point `p`: its bytes, read from `file` when it is a reference.
std::string Element(const TensorPoint& p, size_t i, const std::string& file) {
  if (!p.blobs.empty() && p.blobs[i].valid()) return file.substr(p.blobs[i].offset, p.blobs[i].length);
  return p.tensor.strings[i];
}

TEST(BlobRefsTest, FindsTheEncodedFieldsOfAnEvent) {
  EventWriter w;
  std::vector<uint8_t> px = Noise(32, 32, 1);
  const std::string png = EncodePng(px.data(), 32, 32, 3);
  w.WriteImage(1, 2, "img", px.data(), 32, 32, 3);
  const std::string rec = w.Take();
  const std::string_view payload(rec.data() + 12, rec.size() - 16);
  std::vector<ByteSpan> spans;
  FindBlobSpans(payload, kMinBlobRefBytes, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(payload.substr(spans[0].offset, spans[0].length), png);
  // Every truncation of the payload is scanned without reading outside it, and
  // whatever is found still lies inside it.
  for (size_t n = 0; n < payload.size(); n += 7) {
    FindBlobSpans(payload.substr(0, n), 1, &spans);
    for (const ByteSpan& s : spans) EXPECT_LE(s.offset + s.length, n);
  }
}

TEST(BlobRefsTest, OnlyEqualBytesBecomeAReference) {
  const std::string payload = std::string(300, 'a') + std::string(300, 'b');
  const std::vector<ByteSpan> spans = {{0, 300}, {300, 300}};
  Tensor t;
  t.dtype = kDtString;
  t.shape = {4};
  t.strings = {std::string(300, 'b'), "small", std::string(300, 'c'), std::string(300, 'a')};
  std::vector<BlobRef> refs;
  EXPECT_EQ(ReferenceBlobs(payload, spans, 7, 1000, &t, &refs), 2u);
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0].file, 7);
  EXPECT_EQ(refs[0].offset, 1300u);
  EXPECT_EQ(refs[0].length, 300u);
  EXPECT_TRUE(t.strings[0].empty());
  EXPECT_FALSE(refs[1].valid());
  EXPECT_EQ(t.strings[1], "small");
  EXPECT_FALSE(refs[2].valid()) << "no span holds these bytes: kept";
  EXPECT_EQ(t.strings[2], std::string(300, 'c'));
  EXPECT_EQ(refs[3].offset, 1000u);
}

TEST(BlobRefsTest, PlainFileKeepsReferencesArchiveMemberKeepsBytes) {
  const int kSteps = 6;
  const Log log = MakeLog(kSteps);
  // Chunk sizes that put payloads both inside one push and across pushes (the
  // reader's carry buffer): the offsets must be file offsets either way.
  for (size_t chunk : {size_t(1) << 20, size_t(333), size_t(17)}) {
    SCOPED_TRACE(chunk);
    Logdir plain, archived;
    Load(&plain, "run/events.out.tfevents.1", log.bytes, chunk);
    Load(&archived, "arch/events.out.tfevents.1.gz", Gzip(log.bytes), chunk);
    ASSERT_EQ(plain.files()[0].status, FileStatus::kOk) << plain.files()[0].message;

    // Plain file: every image and clip is a reference, none is held.
    const BlobStats p = plain.Blobs();
    EXPECT_EQ(p.held, 0u);
    EXPECT_EQ(p.held_bytes, 0u);
    EXPECT_EQ(p.by_reference, static_cast<uint64_t>(kSteps * 4));
    EXPECT_EQ(p.by_reference_bytes, log.blob_bytes);
    // The archive member: all held in memory.
    const BlobStats a = archived.Blobs();
    EXPECT_EQ(a.by_reference, 0u);
    EXPECT_EQ(a.held, static_cast<uint64_t>(kSteps * 4));
    EXPECT_EQ(a.held_bytes, log.blob_bytes);
    // What the series retain: the archive's copy holds every blob byte more
    // (less the small BlobRef arrays the plain file holds instead).
    EXPECT_GT(archived.RetainedBytes(), plain.RetainedBytes() + log.blob_bytes * 9 / 10);
    EXPECT_LT(plain.RetainedBytes(), log.blob_bytes / 4) << "retained bytes exclude the images";

    // The bytes behind each reference are the logged ones, and equal the
    // archive member's kept strings.
    const TensorSeries* img = plain.Tensors("run", "img");
    const TensorSeries* img_a = archived.Tensors("arch", "img");
    ASSERT_TRUE(img && img_a);
    ASSERT_EQ(img->points().size(), static_cast<size_t>(kSteps));
    for (int s = 0; s < kSteps; ++s) {
      const TensorPoint& pt = img->points()[s];
      ASSERT_EQ(pt.blobs.size(), 3u);
      EXPECT_FALSE(pt.blobs[0].valid());
      EXPECT_EQ(pt.tensor.strings[0], "32") << "width stays in memory";
      EXPECT_EQ(pt.blobs[2].file, 0);
      EXPECT_TRUE(pt.tensor.strings[2].empty());
      EXPECT_EQ(Element(pt, 2, log.bytes), log.legacy_pngs[s]);
      EXPECT_EQ(img_a->points()[s].tensor.strings[2], log.legacy_pngs[s]);
      EXPECT_TRUE(img_a->points()[s].blobs.empty());
    }
    const TensorSeries* tf2 = plain.Tensors("run", "tf2/images");
    ASSERT_TRUE(tf2);
    for (int s = 0; s < kSteps; ++s) {
      const TensorPoint& pt = tf2->points()[s];
      EXPECT_EQ(Element(pt, 2, log.bytes), log.tf2_pngs[2 * s]);
      EXPECT_EQ(Element(pt, 3, log.bytes), log.tf2_pngs[2 * s + 1]);
    }
    const TensorSeries* audio = plain.Tensors("run", "audio");
    const TensorSeries* audio_a = archived.Tensors("arch", "audio");
    ASSERT_TRUE(audio && audio_a);
    for (int s = 0; s < kSteps; ++s) {
      EXPECT_EQ(Element(audio->points()[s], 0, log.bytes), audio_a->points()[s].tensor.strings[0]);
      EXPECT_EQ(audio->points()[s].tensor.strings.size(), 1u) << "projected to [k] as before";
    }
    // A long string of a text tag is not a blob: kept.
    const TensorSeries* notes = plain.Tensors("run", "notes");
    ASSERT_TRUE(notes);
    EXPECT_EQ(notes->points()[0].tensor.strings[0], std::string(600, 'x'));
    EXPECT_TRUE(notes->points()[0].blobs.empty());
  }
}

TEST(BlobRefsTest, RestartRuleDropsReferencedPointsToo) {
  EventWriter w;
  w.WriteFileVersion(1);
  const int steps[] = {0, 1, 2, 3, 1, 2};
  for (int i = 0; i < 6; ++i) {
    std::vector<uint8_t> px = Noise(32, 32, i);  // seed: the write's index
    w.WriteImage(10 + i, steps[i], "img", px.data(), 32, 32, 3);
  }
  const std::string bytes = w.Take();
  Logdir d;
  Load(&d, "events.out.tfevents.1", bytes, 1 << 20);
  const TensorSeries* img = d.Tensors(".", "img");
  ASSERT_TRUE(img);
  ASSERT_EQ(img->points().size(), 3u);  // 0, then (restart at 1: 1, 2, 3 dropped) 1, 2
  EXPECT_EQ(img->dropped(), 3u);
  EXPECT_EQ(d.Blobs().by_reference, 3u);
  EXPECT_EQ(d.Blobs().held, 0u);
  for (int k = 0; k < 3; ++k) {
    const int write = k == 0 ? 0 : 3 + k;  // writes 0, 4, 5 remain
    std::vector<uint8_t> px = Noise(32, 32, write);
    EXPECT_EQ(img->points()[k].step, steps[write]);
    EXPECT_EQ(Element(img->points()[k], 2, bytes), EncodePng(px.data(), 32, 32, 3));
  }
}

}  // namespace
}  // namespace tbview
