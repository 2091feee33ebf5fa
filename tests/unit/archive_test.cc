// ArchiveReader: gzip, tar, tar.gz and zip, built here by hand (tar, zip) and
// with zlib (gzip, deflate), fed whole, byte by byte and in random chunks; plus
// the corpus's real .tar.gz and .zip.
#include "archive.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <set>

#include "support/archives.h"
#include "support/chunks.h"
#include "support/corpus.h"
#include "support/files.h"

namespace tbview {
namespace {

using test::Chunking;
using test::Gzip;
using test::TarEnd;
using test::TarEntry;
using test::TarHeader;
using test::Zip;

// ---- a recording sink ----

struct Member {
  std::string path;
  uint64_t claim = 0;
  std::string data;
  bool ok = false;
  std::string message;
};

struct Recorder : ArchiveReader::Sink {
  std::vector<Member> members;
  bool open = false;
  void BeginMember(std::string_view path, uint64_t claim) override {
    EXPECT_FALSE(open);
    open = true;
    members.push_back(Member{std::string(path), claim, "", false, ""});
  }
  void MemberData(const uint8_t* data, size_t size) override {
    EXPECT_TRUE(open);
    members.back().data.append(reinterpret_cast<const char*>(data), size);
  }
  void EndMember(bool ok, std::string_view message) override {
    EXPECT_TRUE(open);
    open = false;
    members.back().ok = ok;
    members.back().message = std::string(message);
  }
};

struct Result {
  std::vector<Member> members;
  bool failed;
  bool limit;
  std::string error;
  std::vector<std::string> warnings;
  std::string format;
};

Result Read(ContentKind kind, const std::string& bytes, Chunking chunking, const Limits& limits = Limits(),
            unsigned seed = 1) {
  Recorder rec;
  ArchiveReader reader(kind, &rec, limits);
  // Each push is a fresh copy: the reader must not keep pointers into it.
  test::ForEachChunk(bytes, chunking, seed, 700, [&](const uint8_t* p, size_t n) { reader.Push(p, n); });
  reader.Finish();
  EXPECT_FALSE(rec.open);
  return Result{rec.members,    reader.failed(),   reader.limit_reached(),
                reader.error(), reader.warnings(), reader.format_name()};
}

std::string Pattern(size_t n, int seed) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (char& c : s) c = static_cast<char>('a' + rng() % 4);
  return s;
}

// ---- tests ----

TEST(ArchiveTest, NormalizeMemberPath) {
  std::string out;
  EXPECT_TRUE(NormalizeMemberPath("./a/./b//c", false, &out));
  EXPECT_EQ(out, "a/b/c");
  EXPECT_FALSE(NormalizeMemberPath("../a", false, &out));
  EXPECT_FALSE(NormalizeMemberPath("a/../../b", false, &out));
  EXPECT_FALSE(NormalizeMemberPath("/etc/passwd", false, &out));
  EXPECT_FALSE(NormalizeMemberPath("C:/x", false, &out));
  EXPECT_FALSE(NormalizeMemberPath("a\\..\\b", true, &out));
  EXPECT_TRUE(NormalizeMemberPath("a\\b", true, &out));
  EXPECT_EQ(out, "a/b");
  EXPECT_TRUE(NormalizeMemberPath("a\\b", false, &out));
  EXPECT_EQ(out, "a\\b");
  EXPECT_TRUE(NormalizeMemberPath("./", false, &out));
  EXPECT_EQ(out, "");
}

TEST(ArchiveTest, TarMembersNamesAndSkippedEntries) {
  const std::string long_name = "runs/" + std::string(150, 'x') + "/events.out.tfevents.1";
  const std::string a = Pattern(1000, 1), b = Pattern(512, 2), c = Pattern(3, 3), d = Pattern(70000, 4);
  std::string tar = TarEntry("runs/", "", '5') + TarEntry("./runs/a", a) + TarEntry("link", "", '2') +
                    TarEntry("events", b, '0', "deep/prefix") +
                    TarEntry("././@LongLink", long_name + '\0', 'L') + TarEntry("trunc", c) +
                    TarEntry("PaxHeaders/x", "27 path=pax/named/file.bin\n", 'x') + TarEntry("short", d) +
                    TarEntry("empty", "") + TarEnd() + "garbage after the end";
  for (Chunking ch : {Chunking::kWhole, Chunking::kBytes, Chunking::kRandom}) {
    Result r = Read(ContentKind::kTar, tar, ch);
    EXPECT_FALSE(r.failed) << r.error;
    EXPECT_EQ(r.format, "tar");
    ASSERT_EQ(r.members.size(), 5u);
    EXPECT_EQ(r.members[0].path, "runs/a");
    EXPECT_EQ(r.members[0].data, a);
    EXPECT_EQ(r.members[0].claim, 1000u);
    EXPECT_EQ(r.members[1].path, "deep/prefix/events");
    EXPECT_EQ(r.members[1].data, b);
    EXPECT_EQ(r.members[2].path, long_name);
    EXPECT_EQ(r.members[2].data, c);
    EXPECT_EQ(r.members[3].path, "pax/named/file.bin");
    EXPECT_EQ(r.members[3].data, d);
    EXPECT_EQ(r.members[4].path, "empty");
    EXPECT_EQ(r.members[4].data, "");
    for (const Member& m : r.members) EXPECT_TRUE(m.ok) << m.path;
  }
}

TEST(ArchiveTest, TarUnsafePathsAreSkipped) {
  std::string tar = TarEntry("../evil", "x") + TarEntry("/etc/passwd", "y") + TarEntry("ok", "z") + TarEnd();
  Result r = Read(ContentKind::kTar, tar, Chunking::kWhole);
  EXPECT_FALSE(r.failed);
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_EQ(r.members[0].path, "ok");
  EXPECT_EQ(r.warnings.size(), 2u);
}

TEST(ArchiveTest, TarSizeClaimBeyondTheDataIsAnErrorNotAnAllocation) {
  // A member claiming 1 TB with 10 bytes behind it.
  std::string tar = TarEntry("first", "hello") + TarHeader("huge", uint64_t{1} << 40) + "0123456789";
  for (Chunking ch : {Chunking::kWhole, Chunking::kBytes}) {
    Result r = Read(ContentKind::kTar, tar, ch);
    EXPECT_TRUE(r.failed);
    EXPECT_NE(r.error.find("claims 1099511627776 bytes"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("ends after 10"), std::string::npos) << r.error;
    ASSERT_EQ(r.members.size(), 2u);
    EXPECT_TRUE(r.members[0].ok);
    EXPECT_FALSE(r.members[1].ok);
    EXPECT_EQ(r.members[1].claim, uint64_t{1} << 40);
    EXPECT_EQ(r.members[1].data, "0123456789");
  }
}

TEST(ArchiveTest, TarBadChecksumFails) {
  std::string tar = TarEntry("a", "x") + TarEnd();
  tar[10] ^= 1;
  Result r = Read(ContentKind::kTar, tar, Chunking::kWhole);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.error.find("checksum"), std::string::npos);
}

TEST(ArchiveTest, GzipSingleAndConcatenatedMembers) {
  const std::string a = Pattern(100000, 5), b = Pattern(77, 6);
  for (Chunking ch : {Chunking::kWhole, Chunking::kBytes, Chunking::kRandom}) {
    Result r = Read(ContentKind::kGzip, Gzip(a), ch);
    EXPECT_FALSE(r.failed) << r.error;
    EXPECT_EQ(r.format, "gzip");
    ASSERT_EQ(r.members.size(), 1u);
    EXPECT_EQ(r.members[0].path, "");
    EXPECT_EQ(r.members[0].claim, ArchiveReader::kUnknownSize);
    EXPECT_EQ(r.members[0].data, a);
    EXPECT_TRUE(r.members[0].ok);
    // Concatenated gzip members are one stream (as gunzip reads them), and
    // trailing zero padding is ignored.
    r = Read(ContentKind::kGzip, Gzip(a) + Gzip(b) + Gzip("") + std::string(100, '\0'), ch);
    EXPECT_FALSE(r.failed) << r.error;
    ASSERT_EQ(r.members.size(), 1u);
    EXPECT_EQ(r.members[0].data, a + b);
    EXPECT_TRUE(r.warnings.empty());
  }
  // Tiny content (less than one tar block).
  Result r = Read(ContentKind::kGzip, Gzip("hi"), Chunking::kBytes);
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_EQ(r.members[0].data, "hi");
}

TEST(ArchiveTest, GzipTruncatedOrCorrupt) {
  std::string gz = Gzip(Pattern(50000, 7));
  Result r = Read(ContentKind::kGzip, gz.substr(0, gz.size() / 2), Chunking::kRandom);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.error.find("cut short"), std::string::npos) << r.error;
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_FALSE(r.members[0].ok);
  std::string bad = gz;
  for (size_t i = 20; i < 60; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5a);
  r = Read(ContentKind::kGzip, bad, Chunking::kWhole);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.error.find("corrupt"), std::string::npos) << r.error;
  r = Read(ContentKind::kGzip, "", Chunking::kWhole);
  EXPECT_TRUE(r.failed);
}

