// Resumable TFRecord framing.
//
// A TFRecord is: uint64 length | masked crc32c(length bytes) | payload | masked
// crc32c(payload), little-endian. RecordReader takes the bytes of one file in
// pushes of any size (1 byte to many MB, as File.slice, fetch streams, archive
// members or a growing file deliver them) and yields whole payloads.
//
// Invariants:
// - `consumed()` is the file offset just past the last whole record taken out, so a
//   reader that is fed the bytes after `consumed()` + `buffered()` later (a reload
//   of a growing file) continues exactly where it stopped: nothing lost, nothing
//   read twice.
// - A record cut off at the end of the bytes seen so far is kNeedMore, never an
//   error: the writer may still be writing it.
// - A bad length CRC means the framing is lost: kError, and the reader stays in
//   that state (error() says where). A length above `max_record_bytes` is the same
//   kind of error, and nothing of that size is ever allocated.
// - A bad payload CRC skips that one record and counts it (bad_payload_crcs()).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tbview {

class RecordReader {
 public:
  enum class Status { kRecord, kNeedMore, kError };

  explicit RecordReader(uint64_t max_record_bytes = 256ull << 20);

  // Appends the next bytes of the file. The reader may keep a pointer into `data`
  // until next() returns kNeedMore; after that it has copied whatever it still
  // needs (an incomplete record), so the caller may free the chunk.
  void push(const uint8_t* data, size_t size);

  // Takes out the next record. On kRecord, *payload views the payload; the view is
  // valid until the next call to push() or next().
  // Inline part: hand out a record already framed and checked by the lookahead.
  Status next(std::string_view* payload) {
    if (ahead_head_ < ahead_size_ && PopAhead(payload)) return Status::kRecord;
    return NextSlow(payload);
  }

  // File offset of the payload most recently returned by next() (so a blob inside
  // it can be read again later from the file by offset).
  uint64_t payload_offset() const { return payload_offset_; }
  // File offset just past the last whole record (good or CRC-skipped).
  uint64_t consumed() const { return consumed_; }
  // Bytes pushed but not yet part of a whole record.
  uint64_t buffered() const;
  // Records returned as kRecord.
  uint64_t records() const { return records_; }
  // Records skipped because their payload CRC did not match.
  uint64_t bad_payload_crcs() const { return bad_payload_crcs_; }
  bool failed() const { return !error_.empty(); }
  // Set once next() has returned kError: what went wrong and at which offset.
  const std::string& error() const { return error_; }
  // Whether the error happened on the very first record (then the bytes are
  // probably not an event file at all, rather than a corrupt one).
  bool failed_at_first_record() const { return failed() && records_ == 0 && bad_payload_crcs_ == 0; }
  // Whether the error is a length CRC-valid record over max_record_bytes (a
  // limit, not corruption: error() names max_record_bytes).
  bool limit_reached() const { return limit_reached_; }

 private:
  uint64_t max_record_bytes_;
  // Bytes of an incomplete record carried over between pushes.
  std::vector<uint8_t> carry_;
  // The chunk being read without copying (valid until next() returns kNeedMore).
  const uint8_t* chunk_ = nullptr;
  size_t chunk_size_ = 0;
  size_t chunk_pos_ = 0;
  uint64_t consumed_ = 0;
  uint64_t payload_offset_ = 0;
  uint64_t records_ = 0;
  uint64_t bad_payload_crcs_ = 0;
  std::string error_;
  bool limit_reached_ = false;

  // Added by the implementation (record_reader.cc): carry_[0, carry_pos_) belongs
  // to a record already returned (kept so its payload view stays valid until the
  // next call); carry_[carry_pos_, end) are unread bytes starting at consumed_.
  size_t carry_pos_ = 0;

  // Lookahead (see record_reader.cc, FrameAhead): up to kAhead whole records of
  // the chunk, starting at chunk_pos_, framed and CRC-checked as one batch (so the
  // CRC chains of different records overlap), then handed out one per next().
  // Only chunk_pos_ and the counters move as records are handed out, so the state
  // seen from outside (consumed(), buffered(), counters) is as without it; push()
  // and Fail() drop the lookahead (its records are re-framed from chunk_pos_).
  static constexpr uint32_t kAhead = 64;
  const uint8_t* ahead_rec_[kAhead];  // each record's header, inside the chunk
  uint64_t ahead_len_[kAhead];        // its payload bytes (length CRC verified)
  uint8_t ahead_ok_[kAhead];          // CheckRecordCrcs: 1 length CRC, 2 payload CRC
  uint32_t ahead_head_ = 0;
  uint32_t ahead_size_ = 0;
  bool FrameAhead();
  // Hands out lookahead records, counting the bad-CRC ones it passes; true with
  // a good one in *payload, false when the lookahead ran out first.
  bool PopAhead(std::string_view* payload) {
    while (ahead_head_ < ahead_size_) {
      const uint32_t i = ahead_head_++;
      const uint64_t length = ahead_len_[i];
      const uint64_t total = length + 16;  // header (12) + payload + footer (4)
      const uint64_t offset = consumed_ + 12;
      consumed_ += total;
      chunk_pos_ += static_cast<size_t>(total);
      if (__builtin_expect(!(ahead_ok_[i] & 2), 0)) {
        ++bad_payload_crcs_;
        continue;
      }
      ++records_;
      payload_offset_ = offset;
      *payload =
          std::string_view(reinterpret_cast<const char*>(ahead_rec_[i]) + 12, static_cast<size_t>(length));
      return true;
    }
    return false;
  }
  Status NextSlow(std::string_view* payload);
  void DropReturnedCarry();
  Status Fail(std::string message);
  bool CheckHeader(const uint8_t* header, uint64_t* length);
  bool TakeRecord(const uint8_t* rec, uint64_t length, std::string_view* payload);
  Status NextFromCarry(std::string_view* payload);
};

}  // namespace tbview
