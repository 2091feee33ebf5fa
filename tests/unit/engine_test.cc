// Engine: the class the wasm bindings marshal, tested natively. Input (open,
// push, end, failures from outside), the lists (files, runs, tags, stats), the
// series queries with their validation and clamping, blobs by reference, the
// plugin views, names repaired at ingestion, and bad ids.
#include "engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "proto/plugins.pb.h"
#include "utf8.h"
#include "writer.h"

namespace tbview {
namespace {

int Load(Engine* e, const std::string& path, const std::string& bytes, size_t chunk = 0) {
  const int id = e->OpenFile(path);
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (size_t i = 0; i < bytes.size(); i += chunk)
    EXPECT_TRUE(e->Push(id, p + i, std::min(chunk, bytes.size() - i)));
  EXPECT_TRUE(e->EndOfData(id));
  return id;
}

std::string Scalars(const std::string& tag, int steps, int first_step = 0) {
  EventWriter w;
  w.WriteFileVersion(1000);
  for (int s = first_step; s < first_step + steps; ++s)
    w.WriteTensorScalar(1000 + s, s, tag, static_cast<float>(s));
  return w.Take();
}

const FileRow* FileNamed(const std::vector<FileRow>& files, const std::string& path) {
  for (const FileRow& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

TEST(EngineTest, OpenPushEndListsFilesRunsAndTags) {
  Engine e;
  const int a = Load(&e, "train/events.out.tfevents.1", Scalars("loss", 10), 7);
  const int b = Load(&e, "eval/events.out.tfevents.1", Scalars("acc", 3));
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(e.OpenFile("train/events.out.tfevents.1"), a);  // a path keeps its id

  const std::vector<FileRow> files = e.Files();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].id, 0);
  EXPECT_EQ(files[0].run, "train");
  EXPECT_EQ(files[0].status, "ok");
  EXPECT_EQ(files[0].records, 11);  // file version + 10 values
  EXPECT_EQ(files[0].file_version, "brain.Event:2");
  EXPECT_EQ(files[0].first_wall_time, 1000);
  EXPECT_EQ(files[0].message, "");
  EXPECT_EQ(files[0].detail, "");

  EXPECT_EQ(e.Runs(), (std::vector<std::string>{"eval", "train"}));
  const std::vector<TagRow> tags = e.Tags();
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[1].run, "train");
  EXPECT_EQ(tags[1].tag, "loss");
  EXPECT_EQ(tags[1].plugin, "scalars");
  EXPECT_EQ(tags[1].data_class, kDataClassScalar);
  EXPECT_TRUE(tags[1].is_scalar);
  EXPECT_EQ(tags[1].points, 10);
  EXPECT_EQ(tags[1].first_step, 0);
  EXPECT_EQ(tags[1].last_step, 9);
  EXPECT_EQ(tags[1].last_wall_time, 1009);