TEST(ArchiveTest, TarGz) {
  const std::string a = Pattern(3000, 8), b = Pattern(10, 9);
  std::string tgz =
      Gzip(TarEntry("logs/run1/events.out.tfevents.1", a) + TarEntry("logs/run2/e", b) + TarEnd());
  for (Chunking ch : {Chunking::kWhole, Chunking::kBytes, Chunking::kRandom}) {
    Result r = Read(ContentKind::kGzip, tgz, ch);
    EXPECT_FALSE(r.failed) << r.error;
    EXPECT_EQ(r.format, "tar.gz");
    ASSERT_EQ(r.members.size(), 2u);
    EXPECT_EQ(r.members[0].path, "logs/run1/events.out.tfevents.1");
    EXPECT_EQ(r.members[0].data, a);
    EXPECT_EQ(r.members[1].path, "logs/run2/e");
    EXPECT_EQ(r.members[1].data, b);
  }
}

TEST(ArchiveTest, ZipStoredDeflatedAndDescriptor) {
  const std::string a = Pattern(5000, 10), b = Pattern(100000, 11), c = Pattern(1, 12);
  std::string zip = Zip({{"dir/", "", 0},
                         {"dir2/", "", 0, true},
                         {"dir/stored", a, 0},
                         {"dir/deflated", b, 8},
                         {"win\\path", c, 8, true},
                         {"../evil", "x", 0},
                         {"empty", "", 0}});
  for (Chunking ch : {Chunking::kWhole, Chunking::kBytes, Chunking::kRandom}) {
    Result r = Read(ContentKind::kZip, zip, ch);
    EXPECT_FALSE(r.failed) << r.error;
    EXPECT_EQ(r.format, "zip");
    ASSERT_EQ(r.members.size(), 4u);
    EXPECT_EQ(r.members[0].path, "dir/stored");
    EXPECT_EQ(r.members[0].data, a);
    EXPECT_EQ(r.members[0].claim, a.size());
    EXPECT_EQ(r.members[1].path, "dir/deflated");
    EXPECT_EQ(r.members[1].data, b);
    EXPECT_EQ(r.members[2].path, "win/path");
    EXPECT_EQ(r.members[2].data, c);
    EXPECT_EQ(r.members[2].claim, ArchiveReader::kUnknownSize);
    EXPECT_EQ(r.members[3].path, "empty");
    for (const Member& m : r.members) EXPECT_TRUE(m.ok) << m.path << ": " << m.message;
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("unsafe"), std::string::npos);
  }
}

