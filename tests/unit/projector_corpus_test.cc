// The projector runs of the plugins corpus (real files from public
// repositories): every config parsed, every tensor loaded, shapes and row counts
// checked against what the test computes from the files itself (lines, tabs,
// file sizes). The corpus is TBVIEW_CORPUS_PLUGINS when set, else
// corpus-plugins beside the main corpus folder (by default
// ../shared/corpus-plugins beside the checkout); without it the tests skip.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "projector_checkpoint.h"
#include "projector_config.h"
#include "projector_tsv.h"
#include "support/corpus.h"
#include "support/files.h"

namespace tbview {
namespace projector {
namespace {

std::string PluginsCorpus() { return test::PluginsCorpusDir(); }

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

#define REQUIRE_PLUGINS_CORPUS()                                                                    \
  do {                                                                                              \
    if (!Exists(PluginsCorpus() + "/files"))                                                        \
      GTEST_SKIP() << "no plugins corpus at " << PluginsCorpus() << " (set TBVIEW_CORPUS_PLUGINS)"; \
  } while (0)

std::string File(const std::string& rel) { return test::ReadFile(PluginsCorpus() + "/files/" + rel); }

// Rows and columns of a TSV counted the plain way: non-empty lines, tabs + 1.
void CountTsv(const std::string& text, uint64_t* rows, uint64_t* cols) {
  *rows = 0;
  *cols = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) {
      ++*rows;
      if (*cols == 0) *cols = 1 + std::count(text.begin() + start, text.begin() + end, '\t');
    }
    start = end + 1;
  }
}

ParsedProjectorConfig Config(const std::string& run) {
  ParsedProjectorConfig c;
  std::string error;
  EXPECT_TRUE(ParseProjectorConfig(File(run + "/projector_config.pbtxt"), "projector_config.pbtxt",
                                   ProjectorLimits(), &c, &error))
      << error;
  return c;
}

// Loads every TSV embedding of a run's config, in chunks of 4093 bytes.
void CheckTsvEmbeddings(const std::string& run, int want_embeddings) {
  const ParsedProjectorConfig c = Config(run);
  ASSERT_EQ(c.config.embeddings_size(), want_embeddings) << run;
  for (const proto::EmbeddingInfo& e : c.config.embeddings()) {
    const std::string text = File(run + "/" + e.tensor_path());
    uint64_t rows, cols;
    CountTsv(text, &rows, &cols);
    TsvMatrixReader reader(e.tensor_path(), ProjectorLimits());
    for (size_t i = 0; i < text.size(); i += 4093) {
      reader.Push(reinterpret_cast<const uint8_t*>(text.data()) + i, std::min<size_t>(4093, text.size() - i));
    }
    ASSERT_TRUE(reader.Finish()) << reader.error();
    EXPECT_EQ(reader.rows(), rows) << e.tensor_path();
    EXPECT_EQ(reader.cols(), cols) << e.tensor_path();
    if (!e.metadata_path().empty()) {
      EmbeddingMetadata md;
      std::string error;
      ASSERT_TRUE(ParseMetadataTsv(File(run + "/" + e.metadata_path()), e.metadata_path(), ProjectorLimits(),
                                   &md, &error))
          << error;
      EXPECT_EQ(md.rows, rows) << e.metadata_path();
    }
  }
}

TEST(ProjectorCorpus, TwoEmbeddingsInOneConfig) {
  REQUIRE_PLUGINS_CORPUS();
  CheckTsvEmbeddings("MajedNaN__TimeSeriesClassification/runs", 2);
}

TEST(ProjectorCorpus, TwoStepsOneOrphanedByTheConfig) {
  REQUIRE_PLUGINS_CORPUS();
  const std::string run = "ibadrather__pytorch_learn/runs/fashion_mnist_experiment_1";
  const ParsedProjectorConfig c = Config(run);
  ASSERT_EQ(c.config.embeddings_size(), 1);
  EXPECT_EQ(c.config.embeddings(0).tensor_name(), "default:00010");
  EXPECT_EQ(c.config.embeddings(0).sprite().single_image_dim_size(), 2);
  CheckTsvEmbeddings(run, 1);
  // The orphaned step 00000 still reads (a loader may offer it).
  uint64_t rows, cols;
  CountTsv(File(run + "/00000/default/tensors.tsv"), &rows, &cols);
  TsvMatrixReader reader("00000", ProjectorLimits());
  const std::string text = File(run + "/00000/default/tensors.tsv");
  reader.Push(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  ASSERT_TRUE(reader.Finish()) << reader.error();
  EXPECT_EQ(reader.rows(), rows);
  EXPECT_EQ(reader.cols(), 784u);  // 28 x 28 images, flattened
}

TEST(ProjectorCorpus, SpriteWithoutMetadata) {
  REQUIRE_PLUGINS_CORPUS();
  const std::string run = "robosquiggles__2156_Demos/runs";
  const ParsedProjectorConfig c = Config(run);
  ASSERT_EQ(c.config.embeddings_size(), 1);
  EXPECT_TRUE(c.config.embeddings(0).metadata_path().empty());
  EXPECT_EQ(c.config.embeddings(0).sprite().single_image_dim(0), 128u);
  CheckTsvEmbeddings(run, 1);
}

TEST(ProjectorCorpus, Tf2CheckpointWithMismatchedTensorName) {
  REQUIRE_PLUGINS_CORPUS();
  const std::string dir = "adriens63__word2vec_tf/logs";
  const ParsedProjectorConfig c = Config(dir);
  ASSERT_EQ(c.config.embeddings_size(), 1);
  // The config names no checkpoint: the `checkpoint` file says which is latest.
  EXPECT_TRUE(c.config.model_checkpoint_path().empty());
  std::string latest, state_error;
  ASSERT_TRUE(
      ParseCheckpointState(File(dir + "/checkpoint"), "checkpoint", ProjectorLimits(), &latest, &state_error))
      << state_error;
  EXPECT_EQ(latest, "embedding.ckpt-1");
  const std::string prefix = dir + "/" + latest;
  std::string index_bytes = File(prefix + ".index"), data = File(prefix + ".data-00000-of-00001");
  auto lookup = [&](const std::string& path, std::string_view* bytes) {
    if (path == prefix + ".index")
      *bytes = index_bytes;
    else if (path == prefix + ".data-00000-of-00001")
      *bytes = data;
    else
      return false;
    return true;
  };
  Matrix m;
  std::string note, error;
  ASSERT_TRUE(LoadCheckpointVariable(prefix, c.config.embeddings(0).tensor_name(), lookup, ProjectorLimits(),
                                     &m, &note, &error))
      << error;
  EXPECT_NE(note.find("'embedding/.att/value' is not a key"), std::string::npos) << note;
  EXPECT_NE(note.find("using 'embedding/.ATTRIBUTES/VARIABLE_VALUE'"), std::string::npos) << note;
  EXPECT_EQ(m.cols, 256u);
  // The shard holds the matrix, the int64 save_counter and the object graph
  // (whose size the index gives): the rows follow from the shard's size.
  CheckpointIndex index;
  ASSERT_TRUE(index.Parse(index_bytes, "embedding.ckpt-1.index", ProjectorLimits(), &error));
  const uint64_t graph = index.Find("_CHECKPOINTABLE_OBJECT_GRAPH")->size();
  EXPECT_EQ(m.rows, (data.size() - graph - 8) / (256 * 4));
  // The metadata has one label per line, one more than the rows (TensorBoard
  // reports the mismatch; the engine gives both counts to whoever wires it).
  EmbeddingMetadata md;
  ASSERT_TRUE(ParseMetadataTsv(File(dir + "/metadata.tsv"), "metadata.tsv", ProjectorLimits(), &md, &error));
  EXPECT_FALSE(md.has_header);
  EXPECT_EQ(md.rows, m.rows + 1);
  EXPECT_EQ(md.columns[0][0], "");  // the vocabulary's padding token
  // Without the shard, the error names it.
  data.clear();
  auto no_shard = [&](const std::string& path, std::string_view* bytes) {
    if (path != prefix + ".index") return false;
    *bytes = index_bytes;
    return true;
  };
  EXPECT_FALSE(LoadCheckpointVariable(prefix, "embedding", no_shard, ProjectorLimits(), &m, &note, &error));
  EXPECT_NE(error.find("embedding.ckpt-1.data-00000-of-00001"), std::string::npos) << error;
}

}  // namespace
}  // namespace projector
}  // namespace tbview
