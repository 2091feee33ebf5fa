// Logdir: detection, routing of values to series, the restart and
// metadata-first rules, corruption, growing files, archives and limits.
#include "logdir.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

#include "support/archives.h"
#include "support/corpus.h"
#include "support/files.h"
#include "support/load.h"
#include "writer.h"

namespace tbview {
namespace {

using test::Chunking;
using test::Gzip;
using test::Load;
using test::PushAll;
using test::TarEntry;

std::string ScalarLog(int steps, const std::vector<std::string>& tags, bool tensor = false) {
  EventWriter w;
  w.WriteFileVersion(1000);
  for (int s = 0; s < steps; ++s) {
    for (size_t t = 0; t < tags.size(); ++t) {
      float v = static_cast<float>(s * 10 + t) * 0.5f;
      if (tensor) {
        w.WriteTensorScalar(1000 + s, s, tags[t], v);
      } else {
        w.WriteScalar(1000 + s, s, tags[t], v);
      }
    }
  }
  return w.Take();
}

TEST(LogdirTest, RunOfPath) {
  EXPECT_EQ(RunOfPath("a/b/events"), "a/b");
  EXPECT_EQ(RunOfPath("events"), ".");
  EXPECT_EQ(RunOfPath("x.tar.gz/run/e"), "x.tar.gz/run");
}

TEST(LogdirTest, LegacyAndTensorScalarsInEveryChunking) {
  for (bool tensor : {false, true}) {
    for (Chunking ch : {Chunking::kWhole, Chunking::kBytes, Chunking::kRandom}) {
      Logdir d;
      std::string log = ScalarLog(50, {"loss", "acc", "lr"}, tensor);
      int id = Load(&d, "exp/run1/events.out.tfevents.1.host", log, ch);
      const FileInfo& f = d.files()[id];
      EXPECT_EQ(f.status, FileStatus::kOk) << f.message;
      EXPECT_EQ(f.run, "exp/run1");
      EXPECT_EQ(f.records, 151u);
      EXPECT_EQ(f.bytes, log.size());
      EXPECT_EQ(f.file_version, "brain.Event:2");
      EXPECT_EQ(f.first_wall_time, 1000);
      EXPECT_EQ(d.Runs(), std::vector<std::string>{"exp/run1"});
      std::vector<TagInfo> tags = d.Tags();
      ASSERT_EQ(tags.size(), 3u);
      EXPECT_EQ(tags[0].tag, "acc");
      EXPECT_EQ(tags[1].tag, "loss");
      EXPECT_EQ(tags[2].tag, "lr");
      for (const TagInfo& t : tags) {
        EXPECT_TRUE(t.is_scalar);
        EXPECT_EQ(t.metadata.plugin_name, "scalars");
        EXPECT_EQ(t.points, 50u);
        EXPECT_EQ(t.first_step, 0);
        EXPECT_EQ(t.last_step, 49);
        EXPECT_EQ(t.last_wall_time, 1049);
      }
      const ScalarSeries* s = d.Scalars("exp/run1", "acc");
      ASSERT_NE(s, nullptr);
      ASSERT_EQ(s->size(), 50u);
      for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(s->step(i), i);
        EXPECT_EQ(s->value(i), static_cast<float>(i * 10 + 1) * 0.5f);
      }
      EXPECT_EQ(d.Tensors("exp/run1", "acc"), nullptr);
      EXPECT_EQ(d.TotalPoints(), 150u);
      const std::vector<RunEvent>* ev = d.RunEvents("exp/run1");
      ASSERT_NE(ev, nullptr);
      ASSERT_EQ(ev->size(), 1u);
      EXPECT_EQ((*ev)[0].kind, EventKind::kFileVersion);
      d.Shrink();
      EXPECT_LE(d.RetainedBytes(), 150u * 16 + 3 * 16);
    }
  }
}

TEST(LogdirTest, RestartRuleAcrossFilesOfARun) {
  Logdir d;
  EventWriter w;
  for (int s = 0; s < 10; ++s) w.WriteScalar(1, s, "loss", 1.0f * s);
  Load(&d, "run/events.out.tfevents.1", w.Take());
  // The job restarts from its step-5 checkpoint in a new file.
  EventWriter w2;
  for (int s = 5; s < 8; ++s) w2.WriteScalar(2, s, "loss", 100.0f + s);
  w2.WriteScalar(2, 7, "loss", 200.0f);  // a repeated step is kept
  Load(&d, "run/events.out.tfevents.2", w2.Take());
  const ScalarSeries* s = d.Scalars("run", "loss");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->size(), 9u);
  EXPECT_EQ(s->step(4), 4);
  EXPECT_EQ(s->value(4), 4);
  EXPECT_EQ(s->step(5), 5);
  EXPECT_EQ(s->value(5), 105);
  EXPECT_EQ(s->step(8), 7);
  EXPECT_EQ(s->value(8), 200);
  EXPECT_EQ(s->dropped(), 5u);
  EXPECT_EQ(d.TotalPoints(), 9u);
}