TEST(ArchiveTest, ZipStoredWithDescriptorIsAClearError) {
  std::string zip = Zip({{"a", "first", 8}, {"b", "stored data", 0, true}});
  Result r = Read(ContentKind::kZip, zip, Chunking::kWhole);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.error.find("data descriptor"), std::string::npos) << r.error;
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_TRUE(r.members[0].ok);
}

TEST(ArchiveTest, ZipCrcMismatchFailsTheMember) {
  std::string zip =
      Zip({{"a", "payload", 0, false, true}, {"b", Pattern(999, 1), 8, false, true}, {"c", "fine", 8}});
  Result r = Read(ContentKind::kZip, zip, Chunking::kRandom);
  EXPECT_FALSE(r.failed);
  ASSERT_EQ(r.members.size(), 3u);
  EXPECT_FALSE(r.members[0].ok);
  EXPECT_NE(r.members[0].message.find("CRC"), std::string::npos);
  EXPECT_FALSE(r.members[1].ok);
  EXPECT_TRUE(r.members[2].ok);
}

TEST(ArchiveTest, ZipTruncatedInsideAMember) {
  std::string zip = Zip({{"a", Pattern(20000, 3), 0}});
  Result r = Read(ContentKind::kZip, zip.substr(0, 5000), Chunking::kWhole);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.error.find("cut short"), std::string::npos) << r.error;
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_FALSE(r.members[0].ok);
  r = Read(ContentKind::kZip, "PK\x03\x04junk", Chunking::kWhole);
  EXPECT_TRUE(r.failed);
}

