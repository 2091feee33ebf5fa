// EventDecoder: each legacy conversion of TensorBoard's data_compat, the
// metadata handling of dataclass_compat (first metadata per tag decides), and
// the non-summary event kinds.
#include "data_compat.h"

#include <gtest/gtest.h>

#include <cmath>

#include "proto/event.pb.h"
#include "proto/plugins.pb.h"

namespace tbview {
namespace {

using proto::Event;
using proto::Summary_Value;

class DataCompatTest : public ::testing::Test {
 protected:
  // Decodes `e` with the fixture's decoder (its per-tag state persists).
  CompatEvent Decode(const Event& e) {
    CompatEvent out;
    std::string err;
    EXPECT_TRUE(decoder_.Decode(e.SerializeAsString(), &out, &err)) << err;
    return out;
  }
  static Event WithValue(const Summary_Value& v, int64_t step = 1) {
    Event e;
    e.set_wall_time(1000.5);
    e.set_step(step);
    *e.mutable_summary()->add_value() = v;
    return e;
  }
  EventDecoder decoder_;
};

TEST_F(DataCompatTest, SimpleValueBecomesFloat32Scalar) {
  Summary_Value v;
  v.set_tag("loss");
  v.set_simple_value(0.1f);
  CompatEvent e = Decode(WithValue(v, 7));
  EXPECT_EQ(e.kind, EventKind::kSummary);
  EXPECT_EQ(e.step, 7);
  EXPECT_EQ(e.wall_time, 1000.5);
  ASSERT_EQ(e.values.size(), 1u);
  const CompatValue& c = e.values[0];
  EXPECT_EQ(c.tag, "loss");
  EXPECT_TRUE(c.has_metadata);
  EXPECT_EQ(c.metadata.plugin_name, "scalars");
  EXPECT_EQ(c.metadata.plugin_content, "");
  EXPECT_EQ(c.metadata.display_name, "loss");
  EXPECT_EQ(c.metadata.data_class, kDataClassScalar);
  EXPECT_EQ(c.tensor.dtype, kDtFloat);
  EXPECT_TRUE(c.tensor.shape.empty());
  EXPECT_EQ(c.tensor.numbers, std::vector<double>{static_cast<double>(0.1f)});
}

TEST_F(DataCompatTest, SimpleValueKeepsDisplayNameAndDescription) {
  Summary_Value v;
  v.set_tag("a/b");
  v.set_simple_value(NAN);
  v.mutable_metadata()->set_display_name("Pretty");
  v.mutable_metadata()->set_summary_description("**md**");
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.display_name, "Pretty");
  EXPECT_EQ(c.metadata.description, "**md**");
  EXPECT_EQ(c.metadata.plugin_name, "scalars");
  EXPECT_TRUE(std::isnan(c.tensor.numbers[0]));
}

TEST_F(DataCompatTest, HistogramDropsEmptyEndsAndUsesMinMax) {
  Summary_Value v;
  v.set_tag("h");
  auto* h = v.mutable_histo();
  h->set_min(-0.3);
  h->set_max(2.7);
  for (double lim : {-1e300, -0.5, 0.1, 1.0, 3.0, 1e300}) h->add_bucket_limit(lim);
  for (double cnt : {0, 0, 4, 0, 5, 0}) h->add_bucket(cnt);
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.plugin_name, "histograms");
  EXPECT_EQ(c.metadata.data_class, kDataClassTensor);
  EXPECT_EQ(c.metadata.display_name, "h");
  EXPECT_EQ(c.tensor.dtype, kDtFloat);
  EXPECT_EQ(c.tensor.shape, (std::vector<int64_t>{3, 3}));
  auto f = [](double x) { return static_cast<double>(static_cast<float>(x)); };
  // Rows (left, right, count): bucket_limit[i] is bucket i's right edge.
  EXPECT_EQ(c.tensor.numbers,
            (std::vector<double>{f(-0.3), f(0.1), 4, f(0.1), f(1.0), 0, f(1.0), f(2.7), 5}));
}

TEST_F(DataCompatTest, LongHistogramIsRoundedToFloat32Everywhere) {
  Summary_Value v;
  v.set_tag("h");
  auto* h = v.mutable_histo();
  h->set_min(-1.0 / 3);
  h->set_max(100.0 / 3);
  for (int i = 0; i < 100; ++i) {
    h->add_bucket_limit(i / 3.0 + 1e-9);
    h->add_bucket(i + 0.1);
  }
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  ASSERT_EQ(c.tensor.numbers.size(), 300u);
  for (double x : c.tensor.numbers) EXPECT_EQ(x, static_cast<double>(static_cast<float>(x))) << x;
  EXPECT_EQ(c.tensor.numbers[1], static_cast<double>(static_cast<float>(1e-9)));
}

