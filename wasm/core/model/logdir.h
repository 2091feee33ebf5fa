// The data model of everything that is open: runs, their files, tags and series.
//
// Input is a set of files named by relative paths ("a/b/events.out.tfevents.1.x"),
// pushed as bytes in chunks of any size, from a folder drop, an archive, a fetch
// stream or a disk walk. The run of a file is its directory ("." for none).
//
// Rules (stated in the README, each tested):
// - Files are detected by content: the first record's length CRC decides; a file
//   that fails it gets status kNotEventFile with a message saying what it looks
//   like (Git LFS pointer, macOS placeholder, empty, gzip, zip, tar, text, ...).
// - A run's files are one stream in the order they are opened; callers open a
//   run's files in name order (the CLI and the worker sort; archive members come
//   in archive order).
// - Restart rule: when a point for (run, tag) arrives with a step lower than the
//   last stored step, every stored point of that tag with step >= the new step is
//   dropped first (TensorBoard's Rust loader). Equal steps are all kept.
// - Metadata-first: the first SummaryMetadata seen for a (run, tag) decides its
//   plugin, data class, display name and description.
// - Every scalar point is kept (no sampling). Other tensors are kept whole;
//   large blobs (images, audio) as (file, offset, length) where the file can be
//   read again (a file opened by OpenFile, whose pushed bytes are the file's
//   bytes from offset 0; not an archive member), see TensorPoint and blob_refs.h.
//   The caller must then keep the file's source to read such blobs.
// - Names are repaired once, at ingestion: file paths (and so run names), tag
//   names, and the plugin name, display name and description of a tag's
//   metadata are stored as valid UTF-8 (ToValidUtf8, utf8.h: what TextDecoder
//   gives), so every name can be handed to JavaScript and queried back as is.
//   Names that differ only in their invalid bytes become one.
// - Corruption: a bad length CRC ends that file (kCorrupt) and keeps what was
//   read; bad payload CRCs are counted; a cut-off tail is kWaiting, not an error.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data_compat.h"
#include "input_limits.h"
#include "series.h"

namespace tbview {

enum class FileStatus {
  kLoading,       // bytes are still being pushed
  kOk,            // every pushed byte was whole records
  kWaiting,       // ends inside a record: waiting for more data (growing file)
  kNotEventFile,  // the first record does not frame: not an event file
  kCorrupt,       // framing lost after some records (bad length CRC)
  kLimit,         // a limit was reached (message names it)
  // Set from outside only (StopFile), for what only the caller sees happen:
  kCancelled,  // the caller stopped reading it (keeps what was read)
  kReadError,  // the caller could not read its bytes (a disk or network error)
};
// "loading", "ok", "waiting", "not_event_file", "corrupt", "limit", "cancelled",
// "read_error": the words the worker protocol and the page use.
const char* FileStatusName(FileStatus s);

struct FileInfo {
  std::string path;  // as opened
  std::string run;
  uint64_t bytes = 0;       // bytes pushed so far
  uint64_t records = 0;     // good records
  uint64_t bad_crc = 0;     // records skipped for a bad payload CRC
  uint64_t bad_events = 0;  // records whose payload was not a valid Event, or values not convertible
  FileStatus status = FileStatus::kLoading;
  std::string message;  // for kNotEventFile/kCorrupt/kLimit and warnings; starts with the path
  // The message without the path and without the words of the status itself
  // ("not an event file", "corrupt", ...): what the page shows after the status.
  std::string detail;
  std::string file_version;
  std::string writer;  // source_metadata.writer
  double first_wall_time = 0;
};

struct TagInfo {
  std::string run;
  std::string tag;
  TagMetadata metadata;  // the first one seen (metadata-first)
  uint64_t points = 0;
  int64_t first_step = 0, last_step = 0;
  double first_wall_time = 0, last_wall_time = 0;
  bool is_scalar = false;  // stored as a ScalarSeries
};

namespace logdir_internal {
struct LogFile;
}

// The files of a Logdir in id order, seen as FileInfo. A view: it reads the
// Logdir's files as they are now (a FileInfo reference stays valid as long as the
// Logdir, and shows later changes).
class FileList {
 public:
  class iterator {
   public:
    const FileInfo& operator*() const;
    const FileInfo* operator->() const { return &**this; }
    iterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return p_ != o.p_; }
    bool operator==(const iterator& o) const { return p_ == o.p_; }

   private:
    friend class FileList;
    explicit iterator(const std::unique_ptr<logdir_internal::LogFile>* p) : p_(p) {}
    const std::unique_ptr<logdir_internal::LogFile>* p_;
  };

  size_t size() const;
  bool empty() const { return size() == 0; }
  const FileInfo& operator[](size_t id) const;
  const FileInfo& back() const;
  iterator begin() const { return iterator(files_->data()); }
  iterator end() const { return iterator(files_->data() + files_->size()); }

 private:
  friend class Logdir;
  explicit FileList(const std::vector<std::unique_ptr<logdir_internal::LogFile>>* files) : files_(files) {}
  const std::vector<std::unique_ptr<logdir_internal::LogFile>>* files_;
};

class Logdir {
 public:
  explicit Logdir(const Limits& limits = Limits());
  ~Logdir();

  // Opens (or, for a path already open, resumes) a file; returns its id. Reopening
  // a path continues its stream where the last push ended (a growing file's
  // reload pushes only the new bytes).
  int OpenFile(std::string_view path);
  void Push(int file, const uint8_t* data, size_t size);
  // No more bytes for now: a complete stream becomes kOk, a cut-off tail kWaiting.
  void EndOfData(int file);
  // Marks a file as failed from outside (a read error, an archive error), with
  // `message` as it is (also its detail).
  void FailFile(int file, FileStatus status, std::string message);
  // Ends a file from outside with `status` (kCancelled, kReadError, ...), keeping
  // what was read: the message is "<path>: <status words>: <detail>".
  void StopFile(int file, FileStatus status, std::string detail);

  FileList files() const;
  std::vector<std::string> Runs() const;  // sorted
  std::vector<TagInfo> Tags() const;      // sorted by run, then tag
  // The metadata of (run, tag) (the first one seen), or nullptr.
  const TagMetadata* Metadata(std::string_view run, std::string_view tag) const;
  const ScalarSeries* Scalars(std::string_view run, std::string_view tag) const;
  const TensorSeries* Tensors(std::string_view run, std::string_view tag) const;
  // Session logs, graphs and log messages of a run, in arrival order.
  const std::vector<RunEvent>* RunEvents(std::string_view run) const;

  // Bytes held by all series (payload arrays, not counting per-tag overhead).
  uint64_t RetainedBytes() const;
  // Encoded images and audio clips (string elements of at least kMinBlobRefBytes
  // of images/audio tags): how many, and how many bytes, are held in memory
  // (files that cannot be read again: archive members) and kept by reference
  // (plain files: TensorPoint::blobs, see blob_refs.h).
  BlobStats Blobs() const;
  uint64_t TotalPoints() const;
  // Releases the spare capacity of every scalar series (growth leaves up to 2x).
  // Call when a load settles; appending afterwards works but regrows.
  void Shrink();

  // The inside (logdir_impl.h), shared by the logdir's modules only.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// "dir/sub/file" -> "dir/sub"; "file" -> ".".
std::string RunOfPath(std::string_view path);

}  // namespace tbview
