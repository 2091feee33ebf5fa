// Content detection: event files by their first length CRC, archives by magic,
// and a description of every kind of impostor (made here and, when the corpus of
// real logs is present, read from it).
#include "detect.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/corpus.h"
#include "support/files.h"
#include "writer.h"

namespace tbview {
namespace {

ContentKind Sniff(const std::string& s) {
  return SniffContent(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
std::string Describe(const std::string& s) {
  return DescribeNonEventBytes(reinterpret_cast<const uint8_t*>(s.data()), s.size(), s.size());
}

std::string TarHeader() {
  std::string t(512, '\0');
  t.replace(0, 8, "run/a.tf");
  t.replace(257, 6, std::string("ustar\0", 6));
  return t;
}

TEST(Detect, SniffsEventFiles) {
  EventWriter w;
  w.WriteFileVersion(1.0);
  EXPECT_EQ(Sniff(w.bytes()), ContentKind::kEventFile);
  EXPECT_EQ(Sniff(w.bytes().substr(0, 12)), ContentKind::kEventFile);  // the header alone is enough
  EXPECT_EQ(Sniff(w.bytes().substr(0, 11)), ContentKind::kOther);      // too short to tell
  std::string damaged = w.bytes();
  damaged[8] ^= 1;
  EXPECT_EQ(Sniff(damaged), ContentKind::kOther);
  // An old tensorboardX file starts with a summary record, not file_version.
  EventWriter old;
  old.WriteScalar(1.0, 0, "loss", 1.0f);
  EXPECT_EQ(Sniff(old.bytes()), ContentKind::kEventFile);
}

TEST(Detect, SniffsArchives) {
  EXPECT_EQ(Sniff(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10)), ContentKind::kGzip);
  EXPECT_EQ(Sniff(std::string("PK\x03\x04\x14\x00\x00\x00", 8)), ContentKind::kZip);
  EXPECT_EQ(Sniff(std::string("PK\x05\x06", 4) + std::string(18, '\0')), ContentKind::kZip);  // empty zip
  EXPECT_EQ(Sniff(TarHeader()), ContentKind::kTar);
  EXPECT_EQ(Sniff(TarHeader().substr(0, 261)), ContentKind::kOther);
  EXPECT_EQ(Sniff(""), ContentKind::kOther);
  EXPECT_EQ(Sniff("hello, world, this is text"), ContentKind::kOther);
}

TEST(Detect, DescribesImpostors) {
  EXPECT_EQ(DescribeNonEventBytes(nullptr, 0, 0), "empty file (0 bytes)");
  EXPECT_EQ(Describe("version https://git-lfs.github.com/spec/v1\n"
                     "oid sha256:44b5982ce75a586932850b8e21a798a51dabb4c26243c184e20a279cf7b853dd\n"
                     "size 10779948\n"),
            "Git LFS pointer file (the real file was never downloaded: run git lfs pull)");
  EXPECT_EQ(Describe(std::string("bplist00\xd3\x01\x02\x03\x04\x05\x06\\NSURLNameKey", 24)),
            "macOS iCloud placeholder (binary plist)");
  EXPECT_EQ(Describe(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8)), "gzip-compressed data");
  EXPECT_EQ(Describe(std::string("PK\x03\x04\x14\x00", 6)), "zip archive");
  EXPECT_EQ(Describe(TarHeader()), "tar archive");
  EXPECT_EQ(Describe("<!DOCTYPE html>\n<html><head><title>404</title></head></html>"), "HTML page");
  EXPECT_EQ(Describe("\xef\xbb\xbf  <html lang=\"en\"><body>Not Found</body></html>"), "HTML page");
  EXPECT_EQ(Describe("{\"message\": \"Not Found\"}"), "JSON text");
  EXPECT_EQ(Describe("\n  [1, 2, 3]\n"), "JSON text");
  EXPECT_EQ(Describe("step,loss\n1,0.5\n2,0.25\n"), "text file");
  EXPECT_EQ(Describe("caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9\n"), "text file");
  EXPECT_EQ(Describe(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "PNG image");
  EXPECT_EQ(Describe(std::string("\xff\xd8\xff\xe0\0\x10JFIF", 10)), "JPEG image");
  EXPECT_EQ(Describe(std::string("\x89HDF\r\n\x1a\n\0\0", 10)), "HDF5 file");
  EXPECT_EQ(Describe(std::string("SQLite format 3\0", 16)), "SQLite database");
  EXPECT_EQ(Describe(std::string("\x00\x01\x02\x03\xfe\xff\x10\x11\x00\x00\x00\x00\x07", 13)),
            "unknown binary data");
  EXPECT_EQ(Describe(std::string("\x18\x00\x00\x00\x00", 5)), "too short for an event record (5 bytes)");
  EXPECT_EQ(Describe("brain"), "text file");
  // A head was not supplied for a non-empty file.
  EXPECT_EQ(DescribeNonEventBytes(nullptr, 0, 100), "unknown binary data");
}

// ---- the corpus of real logs ----

TEST(DetectCorpus, RealImpostorsAndArchives) {
  TBVIEW_REQUIRE_CORPUS();
  const std::string dir = test::CorpusDir();
  std::vector<test::CorpusRow> rows;
  if (!test::ReadCorpusIndex(&rows)) GTEST_SKIP() << "no INDEX.tsv in " << test::CorpusDir();
  int lfs = 0, icloud = 0, empty = 0, gz = 0, zip = 0, events = 0;
  for (const test::CorpusRow& r : rows) {
    SCOPED_TRACE(r.path);
    const std::string head = test::ReadHead(dir + "/files/" + r.path, 512);
    ASSERT_EQ(head.size(), std::min<uint64_t>(r.size, 512));
    const std::string what =
        DescribeNonEventBytes(reinterpret_cast<const uint8_t*>(head.data()), head.size(), r.size);
    const ContentKind kind = Sniff(head);
    if (r.producer.find("Git LFS pointer") != std::string::npos) {
      EXPECT_EQ(kind, ContentKind::kOther);
      EXPECT_EQ(what, "Git LFS pointer file (the real file was never downloaded: run git lfs pull)");
      ++lfs;
    } else if (r.producer.find("iCloud placeholder") != std::string::npos) {
      EXPECT_EQ(kind, ContentKind::kOther);
      EXPECT_EQ(what, "macOS iCloud placeholder (binary plist)");
      ++icloud;
    } else if (r.size == 0) {
      EXPECT_EQ(kind, ContentKind::kOther);
      EXPECT_EQ(what, "empty file (0 bytes)");
      ++empty;
    } else if (r.path.size() > 7 && r.path.compare(r.path.size() - 7, 7, ".tar.gz") == 0) {
      EXPECT_EQ(kind, ContentKind::kGzip);
      ++gz;
    } else if (r.path.size() > 4 && r.path.compare(r.path.size() - 4, 4, ".zip") == 0) {
      EXPECT_EQ(kind, ContentKind::kZip);
      ++zip;
    } else if (r.walk_status == "ok" || r.walk_status == "truncated-record") {
      EXPECT_EQ(kind, ContentKind::kEventFile);
      ++events;
    }
  }
  EXPECT_GE(lfs, 1);
  EXPECT_GE(icloud, 1);
  EXPECT_GE(empty, 1);
  EXPECT_GE(gz, 1);
  EXPECT_GE(zip, 1);
  EXPECT_GT(events, 50);
}

}  // namespace
}  // namespace tbview
