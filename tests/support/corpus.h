// Where the corpus of real logs is, decided once for every C++ test, fuzz and
// benchmark program: the environment variable TBVIEW_CORPUS when set, else the
// folder CMake was configured with (-DTBVIEW_CORPUS=DIR, by default
// ../shared/corpus beside the checkout, which is where CI keeps it).
//
// The corpus is laid out as files/<path> (the logs), expected/<path>.json
// (TensorBoard's own reading) and, optionally, INDEX.tsv (one row per file, see
// CorpusRow). Tests that need it skip, saying where they looked, when it is
// absent (TBVIEW_REQUIRE_CORPUS); every other test runs without it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tbview {
namespace test {

// The corpus folder (it may not exist).
std::string CorpusDir();

// True when CorpusDir() holds files/ and expected/.
bool HaveCorpus();

// The corpus of the Graphs, Projector and Profile views (graphs, projector runs,
// profiler sessions; no expected outputs): TBVIEW_CORPUS_PLUGINS when set, else
// corpus-plugins beside CorpusDir() (by default ../shared/corpus-plugins beside
// the checkout). It may not exist: its tests skip, naming it.
std::string PluginsCorpusDir();

// One row of INDEX.tsv. Columns: rel_path size_bytes source_repo file_commit
// blob_sha producer_guess file_version records walk_status data_kinds notes.
struct CorpusRow {
  std::string path;         // below files/
  uint64_t size = 0;        // bytes
  std::string producer;     // what wrote it, as guessed by the collector
  std::string records;      // TensorBoard's record count, as written (may be empty)
  std::string walk_status;  // "ok", "truncated-record", ...
  std::string notes;
};

// Every row of CorpusDir()/INDEX.tsv; false when there is no index.
bool ReadCorpusIndex(std::vector<CorpusRow>* rows);

}  // namespace test
}  // namespace tbview

// In a gtest test body: skips the test, naming the folder, without the corpus.
#define TBVIEW_REQUIRE_CORPUS()                                                                 \
  do {                                                                                          \
    if (!::tbview::test::HaveCorpus())                                                          \
      GTEST_SKIP() << "no corpus at " << ::tbview::test::CorpusDir() << " (set TBVIEW_CORPUS)"; \
  } while (0)
