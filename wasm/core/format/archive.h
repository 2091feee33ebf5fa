// Streaming readers for the containers logs arrive in: gzip (one file, or several
// concatenated members), tar, tar.gz and zip.
//
// An ArchiveReader is driven by pushes of any size, like RecordReader, and hands
// each member's bytes to a Sink as they come out: the archive is never held in
// memory, and neither is a member. That is what lets a browser open a 2 GB
// .tar.gz of logs.
//
// Invariants and rules:
// - Every size in an archive is a claim. Nothing is allocated from one: tar and
//   zip sizes only count down the bytes being passed through, and a member that
//   claims more than the archive holds ends, at Finish(), with an error saying
//   how much it claimed and how much there was.
// - Decompression is bounded by Limits::max_decompressed_bytes (total output of
//   one archive) and Limits::max_decompression_ratio (checked once more than
//   16 MiB has come out); reaching either fails the archive with a message naming
//   the limit (a zip bomb stops there, having cost one 64 KiB buffer).
// - Member paths are normalized: "./" and empty components dropped, "\" read as
//   "/" in zip; a path with a ".." component or an absolute path (or a drive
//   letter) is refused: the member is skipped with a warning, never delivered.
//   Directories, links, devices and other non-file entries are skipped silently.
// - A failure ends the archive: the open member gets EndMember(false, message),
//   later pushes are ignored, and error() says what happened and where. Members
//   completed before it stay delivered.
// - A plain gzip stream (not a tar inside) is one member with an empty path; the
//   caller names it (Logdir strips the ".gz").
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detect.h"
#include "input_limits.h"

namespace tbview {

class ArchiveReader {
 public:
  // size_claim when the container does not say (gzip, zip with a data descriptor).
  static constexpr uint64_t kUnknownSize = ~uint64_t{0};

  // Receives the members in archive order. Calls always come as
  // BeginMember, MemberData*, EndMember; never nested.
  struct Sink {
    virtual ~Sink() = default;
    // `path` is normalized (see above); `size_claim` is what the archive says,
    // a claim only (or kUnknownSize): never allocate from it.
    virtual void BeginMember(std::string_view path, uint64_t size_claim) = 0;
    virtual void MemberData(const uint8_t* data, size_t size) = 0;
    // ok = false with a message when the member is cut short, fails its CRC or
    // the archive fails while it is open.
    virtual void EndMember(bool ok, std::string_view message) = 0;
  };

  // `kind` is the container as sniffed: kGzip, kTar or kZip (a gzip whose content
  // is a tar is read as tar.gz). Any other kind fails at once.
  ArchiveReader(ContentKind kind, Sink* sink, const Limits& limits = Limits());
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // The next bytes of the archive; the reader does not keep `data`.
  void Push(const uint8_t* data, size_t size);
  // End of the archive's bytes: a member still open is cut short (error).
  void Finish();

  bool failed() const;
  // Whether the failure was a decompression limit (then error() names it).
  bool limit_reached() const;
  const std::string& error() const;
  // Things skipped without failing: unsafe paths, unsupported entries, trailing
  // bytes after a gzip stream.
  const std::vector<std::string>& warnings() const;
  // "gzip", "tar", "tar.gz" or "zip" (a gzip becomes "tar.gz" once its content
  // is seen to be a tar).
  const char* format_name() const;
  // Members delivered so far (EndMember called), ok or not.
  uint64_t members() const;
  uint64_t bytes_in() const;   // archive bytes pushed
  uint64_t bytes_out() const;  // member bytes delivered

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Normalizes an archive member path (see above). Returns false for an unsafe
// path; *out is "" for a path that names nothing (".", "./").
bool NormalizeMemberPath(std::string_view path, bool backslash_is_separator, std::string* out);

}  // namespace tbview
