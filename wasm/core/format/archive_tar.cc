// The tar layer of ArchiveReader: ustar and GNU headers, GNU long names ('L'),
// pax extended headers ('x': path and size). See archive.h for the rules.
#include <cstring>

#include "archive_internal.h"

namespace tbview {
namespace archive_internal {
namespace {

// Largest GNU long name or pax header accepted (real ones are a few hundred bytes).
constexpr uint64_t kMaxTarMetaBytes = 1 << 20;

// Octal (NUL/space padded) or GNU base-256 numeric field. False on overflow.
bool TarNumber(const uint8_t* f, size_t n, uint64_t* out) {
  uint64_t v = 0;
  if (f[0] & 0x80) {                // base-256, big-endian, first byte's high bit is the flag
    if (f[0] & 0x40) return false;  // negative
    for (size_t i = 0; i < n; ++i) {
      uint8_t c = i == 0 ? (f[0] & 0x3f) : f[i];
      if (v >> 56) return false;
      v = v << 8 | c;
    }
    *out = v;
    return true;
  }
  size_t i = 0;
  while (i < n && f[i] == ' ') ++i;
  for (; i < n && f[i] >= '0' && f[i] <= '7'; ++i) {
    if (v >> 61) return false;
    v = v * 8 + (f[i] - '0');
  }
  *out = v;
  return true;
}

std::string CString(const uint8_t* p, size_t n) {
  size_t len = 0;
  while (len < n && p[len]) ++len;
  return std::string(reinterpret_cast<const char*>(p), len);
}

class TarParser : public ByteLayer {
 public:
  explicit TarParser(ArchiveReader::Impl* a) : a_(a) { g_.Start(512); }