TEST(LogdirTest, MetadataFirstDecidesPluginAndStorage) {
  Logdir d;
  EventWriter w;
  w.WriteText(1, 0, "notes", "hello");
  w.WriteScalar(2, 1, "notes", 3.0f);  // a later legacy scalar does not change the tag
  w.WriteScalar(3, 0, "x", 1.0f);
  w.WriteText(4, 1, "x", "text into a scalar tag is skipped and counted");
  w.WriteScalar(5, 2, "x", 2.0f);
  int id = Load(&d, "r/events.out.tfevents.1", w.Take());
  std::vector<TagInfo> tags = d.Tags();
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].tag, "notes");
  EXPECT_EQ(tags[0].metadata.plugin_name, "text");
  EXPECT_FALSE(tags[0].is_scalar);
  const TensorSeries* t = d.Tensors("r", "notes");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->points().size(), 2u);
  EXPECT_TRUE(t->points()[0].tensor.is_string());
  EXPECT_FALSE(t->points()[1].tensor.is_string());
  const ScalarSeries* x = d.Scalars("r", "x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->size(), 2u);
  EXPECT_EQ(d.files()[id].bad_events, 1u);
  EXPECT_NE(d.files()[id].message.find("'x'"), std::string::npos) << d.files()[id].message;
}

TEST(LogdirTest, TensorsAndRunEvents) {
  Logdir d;
  EventWriter w;
  w.WriteFileVersion(10);
  w.WriteSessionLog(11, 0, proto::SessionLog::START);
  w.WriteGraphDef(12, std::string(1234, 'g'));
  w.WriteLogMessage(13, 0, proto::LogMessage::WARN, "careful");
  std::vector<double> samples;
  for (int i = 0; i < 100; ++i) samples.push_back(i * 0.1);
  for (int s = 0; s < 3; ++s) {
    w.WriteHistogram(20 + s, s, "weights", samples);
    uint8_t px[2 * 2 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    w.WriteImage(20 + s, s, "img", px, 2, 2, 3);
    w.WriteScalar(20 + s, s, "loss", 1.5f);
  }
  Load(&d, "events.out.tfevents.9", w.Take(), Chunking::kRandom);
  EXPECT_EQ(d.Runs(), std::vector<std::string>{"."});
  const TensorSeries* h = d.Tensors(".", "weights");
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->points().size(), 3u);
  EXPECT_EQ(h->points()[0].tensor.shape.size(), 2u);
  EXPECT_EQ(h->points()[0].tensor.shape[1], 3);
  const TensorSeries* img = d.Tensors(".", "img");
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(img->points()[2].tensor.strings.size(), 3u);
  EXPECT_EQ(d.Scalars(".", "loss")->size(), 3u);
  const std::vector<RunEvent>* ev = d.RunEvents(".");
  ASSERT_NE(ev, nullptr);
  ASSERT_EQ(ev->size(), 4u);
  EXPECT_EQ((*ev)[1].kind, EventKind::kSessionLog);
  EXPECT_EQ((*ev)[1].status, 1);
  EXPECT_EQ((*ev)[2].kind, EventKind::kGraphDef);
  EXPECT_EQ((*ev)[2].bytes, 1234u);
  EXPECT_EQ((*ev)[3].kind, EventKind::kLogMessage);
  EXPECT_EQ((*ev)[3].text, "careful");
  EXPECT_EQ((*ev)[3].status, 30);
  std::vector<TagInfo> tags = d.Tags();
  for (const TagInfo& t : tags) {
    if (t.tag == "weights") {
      EXPECT_EQ(t.metadata.plugin_name, "histograms");
    }
    if (t.tag == "img") {
      EXPECT_EQ(t.metadata.plugin_name, "images");
    }
  }
  EXPECT_GT(d.RetainedBytes(), 0u);
}