TEST(ArchiveTest, ZipBombStopsAtTheRatioLimit) {
  const std::string zeros(40u << 20, '\0');  // 40 MiB of zeros deflate to ~40 KB
  std::string zip = Zip({{"bomb", zeros, 8}});
  Limits limits;
  limits.max_decompression_ratio = 100;
  Result r = Read(ContentKind::kZip, zip, Chunking::kRandom, limits);
  EXPECT_TRUE(r.failed);
  EXPECT_TRUE(r.limit);
  EXPECT_NE(r.error.find("max_decompression_ratio"), std::string::npos) << r.error;
  ASSERT_EQ(r.members.size(), 1u);
  EXPECT_FALSE(r.members[0].ok);
  EXPECT_LT(r.members[0].data.size(), zeros.size());
  // The same through gzip, against the size limit.
  limits = Limits();
  limits.max_decompressed_bytes = 1 << 20;
  r = Read(ContentKind::kGzip, Gzip(zeros), Chunking::kWhole, limits);
  EXPECT_TRUE(r.failed);
  EXPECT_TRUE(r.limit);
  EXPECT_NE(r.error.find("max_decompressed_bytes"), std::string::npos) << r.error;
  // Default limits: 40 MiB at ratio ~1000 is still accepted (limit 1100).
  r = Read(ContentKind::kZip, zip, Chunking::kWhole);
  EXPECT_FALSE(r.failed) << r.error;
}

TEST(ArchiveTest, CorruptedAndTruncatedArchivesFailCleanly) {
  // Not a check of messages: under the sanitizers, that nothing reads out of
  // bounds, loops or allocates from a corrupt claim, whatever the damage.
  const std::string tar = TarEntry("a/b", Pattern(3000, 1)) + TarEntry("c", Pattern(100, 2)) + TarEnd();
  const std::string inputs[][2] = {
      {"tar", tar},
      {"gz", Gzip(tar)},
      {"zip", Zip({{"x", Pattern(4000, 3), 8}, {"y", Pattern(500, 4), 0}, {"z", Pattern(700, 5), 8, true}})},
  };
  std::mt19937 rng(42);
  for (const auto& in : inputs) {
    const ContentKind kind = in[0] == "tar"  ? ContentKind::kTar
                             : in[0] == "gz" ? ContentKind::kGzip
                                             : ContentKind::kZip;
    const std::string& bytes = in[1];
    for (size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 97) {
      Result r = Read(kind, bytes.substr(0, cut), Chunking::kRandom, Limits(), static_cast<unsigned>(cut));
      for (const Member& m : r.members) {
        if (!m.ok) {
          EXPECT_FALSE(m.message.empty());
        }
      }
    }
    for (int i = 0; i < 200; ++i) {
      std::string bad = bytes;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < flips; ++k) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
      Result r = Read(kind, bad, Chunking::kRandom, Limits(), static_cast<unsigned>(i));
      if (r.failed) {
        EXPECT_FALSE(r.error.empty());
      }
    }
  }
}

TEST(ArchiveTest, NotAnArchiveKind) {
  Result r = Read(ContentKind::kOther, "abc", Chunking::kWhole);
  EXPECT_TRUE(r.failed);
}

// ---- the corpus ----

// Member paths TensorBoard's reference lists for an archive: expected/<archive>/<member>.json.
std::set<std::string> ExpectedMembers(const std::string& archive_rel) {
  namespace fs = std::filesystem;
  std::set<std::string> out;
  fs::path root = fs::path(test::CorpusDir()) / "expected" / archive_rel;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), root).generic_string();
    if (rel.size() > 5 && rel.compare(rel.size() - 5, 5, ".json") == 0)
      out.insert(rel.substr(0, rel.size() - 5));
  }
  return out;
}

void CheckCorpusArchive(const std::string& rel, ContentKind kind, const char* format) {
  TBVIEW_REQUIRE_CORPUS();
  const std::string path = test::CorpusDir() + "/files/" + rel;
  const std::string bytes = test::ReadFile(path);
  ASSERT_FALSE(bytes.empty()) << "cannot read " << path;
  std::set<std::string> expected = ExpectedMembers(rel);
  ASSERT_FALSE(expected.empty());
  for (Chunking ch : {Chunking::kWhole, Chunking::kRandom, Chunking::kBytes}) {
    Result r = Read(kind, bytes, ch);
    EXPECT_FALSE(r.failed) << r.error;
    EXPECT_EQ(r.format, format);
    std::set<std::string> got;
    for (const Member& m : r.members) {
      EXPECT_TRUE(m.ok) << m.path << ": " << m.message;
      got.insert(m.path);
    }
    for (const std::string& e : expected) EXPECT_TRUE(got.count(e)) << "missing member " << e;
  }
}

TEST(ArchiveTest, CorpusTarGz) {
  CheckCorpusArchive("Guitaricet__text_classification/runs/older.tar.gz", ContentKind::kGzip, "tar.gz");
}

TEST(ArchiveTest, CorpusZip) {
  CheckCorpusArchive("VAISHNAVI-GOPI23__neuralnetwork_homeass1_vaishnavigopi_700754518/tensorboard_logs.zip",
                     ContentKind::kZip, "zip");
}

}  // namespace
}  // namespace tbview
