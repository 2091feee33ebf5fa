// Resumable TFRecord framing (see record_reader.h for the contract).
//
// Two paths:
// - Fast path: the record lies wholly inside the pushed chunk. Its payload is
//   returned as a view into the chunk; nothing is copied. This is every record but
//   at most one per push.
// - Carry path: a record that straddles the end of a chunk. Its bytes are copied
//   into carry_ as they arrive (never sized from the claimed length), and it is
//   completed from the front of the following chunk(s).
//
// carry_ layout: carry_[carry_pos_ .. size) is unread file bytes starting exactly at
// file offset consumed_ (the start of a record). Normally it holds one incomplete
// record. It can hold whole records too, when push() is called while the previous
// chunk still has records in it (then those bytes are moved into carry_ so the old
// chunk can be freed). Bytes before carry_pos_ belong to a record already returned;
// they are kept until the next call so a payload view into carry_ stays valid.
#include "record_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "masked_crc.h"

namespace tbview {
namespace {

constexpr size_t kHeaderBytes = 12;  // uint64 length + masked CRC of the length
constexpr size_t kFooterBytes = 4;   // masked CRC of the payload
// After a large straddling record, give its buffer back rather than keep it.
constexpr size_t kKeepCarryCapacity = 1 << 20;

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

RecordReader::RecordReader(uint64_t max_record_bytes) : max_record_bytes_(max_record_bytes) {
  // Keep header + length + footer representable in uint64_t and in size_t (32 bits
  // in wasm32), so no size computed from an accepted length can wrap.
  const uint64_t cap = std::min<uint64_t>(uint64_t{1} << 62, SIZE_MAX / 2);
  if (max_record_bytes_ > cap) max_record_bytes_ = cap;
}

uint64_t RecordReader::buffered() const { return (carry_.size() - carry_pos_) + (chunk_size_ - chunk_pos_); }

void RecordReader::DropReturnedCarry() {
  if (carry_pos_ == 0) return;
  if (carry_pos_ == carry_.size()) {
    if (carry_.capacity() > kKeepCarryCapacity) {
      std::vector<uint8_t>().swap(carry_);
    } else {
      carry_.clear();
    }
  } else {
    carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(carry_pos_));
  }
  carry_pos_ = 0;
}

void RecordReader::push(const uint8_t* data, size_t size) {
  if (failed()) return;           // the framing is lost; nothing more will be read
  ahead_head_ = ahead_size_ = 0;  // not handed out yet: they are unread bytes from chunk_pos_
  DropReturnedCarry();
  if (chunk_pos_ < chunk_size_) {
    // The caller pushes again before the previous chunk was read to the end: keep
    // its unread bytes (they come before the new ones in the file).
    carry_.insert(carry_.end(), chunk_ + chunk_pos_, chunk_ + chunk_size_);
  }
  chunk_ = data;
  chunk_size_ = size;
  chunk_pos_ = 0;
}

RecordReader::Status RecordReader::Fail(std::string message) {
  error_ = std::move(message);
  // Forget the chunk: the caller may free it, and nothing will be read any more.
  ahead_head_ = ahead_size_ = 0;
  chunk_ = nullptr;
  chunk_size_ = chunk_pos_ = 0;
  return Status::kError;
}

// Checks the 12-byte header of the record at consumed_: its length CRC, then the
// length against the limit (before anything is sized from it). False after Fail().
bool RecordReader::CheckHeader(const uint8_t* header, uint64_t* length) {
  const uint64_t len = Load64(header);
  if (MaskedCrc32c(header, 8) != Load32(header + 8)) {
    Fail("bad length CRC at offset " + std::to_string(consumed_) + " (record " +
         std::to_string(records_ + bad_payload_crcs_) + ")");
    return false;
  }
  if (len > max_record_bytes_) {
    limit_reached_ = true;
    Fail("record at offset " + std::to_string(consumed_) + " claims " + std::to_string(len) +
         " bytes, over max_record_bytes (" + std::to_string(max_record_bytes_) + ")");
    return false;
  }
  *length = len;
  return true;
}

// Finishes a whole record at `rec` (header included, `length` payload bytes):
// checks the payload CRC and advances the offsets. Returns true when the record is
// good (then *payload views it).
bool RecordReader::TakeRecord(const uint8_t* rec, uint64_t length, std::string_view* payload) {
  const uint8_t* data = rec + kHeaderBytes;
  const size_t n = static_cast<size_t>(length);
  const uint64_t offset = consumed_ + kHeaderBytes;
  consumed_ += kHeaderBytes + length + kFooterBytes;
  if (MaskedCrc32c(data, n) != Load32(data + n)) {
    ++bad_payload_crcs_;
    return false;
  }
  ++records_;
  payload_offset_ = offset;
  *payload = std::string_view(reinterpret_cast<const char*>(data), n);
  return true;
}

// The carry path: completes the record that starts at carry_[carry_pos_], taking
// bytes from the chunk as needed. Only bytes that exist are copied.
RecordReader::Status RecordReader::NextFromCarry(std::string_view* payload) {
  while (carry_pos_ < carry_.size()) {
    size_t have = carry_.size() - carry_pos_;
    if (have < kHeaderBytes) {
      if (carry_pos_ != 0) DropReturnedCarry();
      const size_t take = std::min(kHeaderBytes - have, chunk_size_ - chunk_pos_);
      carry_.insert(carry_.end(), chunk_ + chunk_pos_, chunk_ + chunk_pos_ + take);
      chunk_pos_ += take;
      have += take;
      if (have < kHeaderBytes) return Status::kNeedMore;
    }
    uint64_t length = 0;
    if (!CheckHeader(carry_.data() + carry_pos_, &length)) return Status::kError;
    const uint64_t total = kHeaderBytes + length + kFooterBytes;
    if (have < total) {
      if (carry_pos_ != 0) DropReturnedCarry();
      const uint64_t missing = total - have;
      const size_t avail = chunk_size_ - chunk_pos_;
      const size_t take = missing < avail ? static_cast<size_t>(missing) : avail;
      carry_.insert(carry_.end(), chunk_ + chunk_pos_, chunk_ + chunk_pos_ + take);
      chunk_pos_ += take;
      if (take < missing) return Status::kNeedMore;
    }
    const uint8_t* rec = carry_.data() + carry_pos_;
    carry_pos_ += static_cast<size_t>(total);
    if (TakeRecord(rec, length, payload)) return Status::kRecord;
  }
  return Status::kNeedMore;  // carry_ used up; the caller goes on with the chunk
}

// Frames up to kAhead whole records of the chunk from chunk_pos_ into ahead_:
// first their positions (each length is trusted only to find the next header),
// then every length CRC in one batch, cutting the batch before the first bad
// one, then every payload CRC in one batch. It stops before anything the
// one-record path below must handle: a record cut off by the chunk's end, a
// length over the limit or a bad length CRC (which that path then reports).
// False when not even one record could be framed so.
bool RecordReader::FrameAhead() {
  ahead_head_ = ahead_size_ = 0;
  size_t pos = chunk_pos_;
  uint32_t n = 0;
  while (n < kAhead) {
    const size_t avail = chunk_size_ - pos;
    if (avail < kHeaderBytes + kFooterBytes) break;
    const uint8_t* rec = chunk_ + pos;
    const uint64_t len = Load64(rec);
    if (len > max_record_bytes_ || len > avail - kHeaderBytes - kFooterBytes) break;
    ahead_rec_[n] = rec;
    ahead_len_[n] = len;
    ++n;
    pos += static_cast<size_t>(kHeaderBytes + len + kFooterBytes);
  }
  if (n == 0) return false;
  CheckRecordCrcs(ahead_rec_, ahead_len_, n, ahead_ok_);
  uint32_t ok = 0;
  while (ok < n && (ahead_ok_[ok] & 1)) ++ok;  // cut before the first bad length CRC
  ahead_size_ = ok;
  return ok > 0;
}

RecordReader::Status RecordReader::NextSlow(std::string_view* payload) {
  if (failed()) return Status::kError;
  if (carry_pos_ != 0 && carry_pos_ == carry_.size()) DropReturnedCarry();
  if (carry_pos_ < carry_.size()) {
    const Status s = NextFromCarry(payload);
    if (s != Status::kNeedMore) return s;
    if (carry_pos_ < carry_.size()) {
      // Still incomplete: the chunk is used up (all of it went into carry_).
      chunk_ = nullptr;
      chunk_size_ = chunk_pos_ = 0;
      return Status::kNeedMore;
    }
    DropReturnedCarry();
  }
  // Fast path: records wholly inside the chunk, viewed in place (in batches by
  // the lookahead; one by one where it stops).
  while (true) {
    if (FrameAhead()) {
      if (PopAhead(payload)) return Status::kRecord;
      continue;  // every one had a bad payload CRC: skipped and counted
    }
    const size_t avail = chunk_size_ - chunk_pos_;
    const uint8_t* rec = chunk_ + chunk_pos_;
    if (avail >= kHeaderBytes) {
      uint64_t length = 0;
      if (!CheckHeader(rec, &length)) return Status::kError;
      // length <= max_record_bytes_ <= min(2^62, SIZE_MAX / 2): no overflow.
      if (avail >= kHeaderBytes + kFooterBytes && avail - kHeaderBytes - kFooterBytes >= length) {
        chunk_pos_ += static_cast<size_t>(kHeaderBytes + length + kFooterBytes);
        if (TakeRecord(rec, length, payload)) return Status::kRecord;
        continue;  // bad payload CRC: skipped and counted
      }
    }
    // An incomplete record (or nothing) at the end of the chunk: copy what there
    // is, so the caller may free the chunk.
    if (avail > 0) carry_.insert(carry_.end(), rec, rec + avail);
    chunk_ = nullptr;
    chunk_size_ = chunk_pos_ = 0;
    return Status::kNeedMore;
  }
}

}  // namespace tbview
