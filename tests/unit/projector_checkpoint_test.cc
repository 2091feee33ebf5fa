// Tensor-bundle checkpoints written by tests/support/projector_bundle read back:
// several blocks and restarts, shards, name resolution, and broken files.
#include "projector_checkpoint.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/projector_bundle.h"

namespace tbview {
namespace projector {
namespace {

std::vector<float> Iota(size_t n, float start) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + static_cast<float>(i) * 0.5f;
  return v;
}

std::vector<test::BundleTensor> SomeTensors() {
  std::vector<test::BundleTensor> t;
  t.push_back({"embedding/.ATTRIBUTES/VARIABLE_VALUE", {4, 3}, Iota(12, 1)});
  t.push_back({"dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", {3, 2}, Iota(6, -3)});
  t.push_back({"save_counter/.ATTRIBUTES/VARIABLE_VALUE", {}, {1}});
  for (int i = 0; i < 20; ++i) t.push_back({"layer_" + std::to_string(i) + "/bias", {5}, Iota(5, i)});
  return t;
}

TEST(ProjectorCheckpoint, ReadsBackWhatTheTestWrote) {
  for (int shards : {1, 3}) {
    const test::Bundle b = test::WriteBundle(SomeTensors(), shards);
    CheckpointIndex index;
    std::string error;
    ASSERT_TRUE(index.Parse(b.index, "model.ckpt.index", ProjectorLimits(), &error)) << error;
    EXPECT_EQ(index.header().num_shards(), shards);
    EXPECT_EQ(index.entries().size(), 23u);
    EXPECT_EQ(index.MatrixKeys(), (std::vector<std::string>{"dense/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                                                            "embedding/.ATTRIBUTES/VARIABLE_VALUE"}));
    const proto::BundleEntryProto* e = index.Find("embedding/.ATTRIBUTES/VARIABLE_VALUE");
    ASSERT_NE(e, nullptr);
    Matrix m;
    ASSERT_TRUE(ReadCheckpointMatrix(index, "embedding/.ATTRIBUTES/VARIABLE_VALUE", b.shards[e->shard_id()],
                                     "shard", ProjectorLimits(), &m, &error))
        << error;
    EXPECT_EQ(m.rows, 4u);
    EXPECT_EQ(m.cols, 3u);
    EXPECT_EQ(m.values, Iota(12, 1));
    // A 1-D tensor reads as one column.
    const proto::BundleEntryProto* bias = index.Find("layer_7/bias");
    ASSERT_NE(bias, nullptr);
    ASSERT_TRUE(ReadCheckpointMatrix(index, "layer_7/bias", b.shards[bias->shard_id()], "shard",
                                     ProjectorLimits(), &m, &error));
    EXPECT_EQ(m.values, Iota(5, 7));
  }
}

TEST(ProjectorCheckpoint, ResolvesNamesTheWayUsersMeanThem) {
  const test::Bundle b = test::WriteBundle(SomeTensors(), 1);
  CheckpointIndex index;
  std::string error, note;
  ASSERT_TRUE(index.Parse(b.index, "i", ProjectorLimits(), &error));
  EXPECT_EQ(index.Resolve("embedding/.ATTRIBUTES/VARIABLE_VALUE", &note),
            "embedding/.ATTRIBUTES/VARIABLE_VALUE");
  EXPECT_EQ(note, "");
  EXPECT_EQ(index.Resolve("embedding/.att/value", &note), "embedding/.ATTRIBUTES/VARIABLE_VALUE");
  EXPECT_NE(note.find("using 'embedding/.ATTRIBUTES/VARIABLE_VALUE'"), std::string::npos);
  EXPECT_EQ(index.Resolve("embedding", &note), "embedding/.ATTRIBUTES/VARIABLE_VALUE");
  EXPECT_EQ(index.Resolve("layer_3/bias:0", &note), "layer_3/bias");
  EXPECT_EQ(index.Resolve("model/kernel", &note), "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE");
  EXPECT_EQ(index.Resolve("nothing", &note), "");
  EXPECT_EQ(index.Resolve("", &note), "");  // two matrices: no guess
}

TEST(ProjectorCheckpoint, LoadNamesMissingFiles) {
  const test::Bundle b = test::WriteBundle(SomeTensors(), 2);
  std::map<std::string, std::string> files = {{"logs/m.ckpt.index", b.index},
                                              {"logs/m.ckpt.data-00000-of-00002", b.shards[0]}};
  auto lookup = [&](const std::string& path, std::string_view* bytes) {
    auto it = files.find(path);
    if (it == files.end()) return false;
    *bytes = it->second;
    return true;
  };
  Matrix m;
  std::string note, error;
  ASSERT_TRUE(
      LoadCheckpointVariable("logs/m.ckpt", "embedding", lookup, ProjectorLimits(), &m, &note, &error))
      << error;
  EXPECT_EQ(m.rows, 4u);
  EXPECT_FALSE(LoadCheckpointVariable("logs/m.ckpt", "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", lookup,
                                      ProjectorLimits(), &m, &note, &error));
  EXPECT_EQ(error,
            "the checkpoint shard logs/m.ckpt.data-00001-of-00002 (holding "
            "'dense/kernel/.ATTRIBUTES/VARIABLE_VALUE') is not among the opened files");
  EXPECT_FALSE(LoadCheckpointVariable("logs/other", "x", lookup, ProjectorLimits(), &m, &note, &error));
  EXPECT_EQ(error, "the checkpoint index logs/other.index is not among the opened files");
  EXPECT_FALSE(LoadCheckpointVariable("logs/m.ckpt", "nope", lookup, ProjectorLimits(), &m, &note, &error));
  EXPECT_NE(error.find("no variable matches tensor_name 'nope'"), std::string::npos);
}

TEST(ProjectorCheckpoint, BrokenFilesAreErrorsNotCrashes) {
  const test::Bundle b = test::WriteBundle(SomeTensors(), 1);
  CheckpointIndex index;
  std::string error;
  EXPECT_FALSE(index.Parse("short", "x.index", ProjectorLimits(), &error));
  EXPECT_NE(error.find("x.index: too short"), std::string::npos);
  // Every truncation and every single flipped byte: an error or a clean read.
  for (size_t cut = 0; cut < b.index.size(); ++cut) {
    EXPECT_FALSE(index.Parse(b.index.substr(0, cut), "x.index", ProjectorLimits(), &error));
  }
  for (size_t i = 0; i < b.index.size(); ++i) {
    std::string bad = b.index;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    if (!index.Parse(bad, "x.index", ProjectorLimits(), &error)) {
      EXPECT_FALSE(error.empty());
    }
  }
  // A shard cut short, or with a changed byte.
  ASSERT_TRUE(index.Parse(b.index, "x.index", ProjectorLimits(), &error));
  Matrix m;
  const std::string key = "embedding/.ATTRIBUTES/VARIABLE_VALUE";
  EXPECT_FALSE(ReadCheckpointMatrix(index, key, std::string_view(b.shards[0]).substr(0, 10), "x.data",
                                    ProjectorLimits(), &m, &error));
  EXPECT_NE(error.find("past the end of the shard"), std::string::npos);
  std::string corrupt = b.shards[0];
  corrupt[index.Find(key)->offset() + 5] ^= 1;
  EXPECT_FALSE(ReadCheckpointMatrix(index, key, corrupt, "x.data", ProjectorLimits(), &m, &error));
  EXPECT_NE(error.find("CRC32C"), std::string::npos);
  // A shape claiming more than the limit is refused before any allocation.
  ProjectorLimits small;
  small.max_matrix_floats = 11;
  EXPECT_FALSE(ReadCheckpointMatrix(index, key, b.shards[0], "x.data", small, &m, &error));
  EXPECT_NE(error.find("max_matrix_floats"), std::string::npos);
}

}  // namespace
}  // namespace projector
}  // namespace tbview
