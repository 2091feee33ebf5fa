// The zip layer of ArchiveReader: local headers read front to back (the
// central directory at the end is not needed, so a zip streams), stored and
// deflated members, data descriptors after deflate, zip64 sizes.
#include <zlib.h>

#include <cstring>

#include "archive_internal.h"

namespace tbview {
namespace archive_internal {
namespace {

// Reads a zip front to back by its local headers (the central directory at the
// end is not needed, so the archive streams).
class ZipParser : public ByteLayer {
 public:
  explicit ZipParser(ArchiveReader::Impl* a) : a_(a), buf_(kOutBuffer) {
    std::memset(&zs_, 0, sizeof(zs_));
    if (inflateInit2(&zs_, -15) != Z_OK) a_->Fail("zip: cannot initialize zlib");
    g_.Start(4);
  }
  ~ZipParser() { inflateEnd(&zs_); }

  void Feed(const uint8_t* p, size_t n) override {
    const uint8_t* end = p + n;
    while (p < end && !a_->failed) {
      const uint8_t* before = p;
      switch (st_) {
        case kSig:
          if (g_.Fill(&p, end)) {
            offset_ += p - before;  // Signature() reports offsets
            before = p;
            Signature(Le32(g_.data()));
          }
          break;
        case kLocal:
          if (g_.Fill(&p, end)) LocalHeader();
          break;
        case kNameExtra:
          if (g_.Fill(&p, end)) NameExtra();
          break;
        case kStored: {
          size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, end - p));
          Output(p, take);
          p += take;
          remaining_ -= take;
          if (remaining_ == 0 && !a_->failed) EndEntry(crc_expected_);
          break;
        }
        case kDeflate: {
          const size_t used = Inflate(p, end - p);
          p += used;
          if (used == 0 && st_ == kDeflate && !a_->failed) {
            a_->Fail("zip member " + Quote(name_) + ": deflate data ends before its end marker");
          }
          break;
        }
        case kDescriptor:
          if (!g_.Fill(&p, end)) break;
          if (g_.buf.size() == 4) {
            // The descriptor's signature is optional: with it, 4 more bytes.
            bool sig = Le32(g_.data()) == 0x08074b50u;
            size_t len = (sig ? 4 : 0) + 4 + (zip64_ ? 16 : 8);
            std::string first = g_.buf;
            g_.Start(len);
            g_.buf = first;
            if (g_.buf.size() < len) break;
          }
          {
            bool sig = Le32(g_.data()) == 0x08074b50u;
            EndEntry(Le32(g_.data() + (sig ? 4 : 0)));
          }
          break;
        case kSkip: {
          size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, end - p));
          p += take;
          remaining_ -= take;
          if (remaining_ == 0) Next();
          break;
        }
        case kEnd: offset_ += end - p; return;  // central directory and whatever follows: not needed
      }
      offset_ += p - before;
    }
  }

  void Finish() override {
    if (a_->failed) return;
    switch (st_) {
      case kSig:
        if (!g_.buf.empty())
          a_->Fail("zip ends inside a header at offset " + std::to_string(offset_));
        else if (entries_ == 0)
          a_->Fail("zip holds no entries (no local file header)");
        break;
      case kEnd: break;
      case kLocal:
      case kNameExtra: a_->Fail("zip ends inside a local header at offset " + std::to_string(offset_)); break;
      case kStored:
      case kDeflate:
      case kSkip:
      case kDescriptor:
        a_->Fail("zip member " + Quote(name_) + " is cut short: the archive ends inside it (offset " +
                 std::to_string(offset_) +
                 (size_known_ ? ", claimed " + std::to_string(csize_) + " compressed bytes)" : ")"));
        break;
    }
  }

 private:
  enum State { kSig, kLocal, kNameExtra, kStored, kDeflate, kDescriptor, kSkip, kEnd };

  void Next() {
    st_ = kSig;
    g_.Start(4);
  }

  void Signature(uint32_t sig) {
    switch (sig) {
      case 0x04034b50u:  // local file header
        st_ = kLocal;
        g_.Start(26);
        return;
      case 0x08074b50u:  // spanning marker at the very start
        if (entries_ == 0) {
          Next();
          return;
        }
        break;
      case 0x02014b50u:  // central directory
      case 0x06054b50u:  // end of central directory
      case 0x06064b50u:  // zip64 end of central directory
      case 0x07064b50u:  // zip64 locator
      case 0x05054b50u:  // digital signature
        st_ = kEnd;
        return;
    }
    a_->Fail("not a zip local header at offset " + std::to_string(offset_ - 4) +
             " (the zip is corrupt or truncated)");
  }

  void LocalHeader() {
    const uint8_t* h = g_.data();
    flags_ = Le16(h + 2);
    method_ = Le16(h + 4);
    crc_expected_ = Le32(h + 10);
    csize_ = Le32(h + 14);
    usize_ = Le32(h + 18);
    size_t nlen = Le16(h + 22), xlen = Le16(h + 24);
    name_len_ = nlen;
    st_ = kNameExtra;
    g_.Start(nlen + xlen);
    if (nlen + xlen == 0) NameExtra();
  }

  void NameExtra() {
    ++entries_;
    const std::string& b = g_.buf;
    name_ = b.substr(0, name_len_);
    zip64_ = false;
    // Zip64 extra field (id 1): 8-byte sizes for the fields that are 0xFFFFFFFF.
    const uint8_t* x = g_.data() + name_len_;
    size_t xl = b.size() - name_len_;
    for (size_t i = 0; i + 4 <= xl;) {
      uint32_t id = Le16(x + i), len = Le16(x + i + 2);
      if (i + 4 + len > xl) break;
      if (id == 1) {
        zip64_ = true;
        size_t k = i + 4;
        if (usize_ == 0xFFFFFFFFu && k + 8 <= i + 4 + len) usize_ = Le64(x + k), k += 8;
        if (csize_ == 0xFFFFFFFFu && k + 8 <= i + 4 + len) csize_ = Le64(x + k), k += 8;
      }
      i += 4 + len;
    }
    const bool descriptor = flags_ & 8;
    size_known_ = !descriptor;
    const bool dir = !name_.empty() && (name_.back() == '/' || name_.back() == '\\');
    std::string path;
    bool safe = NormalizeMemberPath(name_, true, &path);
    std::string why;
    if (!safe)
      why = "unsafe path";
    else if (flags_ & 1)
      why = "encrypted";
    else if (method_ != 0 && method_ != 8)
      why = "unsupported compression method " + std::to_string(method_);
    deliver_ = why.empty() && !dir && !path.empty();
    if (!why.empty()) a_->warnings.push_back("skipped zip member " + Quote(name_) + ": " + why);

    if (descriptor && method_ == 0 && dir) {
      // A directory entry has no data: its descriptor follows at once.
      deliver_ = false;
      st_ = kDescriptor;
      g_.Start(4);
      return;
    }
    if (descriptor && method_ != 8) {
      // Only deflate marks its own end; a stored member's length is then nowhere
      // before its data, and the central directory is at the far end.
      a_->Fail(
          "zip member " + Quote(name_) +
          " is stored with a data descriptor: its size is not in the local header, so the zip cannot be read "
          "as a stream (re-create the zip with compression, or unzip it and open the folder)");
      return;
    }
    if (!deliver_ && !descriptor) {
      remaining_ = csize_;
      if (remaining_ == 0)
        Next();
      else
        st_ = kSkip;
      return;
    }
    crc_ = crc32(0, nullptr, 0);
    if (deliver_) a_->Begin(path, descriptor ? ArchiveReader::kUnknownSize : usize_);
    if (method_ == 0) {
      remaining_ = csize_;
      st_ = kStored;
      if (remaining_ == 0) EndEntry(crc_expected_);
    } else {
      inflateReset(&zs_);
      remaining_ = csize_;
      st_ = kDeflate;
    }
  }

  void Output(const uint8_t* p, size_t n) {
    if (n == 0) return;
    crc_ = crc32(crc_, p, static_cast<uInt>(n));
    if (method_ != 0 && !a_->Inflated(n)) return;
    if (deliver_) a_->Data(p, n);
  }

  size_t Inflate(const uint8_t* p, size_t n) {
    size_t avail = size_known_ ? static_cast<size_t>(std::min<uint64_t>(remaining_, n)) : n;
    zs_.next_in = const_cast<Bytef*>(p);
    zs_.avail_in = static_cast<uInt>(avail);
    bool ended = false;
    while (!a_->failed) {
      zs_.next_out = buf_.data();
      zs_.avail_out = static_cast<uInt>(buf_.size());
      int ret = inflate(&zs_, Z_NO_FLUSH);
      Output(buf_.data(), buf_.size() - zs_.avail_out);
      if (a_->failed) break;
      if (ret == Z_STREAM_END) {
        ended = true;
        break;
      }
      if (ret == Z_BUF_ERROR) break;
      if (ret != Z_OK) {
        a_->Fail("zip member " + Quote(name_) + " has corrupt deflate data (" +
                 (zs_.msg ? zs_.msg : "zlib error") + ")");
        break;
      }
      if (zs_.avail_in == 0 && zs_.avail_out != 0) break;
    }
    size_t used = avail - zs_.avail_in;
    if (a_->failed) return used;
    if (size_known_) remaining_ -= used;
    if (ended) {
      if (!size_known_) {
        st_ = kDescriptor;
        g_.Start(4);
      } else {
        EndEntry(crc_expected_);
        if (remaining_ > 0) st_ = kSkip;  // slack after the deflate end: skip it
      }
    } else if (size_known_ && remaining_ == 0) {
      a_->Fail("zip member " + Quote(name_) + ": deflate data ends before its end marker");
    }
    return used;
  }

  void EndEntry(uint32_t expected_crc) {
    if (deliver_) {
      if (crc_ != expected_crc) {
        a_->End(false, "zip member " + Quote(name_) + " fails its CRC check");
      } else {
        a_->End(true, "");
      }
    }
    Next();
  }

  ArchiveReader::Impl* a_;
  z_stream zs_;
  std::vector<uint8_t> buf_;
  State st_ = kSig;
  Gather g_;
  uint64_t offset_ = 0;  // zip offset of the next unread byte
  uint64_t entries_ = 0;
  uint32_t flags_ = 0, method_ = 0, crc_expected_ = 0;
  uint64_t csize_ = 0, usize_ = 0, remaining_ = 0;
  size_t name_len_ = 0;
  std::string name_;
  bool zip64_ = false, size_known_ = true, deliver_ = false;
  uLong crc_ = 0;
};

}  // namespace

std::unique_ptr<ByteLayer> MakeZipParser(ArchiveReader::Impl* a) { return std::make_unique<ZipParser>(a); }

}  // namespace archive_internal
}  // namespace tbview
