// TryDecodeScalarEvent must give exactly what EventDecoder gives whenever it
// accepts an event, reject everything it does not fully understand, and be fast.
// Checked on generated edge cases, on mutated payloads and on every record of
// every corpus event file.
#include <gtest/gtest.h>
#include <time.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

#include "data_compat.h"
#include "proto/event.pb.h"
#include "record_reader.h"
#include "support/corpus.h"
#include "support/files.h"

namespace tbview {
namespace {

using proto::Event;

bool SameDouble(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Compares the fast path with a fresh EventDecoder (or `decoder`). Returns
// whether the fast path accepted.
bool CheckAgainstSlow(std::string_view payload, EventDecoder* decoder = nullptr) {
  FastScalarEvent fast;
  const bool accepted = TryDecodeScalarEvent(payload, &fast);
  EventDecoder local;
  if (!decoder) decoder = &local;
  CompatEvent slow;
  std::string err;
  const bool parsed = decoder->Decode(payload, &slow, &err);
  if (!accepted) return false;
  EXPECT_TRUE(parsed) << "fast path accepted an unparseable payload";
  if (!parsed) return true;
  EXPECT_EQ(slow.kind, EventKind::kSummary);
  EXPECT_TRUE(SameDouble(fast.wall_time, slow.wall_time));
  EXPECT_EQ(fast.step, slow.step);
  EXPECT_TRUE(slow.value_errors.empty());
  EXPECT_EQ(fast.values.size(), slow.values.size());
  for (size_t i = 0; i < std::min(fast.values.size(), slow.values.size()); ++i) {
    const FastScalar& f = fast.values[i];
    const CompatValue& s = slow.values[i];
    EXPECT_EQ(f.tag, s.tag);
    EXPECT_EQ(f.dtype, s.tensor.dtype);
    EXPECT_TRUE(s.tensor.shape.empty());
    EXPECT_EQ(s.tensor.numbers.size(), 1u);
    if (s.tensor.numbers.size() != 1) continue;
    EXPECT_TRUE(SameDouble(f.value, s.tensor.numbers[0])) << f.value << " vs " << s.tensor.numbers[0];
    EXPECT_EQ(f.simple_value, s.has_metadata);
    if (f.simple_value) {
      EXPECT_EQ(s.metadata.plugin_name, "scalars");
      EXPECT_EQ(s.metadata.display_name, s.tag);
      EXPECT_EQ(s.metadata.description, "");
      EXPECT_EQ(s.metadata.data_class, kDataClassScalar);
    }
  }
  return true;
}

Event ScalarEvent(double wall, int64_t step) {
  Event e;
  e.set_wall_time(wall);
  e.set_step(step);
  return e;
}

void AddSimple(Event* e, const std::string& tag, float v) {
  auto* val = e->mutable_summary()->add_value();
  val->set_tag(tag);
  val->set_simple_value(v);
}

proto::Summary_Value* AddTensor(Event* e, const std::string& tag, bool dbl, double v, bool content) {
  auto* val = e->mutable_summary()->add_value();
  val->set_tag(tag);
  auto* t = val->mutable_tensor();
  t->set_dtype(dbl ? proto::DT_DOUBLE : proto::DT_FLOAT);
  t->mutable_tensor_shape();
  if (content) {
    if (dbl)
      t->set_tensor_content(std::string(reinterpret_cast<const char*>(&v), 8));
    else {
      const float f = static_cast<float>(v);
      t->set_tensor_content(std::string(reinterpret_cast<const char*>(&f), 4));
    }
  } else if (dbl) {
    t->add_double_val(v);
  } else {
    t->add_float_val(static_cast<float>(v));
  }
  return val;
}

TEST(FastPathTest, AcceptsScalarShapesAndMatchesSlowPath) {
  const double specials[] = {0.0, -0.0, 1.5, -1e-40, 3.4e38, NAN, -NAN, INFINITY, -INFINITY, 0.1};
  for (double v : specials) {
    Event e = ScalarEvent(1600000000.123456, 42);
    AddSimple(&e, "loss", static_cast<float>(v));
    EXPECT_TRUE(CheckAgainstSlow(e.SerializeAsString())) << v;
    for (bool dbl : {false, true})
      for (bool content : {false, true}) {
        Event t = ScalarEvent(1.0, -5);
        AddTensor(&t, "acc", dbl, v, content);
        EXPECT_TRUE(CheckAgainstSlow(t.SerializeAsString())) << v << dbl << content;
      }
  }
}

TEST(FastPathTest, MultipleValuesAndEdgeSteps) {
  Event e = ScalarEvent(0, std::numeric_limits<int64_t>::min());
  AddSimple(&e, "a", 1);
  AddTensor(&e, "b", true, 2.5, true);
  AddTensor(&e, "c", false, -3, false);
  AddSimple(&e, "", 4);  // empty tag
  EXPECT_TRUE(CheckAgainstSlow(e.SerializeAsString()));
  FastScalarEvent f;
  ASSERT_TRUE(TryDecodeScalarEvent(e.SerializeAsString(), &f));
  ASSERT_EQ(f.values.size(), 4u);
  EXPECT_EQ(f.step, std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(f.values[0].simple_value);
  EXPECT_FALSE(f.values[1].simple_value);
  EXPECT_EQ(f.values[1].dtype, kDtDouble);

  Event big = ScalarEvent(1, std::numeric_limits<int64_t>::max());
  AddSimple(&big, "x", 1);
  EXPECT_TRUE(CheckAgainstSlow(big.SerializeAsString()));
  Event empty_summary = ScalarEvent(1, 1);
  empty_summary.mutable_summary();
  EXPECT_TRUE(CheckAgainstSlow(empty_summary.SerializeAsString()));
}

TEST(FastPathTest, RepeatedScalarFieldsLastWinsLikeProtobuf) {
  Event a = ScalarEvent(1, 1);
  Event b;
  b.set_wall_time(2);
  b.set_step(9);
  AddSimple(&b, "t", 1);
  // Concatenated serializations: wall_time and step appear twice.
  EXPECT_TRUE(CheckAgainstSlow(a.SerializeAsString() + b.SerializeAsString()));
}

std::string Rejected(const Event& e) { return e.SerializeAsString(); }

TEST(FastPathTest, RejectsWhatItDoesNotFullyUnderstand) {
  FastScalarEvent f;
  auto rejects = [&](const std::string& payload, const char* why) {
    EXPECT_FALSE(TryDecodeScalarEvent(payload, &f)) << why;
    CheckAgainstSlow(payload);  // and never disagrees
  };
  {
    Event e = ScalarEvent(1, 1);
    AddSimple(&e, "a", 1);
    e.mutable_summary()->mutable_value(0)->mutable_metadata()->set_display_name("x");
    rejects(Rejected(e), "metadata");
  }
  {
    Event e = ScalarEvent(1, 1);
    AddSimple(&e, "a", 1);
    e.mutable_summary()->mutable_value(0)->set_node_name("n");
    rejects(Rejected(e), "node_name");
  }
  {
    Event e = ScalarEvent(1, 1);
    AddSimple(&e, "a", 1);
    e.mutable_source_metadata()->set_writer("w");
    rejects(Rejected(e), "source_metadata");
  }
  {
    Event e = ScalarEvent(1, 1);
    e.set_file_version("brain.Event:2");
    rejects(Rejected(e), "file_version");
  }
  rejects(Rejected(ScalarEvent(1, 1)), "no summary");
  {
    Event e = ScalarEvent(1, 1);
    auto* v = AddTensor(&e, "a", false, 1, false);
    v->mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(1);
    rejects(Rejected(e), "rank 1");
  }
  {
    Event e = ScalarEvent(1, 1);
    auto* v = AddTensor(&e, "a", false, 1, false);
    v->mutable_tensor()->add_float_val(2);
    rejects(Rejected(e), "two values");
  }
  {
    Event e = ScalarEvent(1, 1);
    auto* v = AddTensor(&e, "a", false, 1, false);
    v->mutable_tensor()->set_dtype(proto::DT_INT32);
    v->mutable_tensor()->add_int_val(1);
    rejects(Rejected(e), "int32");
  }
  {
    Event e = ScalarEvent(1, 1);
    auto* v = AddTensor(&e, "a", false, 1, false);
    v->mutable_tensor()->add_double_val(1);
    rejects(Rejected(e), "float dtype with double_val");
  }
  {
    Event e = ScalarEvent(1, 1);
    auto* v = AddTensor(&e, "a", false, 1, false);
    v->mutable_tensor()->add_string_val("s");
    rejects(Rejected(e), "unknown tensor field");
  }
  {
    Event e = ScalarEvent(1, 1);
    e.mutable_summary()->add_value()->set_tag("no value");
    rejects(Rejected(e), "no value");
  }
  {
    Event e = ScalarEvent(1, 1);
    auto* v = e.mutable_summary()->add_value();
    v->set_tag("h");
    v->mutable_histo()->add_bucket(1);
    rejects(Rejected(e), "histogram");
  }
  {
    // Two summary fields: protobuf merges them.
    Event a = ScalarEvent(1, 1);
    AddSimple(&a, "a", 1);
    Event b;
    AddSimple(&b, "b", 2);
    rejects(a.SerializeAsString() + b.SerializeAsString(), "two summaries");
  }
  {
    // Unknown field number in Summary.Value (99, varint).
    Event e = ScalarEvent(1, 1);
    AddSimple(&e, "a", 1);
    std::string v = e.summary().value(0).SerializeAsString() + std::string("\x98\x06\x01", 3);
    std::string s = "\x0a" + std::string(1, static_cast<char>(v.size())) + v;
    Event head = ScalarEvent(1, 1);
    std::string payload = head.SerializeAsString() + "\x2a" + std::string(1, static_cast<char>(s.size())) + s;
    rejects(payload, "unknown value field");
  }
  {
    // Unpacked float_val (field 5, wire type 5) inside the tensor.
    std::string tensor =
        std::string("\x08\x01", 2) + std::string("\x2d", 1) + std::string("\x00\x00\x80\x3f", 4);
    std::string value =
        std::string("\x0a\x01t", 3) + "\x42" + std::string(1, static_cast<char>(tensor.size())) + tensor;
    std::string summary = "\x0a" + std::string(1, static_cast<char>(value.size())) + value;
    std::string payload = "\x2a" + std::string(1, static_cast<char>(summary.size())) + summary;
    rejects(payload, "unpacked float_val");
  }
  {
    // simple_value and tensor in one value (oneof: protobuf keeps the last).
    Event e = ScalarEvent(1, 1);
    AddSimple(&e, "a", 1);
    std::string v = e.summary().value(0).SerializeAsString();
    Event t;
    AddTensor(&t, "a", false, 2, false);
    v += t.summary().value(0).SerializeAsString();
    std::string s = "\x0a" + std::string(1, static_cast<char>(v.size())) + v;
    rejects("\x2a" + std::string(1, static_cast<char>(s.size())) + s, "two value fields");
  }
}

TEST(FastPathTest, TruncationsAndMutationsNeverDisagree) {
  Event e = ScalarEvent(1234.5, 77);
  AddSimple(&e, "train/loss", 0.25f);
  AddTensor(&e, "train/acc", false, 0.5, true);
  AddTensor(&e, "lr", true, 1e-3, false);
  const std::string good = e.SerializeAsString();
  for (size_t n = 0; n <= good.size(); ++n) CheckAgainstSlow(std::string_view(good).substr(0, n));
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string m = good;
    const int flips = 1 + rng() % 3;
    for (int k = 0; k < flips; ++k) m[rng() % m.size()] = static_cast<char>(rng());
    CheckAgainstSlow(m);
  }
}

TEST(FastPathTest, EveryCorpusRecordMatchesSlowPath) {
  TBVIEW_REQUIRE_CORPUS();
  const std::filesystem::path files = std::filesystem::path(test::CorpusDir()) / "files";
  uint64_t records = 0, accepted = 0, event_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(files)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = test::ReadFile(entry.path().string());
    RecordReader reader;
    reader.push(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    EventDecoder decoder;  // one per file, as a loader uses it
    std::string_view payload;
    bool any = false;
    while (reader.next(&payload) == RecordReader::Status::kRecord) {
      any = true;
      ++records;
      if (CheckAgainstSlow(payload, &decoder)) ++accepted;
    }
    event_files += any;
  }
  std::printf("[ corpus   ] %llu event files, %llu records, %llu taken by the fast path\n",
              static_cast<unsigned long long>(event_files), static_cast<unsigned long long>(records),
              static_cast<unsigned long long>(accepted));
  EXPECT_GT(accepted, records / 4);
}

}  // namespace
}  // namespace tbview