TEST_F(DataCompatTest, EmptyHistogramHasZeroRows) {
  Summary_Value v;
  v.set_tag("h");
  v.mutable_histo()->add_bucket_limit(1);
  v.mutable_histo()->add_bucket(0);
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.tensor.shape, (std::vector<int64_t>{0, 3}));
  EXPECT_TRUE(c.tensor.numbers.empty());
}

TEST_F(DataCompatTest, ImageBecomesWidthHeightEncoded) {
  Summary_Value v;
  v.set_tag("img");
  v.mutable_image()->set_width(28);
  v.mutable_image()->set_height(14);
  v.mutable_image()->set_encoded_image_string(std::string("\x89PNG\r\n", 6));
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.plugin_name, "images");
  EXPECT_EQ(c.metadata.data_class, kDataClassBlobSequence);
  proto::ImagePluginData pd;
  ASSERT_TRUE(pd.ParseFromString(c.metadata.plugin_content));
  EXPECT_TRUE(pd.converted_to_tensor());
  EXPECT_EQ(c.tensor.dtype, kDtString);
  EXPECT_EQ(c.tensor.shape, std::vector<int64_t>{3});
  EXPECT_EQ(c.tensor.strings, (std::vector<std::string>{"28", "14", std::string("\x89PNG\r\n", 6)}));
}

TEST_F(DataCompatTest, AudioBecomesOneClip) {
  Summary_Value v;
  v.set_tag("snd");
  v.mutable_audio()->set_encoded_audio_string("RIFF....WAVE");
  v.mutable_audio()->set_sample_rate(16000);
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.plugin_name, "audio");
  EXPECT_EQ(c.metadata.data_class, kDataClassBlobSequence);
  proto::AudioPluginData pd;
  ASSERT_TRUE(pd.ParseFromString(c.metadata.plugin_content));
  EXPECT_EQ(pd.encoding(), proto::AudioPluginData::WAV);
  EXPECT_TRUE(pd.converted_to_tensor());
  EXPECT_EQ(c.tensor.shape, std::vector<int64_t>{1});
  EXPECT_EQ(c.tensor.strings, std::vector<std::string>{"RIFF....WAVE"});
}

TEST_F(DataCompatTest, AudioTensorsProjectedOnFirstAxisForEveryValueOfTheTag) {
  auto make = [](bool with_metadata) {
    Summary_Value v;
    v.set_tag("a");
    if (with_metadata) v.mutable_metadata()->mutable_plugin_data()->set_plugin_name("audio");
    auto* t = v.mutable_tensor();
    t->set_dtype(proto::DT_STRING);
    t->mutable_tensor_shape()->add_dim()->set_size(2);
    t->mutable_tensor_shape()->add_dim()->set_size(2);
    for (const char* s : {"clip0", "label0", "clip1", "label1"}) t->add_string_val(s);
    return v;
  };
  const CompatValue first = Decode(WithValue(make(true))).values.at(0);
  EXPECT_EQ(first.metadata.data_class, kDataClassBlobSequence);
  EXPECT_EQ(first.tensor.shape, std::vector<int64_t>{2});
  EXPECT_EQ(first.tensor.strings, (std::vector<std::string>{"clip0", "clip1"}));
  // A later value without metadata is still projected (the tag's first metadata decides).
  const CompatValue later = Decode(WithValue(make(false))).values.at(0);
  EXPECT_FALSE(later.has_metadata);
  EXPECT_EQ(later.tensor.strings, (std::vector<std::string>{"clip0", "clip1"}));
}

TEST_F(DataCompatTest, TensorWithPluginDataKept) {
  Summary_Value v;
  v.set_tag("pr");
  auto* md = v.mutable_metadata();
  md->mutable_plugin_data()->set_plugin_name("pr_curves");
  proto::PrCurvePluginData pd;
  pd.set_num_thresholds(3);
  md->mutable_plugin_data()->set_content(pd.SerializeAsString());
  auto* t = v.mutable_tensor();
  t->set_dtype(proto::DT_FLOAT);
  t->mutable_tensor_shape()->add_dim()->set_size(6);
  t->mutable_tensor_shape()->add_dim()->set_size(3);
  for (int i = 0; i < 18; ++i) t->add_float_val(i);
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.plugin_name, "pr_curves");
  EXPECT_EQ(c.metadata.data_class, kDataClassTensor);
  EXPECT_EQ(c.metadata.display_name, "");  // not set for tensor summaries
  EXPECT_EQ(c.metadata.plugin_content, pd.SerializeAsString());
  EXPECT_EQ(c.tensor.shape, (std::vector<int64_t>{6, 3}));
  EXPECT_EQ(c.tensor.numbers.size(), 18u);
}