  void Feed(const uint8_t* p, size_t n) override {
    const uint8_t* end = p + n;
    while (p < end && !a_->failed) {
      switch (st_) {
        case kHeader:
          if (!g_.Fill(&p, end)) break;
          Header(g_.data());
          break;
        case kData: {
          size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, end - p));
          a_->Data(p, take);
          p += take;
          offset_ += take;
          remaining_ -= take;
          if (remaining_ == 0) {
            a_->End(true, "");
            Skip(pad_);
          }
          break;
        }
        case kMeta:
          if (!g_.Fill(&p, end)) break;
          offset_ += g_.buf.size();
          Meta();
          Skip(pad_);
          break;
        case kSkip: {
          size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, end - p));
          p += take;
          offset_ += take;
          remaining_ -= take;
          if (remaining_ == 0) StartHeader();
          break;
        }
        case kEnd: return;  // everything after the end-of-archive block is ignored
      }
    }
  }

  void Finish() override {
    switch (st_) {
      case kHeader:
        if (!g_.buf.empty()) a_->Fail("tar ends inside a header at offset " + std::to_string(offset_));
        break;
      case kData:
        a_->Fail("tar member " + Quote(a_->member_path) + " claims " + std::to_string(size_) +
                 " bytes but the archive ends after " + std::to_string(size_ - remaining_));
        break;
      case kMeta: a_->Fail("tar ends inside an extended header at offset " + std::to_string(offset_)); break;
      case kSkip:
        if (remaining_ > pad_) {
          a_->warnings.push_back("tar ends inside a skipped entry at offset " + std::to_string(offset_));
        }
        break;
      case kEnd: break;
    }
  }

 private:
  enum State { kHeader, kData, kMeta, kSkip, kEnd };

  void StartHeader() {
    st_ = kHeader;
    g_.Start(512);
  }
  void Skip(uint64_t n) {
    if (n == 0) {
      StartHeader();
    } else {
      st_ = kSkip;
      remaining_ = n;
    }
  }

  void Header(const uint8_t* b) {
    const uint64_t header_offset = offset_;
    offset_ += 512;
    if (AllZero(b, 512)) {
      st_ = kEnd;  // end-of-archive marker
      return;
    }
    if (!TarChecksumOk(b)) {
      a_->Fail("not a tar header at offset " + std::to_string(header_offset) + " (bad checksum)");
      return;
    }
    uint64_t size = 0;
    if (!TarNumber(b + 124, 12, &size)) {
      a_->Fail("tar header at offset " + std::to_string(header_offset) + " has an unreadable size");
      return;
    }
    if (has_pax_size_) size = pax_size_;
    has_pax_size_ = false;
    size_ = size;
    pad_ = (512 - size % 512) % 512;
    const char type = static_cast<char>(b[156]);
    if (type == 'L' || type == 'x' || type == 'K') {
      if (size > kMaxTarMetaBytes) {
        a_->Fail("tar extended header at offset " + std::to_string(header_offset) + " claims " +
                 std::to_string(size) + " bytes (more than " + std::to_string(kMaxTarMetaBytes) + ")");
        return;
      }
      meta_type_ = type;
      st_ = kMeta;
      g_.Start(static_cast<size_t>(size));
      if (size == 0) {
        Meta();
        Skip(pad_);
      }
      return;
    }
    std::string name;
    if (!pax_path_.empty()) {
      name = std::move(pax_path_);
    } else if (!long_name_.empty()) {
      name = std::move(long_name_);
    } else {
      name = CString(b, 100);
      if (std::memcmp(b + 257, "ustar", 5) == 0) {
        std::string prefix = CString(b + 345, 155);
        if (!prefix.empty()) name = prefix + "/" + name;
      }
    }
    pax_path_.clear();
    long_name_.clear();
    const bool regular = (type == '0' || type == '\0' || type == '7') && !(name.size() && name.back() == '/');
    if (!regular) {  // directory, link, device, fifo, global pax header, ...
      Skip(size + pad_);
      return;
    }
    std::string path;
    if (!NormalizeMemberPath(name, false, &path)) {
      a_->warnings.push_back("skipped tar member " + Quote(name) + ": unsafe path");
      Skip(size + pad_);
      return;
    }
    if (path.empty()) {
      Skip(size + pad_);
      return;
    }
    a_->Begin(path, size);
    if (size == 0) {
      a_->End(true, "");
      Skip(pad_);
      return;
    }
    st_ = kData;
    remaining_ = size;
  }

  // A GNU long name ('L'), long link name ('K', ignored) or pax header ('x').
  void Meta() {
    const std::string& m = g_.buf;
    if (meta_type_ == 'L') {
      long_name_ = CString(g_.data(), m.size());
      return;
    }
    if (meta_type_ != 'x') return;
    // Records: "<len> <key>=<value>\n", len counting the whole record.
    size_t i = 0;
    while (i < m.size()) {
      size_t sp = m.find(' ', i);
      if (sp == std::string::npos) break;
      uint64_t len = 0;
      for (size_t k = i; k < sp; ++k) {
        if (m[k] < '0' || m[k] > '9') return;
        len = len * 10 + (m[k] - '0');
        if (len > m.size()) return;
      }
      if (len == 0 || i + len > m.size() || len < sp - i + 2) return;
      std::string_view rec(m.data() + sp + 1, i + len - sp - 2);  // without the '\n'
      size_t eq = rec.find('=');
      if (eq != std::string_view::npos) {
        std::string_view key = rec.substr(0, eq), value = rec.substr(eq + 1);
        if (key == "path") pax_path_ = std::string(value);
        if (key == "size") {
          uint64_t v = 0;
          bool ok = !value.empty();
          for (char c : value) {
            if (c < '0' || c > '9' || v > (~uint64_t{0}) / 10 - 10) {
              ok = false;
              break;
            }
            v = v * 10 + (c - '0');
          }
          if (ok) {
            pax_size_ = v;
            has_pax_size_ = true;
          }
        }
      }
      i += len;
    }
  }

  ArchiveReader::Impl* a_;
  State st_ = kHeader;
  Gather g_;
  uint64_t offset_ = 0;     // tar stream offset of the next byte
  uint64_t size_ = 0;       // current entry's claimed size
  uint64_t remaining_ = 0;  // of the data (kData) or of the bytes to skip (kSkip)
  uint64_t pad_ = 0;
  char meta_type_ = 0;
  std::string long_name_, pax_path_;
  uint64_t pax_size_ = 0;
  bool has_pax_size_ = false;
};

}  // namespace

std::unique_ptr<ByteLayer> MakeTarParser(ArchiveReader::Impl* a) { return std::make_unique<TarParser>(a); }

}  // namespace archive_internal
}  // namespace tbview