  const EngineStats st = e.Stats();
  EXPECT_EQ(st.points, 13);
  EXPECT_GT(st.retained_bytes, 0);
}

TEST(EngineTest, BadIdsAreRefused) {
  Engine e;
  const uint8_t byte = 0;
  EXPECT_FALSE(e.ValidFile(0));
  EXPECT_FALSE(e.Push(0, &byte, 1));
  EXPECT_FALSE(e.Push(-1, &byte, 1));
  EXPECT_FALSE(e.EndOfData(3));
  EXPECT_FALSE(e.FailFile(0, "x"));
  std::string error;
  EXPECT_FALSE(e.SetFileStatus(0, "cancelled", "x", &error));
  EXPECT_EQ(error, "unknown file id");
  EXPECT_TRUE(e.Files().empty());
}

TEST(EngineTest, StatusesOnlyTheCallerSees) {
  Engine e;
  const std::string log = Scalars("loss", 100);
  const int cut = e.OpenFile("r/events.1");
  ASSERT_TRUE(e.Push(cut, reinterpret_cast<const uint8_t*>(log.data()), log.size() / 2));
  std::string error;
  ASSERT_TRUE(e.SetFileStatus(cut, "cancelled", "read stopped after 10 of 20 bytes", &error)) << error;
  const int broken = e.OpenFile("r/events.2");
  ASSERT_TRUE(e.SetFileStatus(broken, "read_error", "after 0 bytes: HTTP 404", &error)) << error;
  EXPECT_FALSE(e.SetFileStatus(broken, "ok", "", &error));
  EXPECT_NE(error.find("status must be"), std::string::npos);
  const int failed = e.OpenFile("r/events.3");
  ASSERT_TRUE(e.FailFile(failed, "read error: gone"));

  const std::vector<FileRow> files = e.Files();
  EXPECT_EQ(files[0].status, "cancelled");
  EXPECT_EQ(files[0].detail, "read stopped after 10 of 20 bytes");
  EXPECT_EQ(files[0].message, "r/events.1: cancelled: read stopped after 10 of 20 bytes");
  EXPECT_GT(files[0].records, 10);  // what was read is kept
  EXPECT_EQ(files[1].status, "read_error");
  EXPECT_EQ(files[1].message, "r/events.2: read error: after 0 bytes: HTTP 404");
  EXPECT_EQ(files[2].status, "corrupt");  // failFile: the caller's words, as they are
  EXPECT_EQ(files[2].message, "read error: gone");
  EXPECT_EQ(files[2].detail, "read error: gone");
  // A stopped file takes no more bytes.
  ASSERT_TRUE(e.Push(cut, reinterpret_cast<const uint8_t*>(log.data()) + log.size() / 2, log.size() / 2));
  EXPECT_EQ(e.Files()[0].status, "cancelled");
  EXPECT_EQ(e.Files()[0].records, files[0].records);
}

TEST(EngineTest, DetailIsTheMessageWithoutPathAndStatusWords) {
  Engine e;
  Load(&e, "notes.txt", "hello, this is text and not an event file at all");
  const std::string log = Scalars("loss", 5);
  const int cut = e.OpenFile("r/events.1");
  ASSERT_TRUE(e.Push(cut, reinterpret_cast<const uint8_t*>(log.data()), log.size() - 3));
  ASSERT_TRUE(e.EndOfData(cut));
  Load(&e, "r/events.2", log + std::string(16, '\x01'));  // a header whose length CRC is wrong

  const std::vector<FileRow> files = e.Files();
  const FileRow* text = FileNamed(files, "notes.txt");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, "not_event_file");
  EXPECT_EQ(text->message, "notes.txt: not an event file: " + text->detail);
  EXPECT_NE(text->detail.find("text"), std::string::npos) << text->detail;
  const FileRow* waiting = FileNamed(files, "r/events.1");
  EXPECT_EQ(waiting->status, "waiting");
  EXPECT_EQ(waiting->detail.rfind("ends inside a record (", 0), 0u) << waiting->detail;
  const FileRow* bad = FileNamed(files, "r/events.2");
  EXPECT_EQ(bad->status, "corrupt");
  EXPECT_EQ(bad->message, "r/events.2: corrupt: " + bad->detail);
}