TEST_F(DataCompatTest, KnownDataClassIsKeptAndStopsTransforms) {
  Summary_Value v;
  v.set_tag("g");
  v.mutable_metadata()->mutable_plugin_data()->set_plugin_name("graph_keras_model");
  v.mutable_metadata()->set_data_class(proto::DATA_CLASS_TENSOR);
  v.mutable_tensor()->set_dtype(proto::DT_STRING);
  v.mutable_tensor()->add_string_val("{}");
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.data_class, kDataClassTensor);
  EXPECT_TRUE(c.tensor.shape.empty());  // no [] -> [1] once a data class is known
}

TEST_F(DataCompatTest, GraphSubPluginScalarShapeBecomesOne) {
  Summary_Value v;
  v.set_tag("keras");
  v.mutable_metadata()->mutable_plugin_data()->set_plugin_name("graph_keras_model");
  v.mutable_tensor()->set_dtype(proto::DT_STRING);
  v.mutable_tensor()->add_string_val("{\"model\": 1}");
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.data_class, kDataClassBlobSequence);
  EXPECT_EQ(c.tensor.shape, std::vector<int64_t>{1});
  EXPECT_EQ(c.tensor.strings.size(), 1u);
}

TEST_F(DataCompatTest, HparamsWithoutTensorGetEmptyFloat) {
  Summary_Value v;
  v.set_tag("_hparams_/session_end_info");
  v.mutable_metadata()->mutable_plugin_data()->set_plugin_name("hparams");
  proto::HParamsPluginData pd;
  pd.mutable_session_end_info()->set_status(proto::STATUS_SUCCESS);
  v.mutable_metadata()->mutable_plugin_data()->set_content(pd.SerializeAsString());
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.data_class, kDataClassTensor);
  EXPECT_EQ(c.tensor.dtype, kDtFloat);
  EXPECT_EQ(c.tensor.shape, std::vector<int64_t>{0});
  EXPECT_TRUE(c.tensor.numbers.empty());
}

TEST_F(DataCompatTest, TextGetsTensorDataClass) {
  Summary_Value v;
  v.set_tag("notes");
  v.mutable_metadata()->mutable_plugin_data()->set_plugin_name("text");
  v.mutable_tensor()->set_dtype(proto::DT_STRING);
  v.mutable_tensor()->add_string_val("hello *world*");
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_EQ(c.metadata.data_class, kDataClassTensor);
  EXPECT_EQ(c.tensor.strings, std::vector<std::string>{"hello *world*"});
}

TEST_F(DataCompatTest, LaterValuesWithoutMetadataStayWithout) {
  Summary_Value v;
  v.set_tag("s");
  v.mutable_metadata()->mutable_plugin_data()->set_plugin_name("scalars");
  v.mutable_tensor()->set_dtype(proto::DT_FLOAT);
  v.mutable_tensor()->add_float_val(1);
  EXPECT_EQ(Decode(WithValue(v)).values.at(0).metadata.data_class, kDataClassScalar);
  v.clear_metadata();
  const CompatValue c = Decode(WithValue(v)).values.at(0);
  EXPECT_FALSE(c.has_metadata);
  EXPECT_EQ(c.tensor.numbers, std::vector<double>{1});
}

TEST_F(DataCompatTest, TagStateIsPerFileAfterReset) {
  Summary_Value audio;
  audio.set_tag("x");
  audio.mutable_metadata()->mutable_plugin_data()->set_plugin_name("audio");
  audio.mutable_tensor()->set_dtype(proto::DT_STRING);
  audio.mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(1);
  audio.mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(2);
  audio.mutable_tensor()->add_string_val("clip");
  audio.mutable_tensor()->add_string_val("label");
  Decode(WithValue(audio));
  Summary_Value plain = audio;
  plain.clear_metadata();
  EXPECT_EQ(Decode(WithValue(plain)).values.at(0).tensor.shape, std::vector<int64_t>{1});
  decoder_.ResetTagState();  // another file: "x" has no first metadata there yet
  EXPECT_EQ(Decode(WithValue(plain)).values.at(0).tensor.shape, (std::vector<int64_t>{1, 2}));
}

