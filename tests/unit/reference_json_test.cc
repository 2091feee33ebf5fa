// The reference dump's building blocks (SHA-256, number formatting, JSON
// strings, hparams JSON) and its file-level semantics: status, records,
// chunked pushes.
#include "reference_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "hparams_json.h"
#include "json_writer.h"
#include "proto/event.pb.h"
#include "proto/plugins.pb.h"
#include "sha256.h"
#include "support/records.h"

namespace tbview {
namespace {

using test::Frame;

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1000000, 'a');
  Sha256 s;  // streamed in odd pieces
  for (size_t i = 0; i < million.size(); i += 777)
    s.Update(million.data() + i, std::min<size_t>(777, million.size() - i));
  EXPECT_EQ(s.HexDigest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(JsonWriterTest, DoublesRoundTripShortest) {
  EXPECT_EQ(FormatDouble(1.0), "1.0");
  EXPECT_EQ(FormatDouble(-1.0), "-1.0");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(static_cast<float>(0.1)), "0.10000000149011612");
  EXPECT_EQ(FormatDouble(1e16), "1e+16");
  EXPECT_EQ(FormatDouble(5e-324), "5e-324");
  for (double v : {1622918067.9182343, -0.0846581682562828, 1.7976931348623157e308, 123456789.0})
    EXPECT_EQ(std::strtod(FormatDouble(v).c_str(), nullptr), v);
}

TEST(JsonWriterTest, StringsAndNonFinite) {
  JsonWriter w(0);
  w.BeginArray();
  w.String(std::string("a\"\\\n\x01\xff", 6));
  w.Double(NAN);
  w.Double(-INFINITY);
  w.Double(INFINITY, "NaN", "Infinity", "-Infinity");
  w.Int(-3);
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  EXPECT_EQ(w.str(), "[\"a\\\"\\\\\\n\\u0001\xEF\xBF\xBD\",\"nan\",\"-inf\",\"Infinity\",-3,{}]");
}

TEST(HParamsJsonTest, ProtobufJsonMapping) {
  proto::HParamsPluginData d;
  auto* s = d.mutable_session_start_info();
  (*s->mutable_hparams())["lr"].set_number_value(0.5);
  (*s->mutable_hparams())["act"].set_string_value("relu");
  (*s->mutable_hparams())["bn"].set_bool_value(false);
  s->set_group_name("g");
  JsonWriter w(0);
  std::string err;
  ASSERT_TRUE(WriteHParamsPluginDataJson(d.SerializeAsString(), &w, &err));
  EXPECT_EQ(
      w.str(),
      "{\"sessionStartInfo\":{\"groupName\":\"g\",\"hparams\":{\"act\":\"relu\",\"bn\":false,\"lr\":0.5}}}");

  proto::HParamsPluginData e;
  auto* x = e.mutable_experiment();
  auto* h = x->add_hparam_infos();
  h->set_name("units");
  h->set_type(proto::DATA_TYPE_FLOAT64);
  h->mutable_domain_discrete()->add_values()->set_number_value(16);
  x->add_metric_infos()->mutable_name()->set_tag("acc");
  x->mutable_metric_infos(0)->set_dataset_type(proto::DATASET_VALIDATION);
  JsonWriter w2(0);
  ASSERT_TRUE(WriteHParamsPluginDataJson(e.SerializeAsString(), &w2, &err));
  EXPECT_EQ(w2.str(),
            "{\"experiment\":{\"hparamInfos\":[{\"domainDiscrete\":[16.0],\"name\":\"units\",\"type\":"
            "\"DATA_TYPE_FLOAT64\"}],\"metricInfos\":[{\"datasetType\":\"DATASET_VALIDATION\",\"name\":{"
            "\"tag\":\"acc\"}}]}}");

  proto::HParamsPluginData end;
  end.mutable_session_end_info();  // a set but empty oneof member is kept
  JsonWriter w3(0);
  ASSERT_TRUE(WriteHParamsPluginDataJson(end.SerializeAsString(), &w3, &err));
  EXPECT_EQ(w3.str(), "{\"sessionEndInfo\":{}}");
}

std::string SmallLog() {
  proto::Event a;
  a.set_wall_time(10.25);
  a.set_file_version("brain.Event:2");
  proto::Event b;
  b.set_wall_time(11);
  b.set_step(3);
  auto* v = b.mutable_summary()->add_value();
  v->set_tag("loss");
  v->set_simple_value(NAN);
  proto::Event c;
  c.set_step(4);
  c.set_graph_def("abc");
  proto::Event d;
  d.set_step(5);
  d.mutable_session_log()->set_status(proto::SessionLog::START);
  return Frame(a.SerializeAsString()) + Frame(b.SerializeAsString()) + Frame(c.SerializeAsString()) +
         Frame(d.SerializeAsString());
}

TEST(ReferenceDumpTest, DocumentAndChunking) {
  const std::string log = SmallLog();
  ReferenceDump whole("x/events");
  whole.Push(reinterpret_cast<const uint8_t*>(log.data()), log.size());
  const std::string doc = whole.Finish();
  EXPECT_NE(doc.find("\"status\": \"ok\""), std::string::npos) << doc;
  EXPECT_NE(doc.find("\"records\": 4"), std::string::npos);
  EXPECT_NE(doc.find("\"first_wall_time\": 10.25"), std::string::npos);
  EXPECT_NE(doc.find("\"nan\""), std::string::npos);
  EXPECT_NE(doc.find(Sha256Hex("abc")), std::string::npos);
  ReferenceDump bytewise("x/events");
  for (char ch : log) bytewise.Push(reinterpret_cast<const uint8_t*>(&ch), 1);
  EXPECT_EQ(bytewise.Finish(), doc);
}

TEST(ReferenceDumpTest, TruncatedAndNotAnEventFile) {
  const std::string log = SmallLog();
  ReferenceDump cut("cut");
  cut.Push(reinterpret_cast<const uint8_t*>(log.data()), log.size() - 3);
  const std::string doc = cut.Finish();
  EXPECT_NE(doc.find("\"status\": \"truncated\""), std::string::npos) << doc;
  EXPECT_NE(doc.find("\"records\": 3"), std::string::npos);

  const std::string lfs = "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 12\n";
  ReferenceDump junk("junk");
  junk.Push(reinterpret_cast<const uint8_t*>(lfs.data()), lfs.size());
  const std::string jdoc = junk.Finish();
  EXPECT_NE(jdoc.find("\"status\": \"error\""), std::string::npos) << jdoc;
  EXPECT_NE(jdoc.find("\"records\": 0"), std::string::npos);

  ReferenceDump empty("empty");
  EXPECT_NE(empty.Finish().find("\"status\": \"ok\""), std::string::npos);
}

TEST(ReferenceDumpTest, StopsAtABadPayloadCrcLikeTensorBoard) {
  std::string log = SmallLog();
  log[log.size() - 1] ^= 0x55;  // last record's payload CRC
  log += SmallLog();
  ReferenceDump d("bad");
  d.Push(reinterpret_cast<const uint8_t*>(log.data()), log.size());
  const std::string doc = d.Finish();
  EXPECT_NE(doc.find("\"records\": 3"), std::string::npos) << doc;
  EXPECT_NE(doc.find("\"status\": \"error\""), std::string::npos);
}

}  // namespace
}  // namespace tbview