TEST(EngineTest, ScalarQueriesAreValidatedAndClamped) {
  Engine e;
  Load(&e, "r/e", Scalars("y", 5000));
  ScalarQueryResult r;
  std::string error;

  ScalarsRequest unset;  // every field at its default: step axis, width 1000, no smoothing
  ASSERT_EQ(e.Scalars("r", "y", unset, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.total, 5000u);
  EXPECT_LE(r.x.size(), 2u * 1000 + 2);
  EXPECT_EQ(r.smoothed, r.value);

  ScalarsRequest narrow;
  narrow.width = 0.2;  // rounds to 0, clamps to 1 column
  ASSERT_EQ(e.Scalars("r", "y", narrow, &r, &error), Engine::Answer::kOk);
  EXPECT_LE(r.x.size(), 4u);
  narrow.width = 1e12;  // clamped to 1e6: every point
  ASSERT_EQ(e.Scalars("r", "y", narrow, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.x.size(), 5000u);

  ScalarsRequest range;
  range.x0 = 1000;
  range.x1 = 1999;
  range.x_axis = "step";
  range.width = 1e6;
  ASSERT_EQ(e.Scalars("r", "y", range, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.total, 1000u);
  range.x0 = -INFINITY;  // infinite: unbounded
  range.x1 = NAN;
  ASSERT_EQ(e.Scalars("r", "y", range, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.total, 5000u);

  ScalarsRequest smooth;
  smooth.smoothing = 3;  // clamped to 0.999
  smooth.width = 1e6;
  ASSERT_EQ(e.Scalars("r", "y", smooth, &r, &error), Engine::Answer::kOk);
  ScalarQuery q;
  q.smoothing = 0.999;
  q.width = 1000000;
  ScalarQueryResult want;
  QueryScalars(*e.logdir().Scalars("r", "y"), q, &want);
  EXPECT_EQ(r.smoothed, want.smoothed);
  smooth.smoothing = -1;  // clamped to 0
  ASSERT_EQ(e.Scalars("r", "y", smooth, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.smoothed, r.value);

  ScalarsRequest wall;
  wall.x_axis = "wall";
  wall.width = 1e6;
  ASSERT_EQ(e.Scalars("r", "y", wall, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.x.front(), 1000);
  wall.x_axis = "relative";
  ASSERT_EQ(e.Scalars("r", "y", wall, &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.x.front(), 0);
  EXPECT_EQ(r.x.back(), 4999);

  ScalarsRequest sideways;
  sideways.x_axis = "sideways";
  EXPECT_EQ(e.Scalars("r", "y", sideways, &r, &error), Engine::Answer::kBadRequest);
  EXPECT_NE(error.find("xAxis must be"), std::string::npos);
  EXPECT_EQ(e.Scalars("r", "nope", unset, &r, &error), Engine::Answer::kNotFound);
  EXPECT_EQ(e.Scalars("nope", "y", unset, &r, &error), Engine::Answer::kNotFound);
}

TEST(EngineTest, ScalarColumnsHoldEveryPoint) {
  Engine e;
  Load(&e, "r/e", Scalars("y", 300, 5));
  std::vector<double> step, wall, value;
  ASSERT_TRUE(e.ScalarsColumn("r", "y", 0, &step));
  ASSERT_TRUE(e.ScalarsColumn("r", "y", 1, &wall));
  ASSERT_TRUE(e.ScalarsColumn("r", "y", 2, &value));
  ASSERT_EQ(step.size(), 300u);
  EXPECT_EQ(step[0], 5);
  EXPECT_EQ(wall[299], 1304);
  EXPECT_EQ(value[299], 304);
  EXPECT_FALSE(e.ScalarsColumn("r", "y", 3, &step));
  EXPECT_FALSE(e.ScalarsColumn("r", "x", 0, &step));
}

TEST(EngineTest, TensorsStepsAndBlobsByReference) {
  EventWriter w;
  std::vector<uint8_t> pixels(64 * 64 * 3);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 7);
  for (int s = 0; s < 3; ++s) w.WriteImage(1000 + s, s, "img", pixels.data(), 64, 64, 3);
  for (int s = 0; s < 2; ++s)
    w.WriteHistogramTensor(1000 + s, s, "h", MakeHistogramBuckets({1, 2, 3, 4, 5.5}, 4));
  Engine e;
  const int id = Load(&e, "r/events.1", w.Take());

  TensorStepsAnswer steps;
  ASSERT_TRUE(e.TensorSteps("r", "img", &steps));
  EXPECT_EQ(steps.step, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(steps.count, (std::vector<uint32_t>{1, 1, 1}));  // one image per step
  ASSERT_TRUE(e.TensorSteps("r", "h", &steps));
  EXPECT_EQ(steps.count, (std::vector<uint32_t>{1, 1}));
  EXPECT_FALSE(e.TensorSteps("r", "nope", &steps));

  BlobAnswer blob;
  ASSERT_TRUE(e.Blob("r", "img", 1, 2, &blob));  // [w, h, png]: element 2 is the PNG
  EXPECT_TRUE(blob.by_reference);
  EXPECT_EQ(blob.ref.file, id);
  EXPECT_GT(blob.ref.length, 256u);
  ASSERT_TRUE(e.Blob("r", "img", 1, 0, &blob));  // the width: short, held
  EXPECT_FALSE(blob.by_reference);
  EXPECT_EQ(blob.bytes, "64");
  EXPECT_FALSE(e.Blob("r", "img", 1, 3, &blob));
  EXPECT_FALSE(e.Blob("r", "img", 3, 0, &blob));
  EXPECT_FALSE(e.Blob("r", "h", 0, 0, &blob));  // not a string tensor
  EXPECT_GT(e.Stats().blobs_by_reference, 0);

  const TensorPoint* p = e.TensorAt("r", "h", 1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->step, 1);
  EXPECT_EQ(e.TensorAt("r", "h", 2), nullptr);
  EXPECT_EQ(e.TensorAt("r", "h", -1), nullptr);

  TensorsAnswer all;
  ASSERT_TRUE(e.Tensors("r", "h", &all));
  ASSERT_EQ(all.shapes.size(), 2u);
  EXPECT_EQ(all.shapes[0], p->tensor.shape);
  ASSERT_EQ(all.offsets.size(), 3u);
  EXPECT_EQ(all.offsets[2], all.numbers.size());
  EXPECT_EQ(std::vector<double>(all.numbers.begin() + all.offsets[1], all.numbers.end()), p->tensor.numbers);
}

TEST(EngineTest, PluginViewsPerTag) {
  EventWriter w;
  // Distribution of a float64 histogram.
  w.WriteHistogramTensor(1000, 7, "h", MakeHistogramBuckets({1, 2, 3, 4, 5}, 4));
  // PR curve whose last two thresholds have TP + FP == 0: trimmed.
  std::vector<float> pr = {5,   3,    0, 0,   // TP
                           5,   1,    0, 0,   // FP
                           0,   4,    5, 5,   // TN
                           0,   2,    5, 5,   // FN
                           .5f, .75f, 0, 0,   // precision
                           1,   .6f,  0, 0};  // recall
  w.WritePrCurve(1000, 3, "pr", pr);
  // A rank-3 text tensor: the first 2-D slice, with TensorBoard's warning.
  w.WriteTextTensor(1000, 1, "t", {"a", "b", "c", "d", "e", "f", "g", "h"}, {2, 2, 2});
  Engine e;
  Load(&e, "r/e", w.Take());

  DistributionsAnswer d;
  ASSERT_TRUE(e.Distributions("r", "h", &d));
  EXPECT_EQ(d.step, (std::vector<double>{7}));
  ASSERT_EQ(d.basis_points.size(), 9u);
  const std::array<double, 9> want = DistributionBasisPoints(e.TensorAt("r", "h", 0)->tensor);
  EXPECT_EQ(d.basis_points, std::vector<double>(want.begin(), want.end()));
  EXPECT_EQ(d.basis_points.front(), 1);  // the minimum
  EXPECT_EQ(d.basis_points.back(), 5);   // the maximum

  std::vector<PrCurvePoint> curves;
  ASSERT_TRUE(e.PrCurves("r", "pr", &curves));
  ASSERT_EQ(curves.size(), 1u);
  EXPECT_EQ(curves[0].step, 3);
  EXPECT_EQ(curves[0].tp, (std::vector<double>{5, 3}));
  EXPECT_EQ(curves[0].thresholds.size(), 2u);

  TextView text;
  ASSERT_TRUE(e.Text("r", "t", 0, &text));
  EXPECT_EQ(text.rank, 3);
  EXPECT_EQ(text.kind, "table");
  EXPECT_EQ(text.rows, (std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}}));
  EXPECT_NE(text.warning.find("2d slice"), std::string::npos);
  EXPECT_FALSE(e.Text("r", "t", 1, &text));
  EXPECT_FALSE(e.PrCurves("r", "nope", &curves));
  EXPECT_FALSE(e.Distributions("r", "nope", &d));
}

TEST(EngineTest, HparamsAndCustomScalars) {
  EventWriter w;
  proto::Event ev = MakeEvent(1000, 0);
  proto::Summary::Value* v = AddSummaryValue(&ev, "custom_scalars__config__");
  proto::Layout layout;
  proto::Category* cat = layout.add_category();
  cat->set_title("losses");
  proto::Chart* chart = cat->add_chart();
  chart->set_title("all");
  chart->mutable_multiline()->add_tag("loss.*");
  v->mutable_tensor()->set_dtype(proto::DT_STRING);
  v->mutable_tensor()->add_string_val(layout.SerializeAsString());
  SetPluginMetadata(v, "custom_scalars", "", proto::DATA_CLASS_TENSOR);
  w.WriteEvent(ev);
  Engine e;
  Load(&e, "r/e", w.Take());
  EXPECT_TRUE(e.Hparams().sessions.empty());
  const std::vector<CustomScalarCategory> cats = e.CustomScalars();
  ASSERT_EQ(cats.size(), 1u);
  EXPECT_EQ(cats[0].title, "losses");
  ASSERT_EQ(cats[0].charts.size(), 1u);
  EXPECT_EQ(cats[0].charts[0].tags, (std::vector<std::string>{"loss.*"}));
}

TEST(EngineTest, HostileNamesAreRepairedAtIngestionAndQueryable) {
  const std::string bad_tag = std::string("loss\xff\xe2\x82", 7);  // invalid byte, cut-off sequence
  const std::string bad_run = std::string("r\xc0/x", 4);
  Engine e;
  Load(&e, bad_run + "/events.1", Scalars(bad_tag, 4));
  const std::string tag = ToValidUtf8(bad_tag);
  const std::string run = ToValidUtf8(bad_run);
  EXPECT_EQ(tag, "loss\xEF\xBF\xBD\xEF\xBF\xBD");  // one U+FFFD per maximal subpart
  EXPECT_EQ(e.Runs(), (std::vector<std::string>{run}));
  const std::vector<TagRow> tags = e.Tags();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].tag, tag);
  EXPECT_EQ(tags[0].points, 4);
  ScalarQueryResult r;
  std::string error;
  ASSERT_EQ(e.Scalars(run, tag, ScalarsRequest(), &r, &error), Engine::Answer::kOk);
  EXPECT_EQ(r.total, 4u);
  for (const FileRow& f : e.Files()) EXPECT_EQ(FirstInvalidUtf8(f.path), f.path.size());
}

TEST(EngineTest, NamesThatDifferOnlyInInvalidBytesAreOneTag) {
  EventWriter w;
  w.WriteTensorScalar(1000, 0, std::string("a\xff", 2), 1);
  w.WriteTensorScalar(1001, 1, std::string("a\xfe", 2), 2);
  w.WriteTensorScalar(1002, 2, "a\xEF\xBF\xBD", 3);
  Engine e;
  Load(&e, "r/e", w.Take());
  const std::vector<TagRow> tags = e.Tags();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].points, 3);
}

}  // namespace
}  // namespace tbview