TEST_F(DataCompatTest, NodeNameIsTheTagWhenTagIsEmpty) {
  Summary_Value v;
  v.set_node_name("old/op");
  v.mutable_tensor()->set_dtype(proto::DT_FLOAT);
  v.mutable_tensor()->add_float_val(2);
  EXPECT_EQ(Decode(WithValue(v)).values.at(0).tag, "old/op");
}

TEST_F(DataCompatTest, BadValueIsReportedAndOthersKept) {
  Event e;
  auto* bad = e.mutable_summary()->add_value();
  bad->set_tag("bad");
  bad->mutable_tensor()->set_dtype(proto::DT_FLOAT);
  bad->mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(-3);
  auto* good = e.mutable_summary()->add_value();
  good->set_tag("good");
  good->set_simple_value(1);
  const CompatEvent c = Decode(e);
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0].tag, "good");
  ASSERT_EQ(c.value_errors.size(), 1u);
  EXPECT_NE(c.value_errors[0].find("bad"), std::string::npos);
}

TEST_F(DataCompatTest, TaggedRunMetadataBecomesABlobValue) {
  Event e;
  e.set_step(3);
  e.mutable_tagged_run_metadata()->set_tag("step3");
  e.mutable_tagged_run_metadata()->set_run_metadata(std::string("\n\x00\x01", 3));
  const CompatEvent c = Decode(e);
  EXPECT_EQ(c.kind, EventKind::kTaggedRunMetadata);
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0].tag, "step3");
  EXPECT_EQ(c.values[0].metadata.plugin_name, "graph_tagged_run_metadata");
  EXPECT_EQ(c.values[0].metadata.data_class, kDataClassBlobSequence);
  EXPECT_EQ(c.values[0].tensor.shape, std::vector<int64_t>{1});
  EXPECT_EQ(c.values[0].tensor.strings, std::vector<std::string>{std::string("\n\x00\x01", 3)});
}

TEST_F(DataCompatTest, RunLevelEvents) {
  Event fv;
  fv.set_wall_time(5);
  fv.set_file_version("brain.Event:2");
  fv.mutable_source_metadata()->set_writer("tensorboard.summary.writer");
  CompatEvent c = Decode(fv);
  EXPECT_EQ(c.kind, EventKind::kFileVersion);
  EXPECT_EQ(c.file_version, "brain.Event:2");
  EXPECT_EQ(c.source_writer, "tensorboard.summary.writer");

  Event g;
  g.set_graph_def("GRAPH");
  c = Decode(g);
  EXPECT_EQ(c.kind, EventKind::kGraphDef);
  EXPECT_EQ(c.bytes, "GRAPH");
  EXPECT_TRUE(c.values.empty());

  Event s;
  s.set_step(9);
  s.mutable_session_log()->set_status(proto::SessionLog::START);
  s.mutable_session_log()->set_msg("restart");
  c = Decode(s);
  EXPECT_EQ(c.kind, EventKind::kSessionLog);
  EXPECT_EQ(c.session_status, 1);
  EXPECT_EQ(c.session_msg, "restart");

  Event l;
  l.mutable_log_message()->set_level(proto::LogMessage::WARN);
  l.mutable_log_message()->set_message("careful");
  c = Decode(l);
  EXPECT_EQ(c.kind, EventKind::kLogMessage);
  EXPECT_EQ(c.log_level, 30);
  EXPECT_EQ(c.log_message, "careful");

  Event empty;
  empty.set_wall_time(1);
  c = Decode(empty);
  EXPECT_EQ(c.kind, EventKind::kEmpty);
  EXPECT_EQ(c.file_version, "");  // reset from the previous event
}

TEST_F(DataCompatTest, InvalidPayloadFails) {
  CompatEvent out;
  std::string err;
  EXPECT_FALSE(decoder_.Decode(std::string("\x0a\xff\xff\xff", 4), &out, &err));
  EXPECT_FALSE(err.empty());
}

TEST_F(DataCompatTest, InvalidUtf8TagIsKept) {
  Summary_Value v;
  v.set_tag(std::string("bad\xff", 4));
  v.set_simple_value(1);
  EXPECT_EQ(Decode(WithValue(v)).values.at(0).tag, std::string("bad\xff", 4));
}

}  // namespace
}  // namespace tbview