TEST(LogdirTest, NotEventFilesAreDescribed) {
  Logdir d;
  int lfs =
      Load(&d, "a/events.out.tfevents.1",
           "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12345\n", Chunking::kBytes);
  EXPECT_EQ(d.files()[lfs].status, FileStatus::kNotEventFile);
  EXPECT_NE(d.files()[lfs].message.find("Git LFS"), std::string::npos) << d.files()[lfs].message;
  EXPECT_NE(d.files()[lfs].message.find("a/events.out.tfevents.1"), std::string::npos);
  int empty = Load(&d, "b/events.out.tfevents.2", "");
  EXPECT_EQ(d.files()[empty].status, FileStatus::kNotEventFile);
  EXPECT_NE(d.files()[empty].message.find("empty"), std::string::npos) << d.files()[empty].message;
  std::string text(2000, 'x');
  int big = Load(&d, "c/notes.txt", text, Chunking::kRandom);
  EXPECT_EQ(d.files()[big].status, FileStatus::kNotEventFile);
  EXPECT_TRUE(d.Runs().empty());  // no run for files that are not event files
}

TEST(LogdirTest, BadLengthCrcEndsTheFileKeepingWhatWasRead) {
  EventWriter w;
  w.WriteFileVersion(1);
  for (int s = 0; s < 20; ++s) w.WriteScalar(2, s, "loss", 1.0f);
  std::string log = w.Take();
  // Records: find the start of record 17 by walking the framing.
  size_t off = 0;
  for (int r = 0; r < 17; ++r) {
    uint64_t len;
    std::memcpy(&len, log.data() + off, 8);
    off += 12 + len + 4;
  }
  log[off + 9] ^= 0x40;  // its length CRC
  for (Chunking ch : {Chunking::kWhole, Chunking::kBytes}) {
    Logdir d;
    int id = Load(&d, "r/events.out.tfevents.1", log, ch);
    const FileInfo& f = d.files()[id];
    EXPECT_EQ(f.status, FileStatus::kCorrupt);
    EXPECT_EQ(f.records, 17u);
    EXPECT_NE(f.message.find("r/events.out.tfevents.1"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("bad length CRC"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("offset " + std::to_string(off)), std::string::npos) << f.message;
    EXPECT_EQ(d.Scalars("r", "loss")->size(), 16u);
  }
}

TEST(LogdirTest, BadPayloadCrcIsSkippedAndCounted) {
  EventWriter w;
  for (int s = 0; s < 5; ++s) w.WriteScalar(2, s, "loss", 1.0f);
  std::string log = w.Take();
  log[14] ^= 1;  // inside the first payload
  Logdir d;
  int id = Load(&d, "r/events.out.tfevents.1", log);
  EXPECT_EQ(d.files()[id].status, FileStatus::kOk);
  EXPECT_EQ(d.files()[id].bad_crc, 1u);
  EXPECT_EQ(d.files()[id].records, 4u);
  EXPECT_NE(d.files()[id].message.find("bad payload CRC"), std::string::npos);
  EXPECT_EQ(d.Scalars("r", "loss")->size(), 4u);
}

TEST(LogdirTest, GrowingFileContinuesWhereItStopped) {
  std::string log = ScalarLog(100, {"a", "b"});
  Logdir d;
  const std::string path = "run/events.out.tfevents.1";
  for (size_t cut : {size_t{5}, size_t{300}, log.size() / 2}) {
    Logdir g;
    int id = g.OpenFile(path);
    g.Push(id, reinterpret_cast<const uint8_t*>(log.data()), cut);
    g.EndOfData(id);
    // Under 12 bytes nothing can be framed yet: "not an event file" for now.
    EXPECT_EQ(g.files()[id].status, cut < 12 ? FileStatus::kNotEventFile : FileStatus::kWaiting)
        << cut << " " << g.files()[id].message;
    // A reload: same path, same id, only the new bytes.
    EXPECT_EQ(g.OpenFile(path), id);
    g.Push(id, reinterpret_cast<const uint8_t*>(log.data()) + cut, log.size() - cut);
    g.EndOfData(id);
    EXPECT_EQ(g.files()[id].status, FileStatus::kOk) << g.files()[id].message;
    EXPECT_EQ(g.files()[id].records, 201u);
    EXPECT_EQ(g.Scalars("run", "a")->size(), 100u);
    EXPECT_EQ(g.Scalars("run", "b")->size(), 100u);
  }
}

// ---- archives ----

TEST(LogdirTest, TarGzMembersBecomeFilesAndRuns) {
  std::string tar = TarEntry("logs/run1/events.out.tfevents.1", ScalarLog(10, {"loss"})) +
                    TarEntry("logs/run2/events.out.tfevents.2", ScalarLog(20, {"loss"})) +
                    TarEntry("logs/README", "just text\n") + std::string(1024, '\0');
  for (Chunking ch : {Chunking::kWhole, Chunking::kRandom}) {
    Logdir d;
    int id = Load(&d, "up/logs.tar.gz", Gzip(tar), ch);
    EXPECT_EQ(d.files()[id].status, FileStatus::kOk) << d.files()[id].message;
    EXPECT_NE(d.files()[id].message.find("tar.gz"), std::string::npos);
    ASSERT_EQ(d.files().size(), 4u);
    EXPECT_EQ(d.files()[1].path, "up/logs.tar.gz/logs/run1/events.out.tfevents.1");
    EXPECT_EQ(d.files()[1].status, FileStatus::kOk);
    EXPECT_EQ(d.files()[3].status, FileStatus::kNotEventFile);
    EXPECT_EQ(d.Runs(), (std::vector<std::string>{"up/logs.tar.gz/logs/run1", "up/logs.tar.gz/logs/run2"}));
    EXPECT_EQ(d.Scalars("up/logs.tar.gz/logs/run2", "loss")->size(), 20u);
  }
}

TEST(LogdirTest, GzippedEventFileIsOneMemberWithoutTheSuffix) {
  Logdir d;
  std::string log = ScalarLog(30, {"a"});
  int id = Load(&d, "x/events.out.tfevents.1.gz", Gzip(log), Chunking::kBytes);
  EXPECT_EQ(d.files()[id].status, FileStatus::kOk) << d.files()[id].message;
  ASSERT_EQ(d.files().size(), 2u);
  EXPECT_EQ(d.files()[1].path, "x/events.out.tfevents.1");
  EXPECT_EQ(d.files()[1].records, 31u);
  EXPECT_EQ(d.Scalars("x", "a")->size(), 30u);
}

TEST(LogdirTest, TruncatedArchiveMarksTheMember) {
  std::string log = ScalarLog(200, {"a"});
  std::string tar = TarEntry("r/events.out.tfevents.1", log);
  Logdir d;
  int id = Load(&d, "t.tar", tar.substr(0, 512 + log.size() / 2));
  EXPECT_EQ(d.files()[id].status, FileStatus::kCorrupt);
  EXPECT_NE(d.files()[id].message.find("claims"), std::string::npos) << d.files()[id].message;
  ASSERT_EQ(d.files().size(), 2u);
  EXPECT_EQ(d.files()[1].status, FileStatus::kCorrupt);
  EXPECT_GT(d.Scalars("t.tar/r", "a")->size(), 50u);  // what was read is kept
}

TEST(LogdirTest, DamagedEventFilesNeverCrash) {
  // Random damage to a mixed log, read in random chunks: whatever the outcome,
  // the status is one of the final ones and a problem comes with a message.
  EventWriter w;
  w.WriteFileVersion(1);
  std::vector<double> samples = {1, 2, 3, 4, 5};
  for (int s = 0; s < 20; ++s) {
    w.WriteScalar(2, s, "loss", 1.0f * s);
    w.WriteTensorScalar(2, s, "acc", 0.5f);
    w.WriteHistogram(2, s, "h", samples);
    w.WriteText(2, s, "t", "text");
  }
  const std::string log = w.Take();
  std::mt19937 rng(3);
  for (int i = 0; i < 300; ++i) {
    std::string bad = log;
    const int flips = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < flips; ++k) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    if (i % 3 == 0) bad.resize(rng() % bad.size());
    Logdir d;
    int id = Load(&d, "r/events.out.tfevents.1", bad, Chunking::kRandom);
    const FileInfo& f = d.files()[id];
    EXPECT_NE(f.status, FileStatus::kLoading);
    if (f.status != FileStatus::kOk) {
      EXPECT_FALSE(f.message.empty());
    }
    EXPECT_EQ(f.records + f.bad_crc > 0 || f.status != FileStatus::kOk, true);
  }
}

// ---- limits ----

TEST(LogdirTest, LimitsStopTheFileAndNameTheLimit) {
  {
    Limits l;
    l.max_tags = 3;
    Logdir d(l);
    int id = Load(&d, "r/events.out.tfevents.1", ScalarLog(5, {"a", "b", "c", "d", "e"}));
    EXPECT_EQ(d.files()[id].status, FileStatus::kLimit);
    EXPECT_NE(d.files()[id].message.find("max_tags"), std::string::npos) << d.files()[id].message;
    EXPECT_EQ(d.Tags().size(), 3u);
    EXPECT_EQ(d.Scalars("r", "a")->size(), 1u);  // kept what was read
  }
  {
    Limits l;
    l.max_points = 25;
    Logdir d(l);
    int id = Load(&d, "r/events.out.tfevents.1", ScalarLog(10, {"a", "b", "c"}));
    EXPECT_EQ(d.files()[id].status, FileStatus::kLimit);
    EXPECT_NE(d.files()[id].message.find("max_points"), std::string::npos);
    EXPECT_EQ(d.TotalPoints(), 25u);
  }
  {
    Limits l;
    l.max_runs = 1;
    Logdir d(l);
    Load(&d, "r1/events.out.tfevents.1", ScalarLog(1, {"a"}));
    int id = Load(&d, "r2/events.out.tfevents.1", ScalarLog(1, {"a"}));
    EXPECT_EQ(d.files()[id].status, FileStatus::kLimit);
    EXPECT_NE(d.files()[id].message.find("max_runs"), std::string::npos);
    EXPECT_EQ(d.Runs().size(), 1u);
  }
}

// ---- the corpus archives, against TensorBoard's record counts ----

void CheckCorpusArchive(const std::string& rel) {
  namespace fs = std::filesystem;
  TBVIEW_REQUIRE_CORPUS();
  const std::string path = test::CorpusDir() + "/files/" + rel;
  const std::string bytes = test::ReadFile(path);
  ASSERT_FALSE(bytes.empty()) << "cannot read " << path;
  Logdir d;
  int id = Load(&d, rel, bytes, Chunking::kRandom);
  EXPECT_EQ(d.files()[id].status, FileStatus::kOk) << d.files()[id].message;
  const fs::path expected_root = fs::path(test::CorpusDir()) / "expected" / rel;
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(expected_root)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::string member = rel + "/" + fs::relative(e.path(), expected_root).generic_string();
    member.resize(member.size() - 5);
    std::string json = test::ReadFile(e.path().string());
    size_t k = json.find("\"records\":");
    ASSERT_NE(k, std::string::npos);
    uint64_t records = std::stoull(json.substr(k + 10));
    bool found = false;
    for (const FileInfo& f : d.files()) {
      if (f.path != member) continue;
      found = true;
      EXPECT_EQ(f.records, records) << member;
      EXPECT_EQ(f.status, FileStatus::kOk) << member << ": " << f.message;
    }
    EXPECT_TRUE(found) << member;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(LogdirTest, CorpusTarGz) { CheckCorpusArchive("Guitaricet__text_classification/runs/older.tar.gz"); }
TEST(LogdirTest, CorpusZip) {
  CheckCorpusArchive("VAISHNAVI-GOPI23__neuralnetwork_homeass1_vaishnavigopi_700754518/tensorboard_logs.zip");
}

}  // namespace
}  // namespace tbview
