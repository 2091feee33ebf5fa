// Streaming gzip / tar / zip readers (see archive.h for the contract).
//
// Structure: ArchiveReader::Impl owns the member bookkeeping (open member,
// limits, errors) and up to two layers:
//   kGzip: Gunzip -> (first 512 bytes decide) TarParser, or one plain member
//   kTar:  TarParser
//   kZip:  ZipParser (inflates deflated members itself)
// Each layer is a small state machine fed whatever bytes arrive; anything it
// must see whole (a 512-byte tar header, a zip local header) is gathered into a
// small buffer of a fixed, format-given size. No buffer is ever sized from a
// claimed member size.
#include "archive.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace tbview {

namespace {

constexpr size_t kOutBuffer = 64 * 1024;
// The ratio limit applies only once this much has come out (limits.h).
constexpr uint64_t kRatioFloor = 16ull << 20;
// Largest GNU long name or pax header accepted (real ones are a few hundred bytes).
constexpr uint64_t kMaxTarMetaBytes = 1 << 20;

inline uint32_t Le16(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8; }
inline uint32_t Le32(const uint8_t* p) { return Le16(p) | Le16(p + 2) << 16; }
inline uint64_t Le64(const uint8_t* p) { return uint64_t(Le32(p)) | uint64_t(Le32(p + 4)) << 32; }

// Gathers exactly `want` bytes across pushes of any size.
struct Gather {
  std::string buf;
  size_t want = 0;
  void Start(size_t n) {
    buf.clear();
    want = n;
  }
  // Takes what it still needs from [*p, end); true once complete.
  bool Fill(const uint8_t** p, const uint8_t* end) {
    size_t take = std::min(want - buf.size(), static_cast<size_t>(end - *p));
    buf.append(reinterpret_cast<const char*>(*p), take);
    *p += take;
    return buf.size() == want;
  }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(buf.data()); }
};

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// A tar header's checksum: the byte sum with the checksum field read as spaces.
// Accepts the signed-char sum some old tars wrote.
bool TarChecksumOk(const uint8_t* b) {
  uint64_t stored = 0;
  bool any = false;
  for (int i = 148; i < 156; ++i) {
    if (b[i] >= '0' && b[i] <= '7') {
      stored = stored * 8 + (b[i] - '0');
      any = true;
    } else if (any || (b[i] != ' ' && b[i] != 0)) {
      break;
    }
  }
  if (!any) return false;
  int64_t usum = 0, ssum = 0;
  for (int i = 0; i < 512; ++i) {
    uint8_t c = (i >= 148 && i < 156) ? ' ' : b[i];
    usum += c;
    ssum += static_cast<int8_t>(c);
  }
  return static_cast<uint64_t>(usum) == stored || static_cast<uint64_t>(ssum) == stored;
}

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) if (p[i]) return false;
  return true;
}

// Octal (NUL/space padded) or GNU base-256 numeric field. False on overflow.
bool TarNumber(const uint8_t* f, size_t n, uint64_t* out) {
  uint64_t v = 0;
  if (f[0] & 0x80) {  // base-256, big-endian, first byte's high bit is the flag
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

}  // namespace

bool NormalizeMemberPath(std::string_view path, bool backslash_is_separator, std::string* out) {
  out->clear();
  std::string p(path);
  if (backslash_is_separator) std::replace(p.begin(), p.end(), '\\', '/');
  if (!p.empty() && p[0] == '/') return false;  // absolute
  size_t i = 0;
  bool first = true;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string_view part(p.data() + i, j - i);
    if (part == "..") return false;
    // A drive letter ("C:") as the first component is an absolute Windows path.
    if (first && part.size() == 2 && part[1] == ':' && std::isalpha(static_cast<unsigned char>(part[0])))
      return false;
    if (!part.empty() && part != ".") {
      if (!out->empty()) out->push_back('/');
      out->append(part);
      first = false;
    }
    i = j + 1;
  }
  return true;
}

// ------------------------------------------------------------------ Impl

class Gunzip;
class TarParser;
class ZipParser;

struct ArchiveReader::Impl {
  Impl(ContentKind k, Sink* s, const Limits& l) : kind(k), sink(s), limits(l) {}
  ~Impl();

  ContentKind kind;
  Sink* sink;
  Limits limits;
  bool failed = false;
  bool limit_reached = false;
  std::string error;
  std::vector<std::string> warnings;
  const char* format = "?";
  uint64_t members = 0;
  uint64_t in = 0;   // archive bytes pushed
  uint64_t out = 0;  // member bytes delivered
  uint64_t inflated = 0;  // bytes produced by decompression (the limits' measure)
  bool member_open = false;
  std::string member_path;

  std::unique_ptr<Gunzip> gunzip;
  std::unique_ptr<TarParser> tar;
  std::unique_ptr<ZipParser> zip;
  // gzip content: undecided until 512 bytes (one tar header) came out.
  enum { kUndecided, kTarContent, kPlain } gz_content = kUndecided;
  std::string gz_head;

  void Fail(std::string message, bool is_limit = false) {
    if (failed) return;
    failed = true;
    limit_reached = is_limit;
    error = std::move(message);
    if (member_open) End(false, error);
  }
  void Begin(std::string_view path, uint64_t claim) {
    member_open = true;
    member_path = std::string(path);
    sink->BeginMember(path, claim);
  }
  void Data(const uint8_t* p, size_t n) {
    if (n == 0) return;
    out += n;
    sink->MemberData(p, n);
  }
  void End(bool ok, std::string_view message) {
    if (!member_open) return;
    member_open = false;
    ++members;
    sink->EndMember(ok, message);
  }
  // Accounts `n` decompressed bytes against the limits; false (failed) when over.
  bool Inflated(size_t n) {
    inflated += n;
    if (inflated > limits.max_decompressed_bytes) {
      Fail("decompressed size exceeds max_decompressed_bytes (" + std::to_string(limits.max_decompressed_bytes) +
               " bytes)",
           true);
      return false;
    }
    if (inflated > kRatioFloor && static_cast<double>(inflated) > limits.max_decompression_ratio * static_cast<double>(in)) {
      Fail("decompression ratio exceeds max_decompression_ratio (" + std::to_string(limits.max_decompression_ratio) +
               "): " + std::to_string(inflated) + " bytes out of " + std::to_string(in) + " (a zip bomb?)",
           true);
      return false;
    }
    return true;
  }
  // Decompressed gzip content goes here.
  void OnGunzipped(const uint8_t* p, size_t n);
  void FinishGunzipped();
};

// ------------------------------------------------------------------ tar

class TarParser {
 public:
  explicit TarParser(ArchiveReader::Impl* a) : a_(a) { g_.Start(512); }

  void Feed(const uint8_t* p, size_t n) {
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
        case kEnd:
          return;  // everything after the end-of-archive block is ignored
      }
    }
  }

  void Finish() {
    switch (st_) {
      case kHeader:
        if (!g_.buf.empty()) a_->Fail("tar ends inside a header at offset " + std::to_string(offset_));
        break;
      case kData:
        a_->Fail("tar member " + Quote(a_->member_path) + " claims " + std::to_string(size_) +
                 " bytes but the archive ends after " + std::to_string(size_ - remaining_));
        break;
      case kMeta:
        a_->Fail("tar ends inside an extended header at offset " + std::to_string(offset_));
        break;
      case kSkip:
        if (remaining_ > pad_) {
          a_->warnings.push_back("tar ends inside a skipped entry at offset " + std::to_string(offset_));
        }
        break;
      case kEnd:
        break;
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
            if (c < '0' || c > '9' || v > (~uint64_t{0}) / 10 - 10) { ok = false; break; }
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

// ------------------------------------------------------------------ gzip

// Inflates gzip members one after another (concatenated members are one
// stream, as gunzip reads them); bytes after the last member that do not start
// another one are ignored with a warning.
class Gunzip {
 public:
  explicit Gunzip(ArchiveReader::Impl* a) : a_(a), buf_(kOutBuffer) {
    std::memset(&zs_, 0, sizeof(zs_));
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) a_->Fail("gzip: cannot initialize zlib");
  }
  ~Gunzip() { inflateEnd(&zs_); }

  void Feed(const uint8_t* p, size_t n) {
    const uint8_t* end = p + n;
    while (p < end && !a_->failed) {
      if (st_ == kTrailing) {
        if (!AllZero(p, end - p)) NoteTrailing();
        return;
      }
      if (st_ == kBetween) {
        while (p < end && magic_.size() < 2) magic_.push_back(static_cast<char>(*p++));
        if (magic_.size() < 2) return;
        if (static_cast<uint8_t>(magic_[0]) == 0x1f && static_cast<uint8_t>(magic_[1]) == 0x8b) {
          st_ = kStream;
          std::string m = std::move(magic_);
          magic_.clear();
          Inflate(reinterpret_cast<const uint8_t*>(m.data()), m.size());
        } else {
          st_ = kTrailing;
          if (!AllZero(reinterpret_cast<const uint8_t*>(magic_.data()), 2)) NoteTrailing();
        }
        continue;
      }
      const size_t used = Inflate(p, end - p);
      if (used == 0 && st_ == kStream) break;  // no progress possible (cannot happen with input; a guard)
      p += used;
    }
  }

  void Finish() {
    if (a_->failed) return;
    if (st_ == kStream) {
      a_->Fail(a_->in == 0 ? std::string("gzip: empty input")
                           : "gzip data is cut short: the stream ends before its end marker (after " +
                                 std::to_string(a_->in) + " compressed bytes)");
    } else if (st_ == kBetween && !magic_.empty() && !AllZero(reinterpret_cast<const uint8_t*>(magic_.data()), magic_.size())) {
      NoteTrailing();
    }
  }

 private:
  enum State { kStream, kBetween, kTrailing };

  void NoteTrailing() {
    if (noted_trailing_) return;
    noted_trailing_ = true;
    a_->warnings.push_back("ignored bytes after the end of the gzip data");
  }

  // Inflates from `p`; returns the bytes consumed (all of them unless a member
  // ended inside).
  size_t Inflate(const uint8_t* p, size_t n) {
    zs_.next_in = const_cast<Bytef*>(p);
    zs_.avail_in = static_cast<uInt>(n);  // pushes are split below 4 GiB by the caller
    while (!a_->failed) {
      zs_.next_out = buf_.data();
      zs_.avail_out = static_cast<uInt>(buf_.size());
      int ret = inflate(&zs_, Z_NO_FLUSH);
      size_t produced = buf_.size() - zs_.avail_out;
      if (produced) {
        if (!a_->Inflated(produced)) break;
        a_->OnGunzipped(buf_.data(), produced);
      }
      if (ret == Z_STREAM_END) {
        inflateReset(&zs_);
        st_ = kBetween;
        break;
      }
      if (ret == Z_BUF_ERROR) break;  // needs more input
      if (ret != Z_OK) {
        a_->Fail(std::string("gzip data is corrupt (") + (zs_.msg ? zs_.msg : "zlib error") + ") near compressed offset " +
                 std::to_string(a_->in - (zs_.avail_in)));
        break;
      }
      if (zs_.avail_in == 0 && zs_.avail_out != 0) break;
    }
    return n - zs_.avail_in;
  }

  ArchiveReader::Impl* a_;
  z_stream zs_;
  std::vector<uint8_t> buf_;
  State st_ = kStream;
  std::string magic_;
  bool noted_trailing_ = false;
};

void ArchiveReader::Impl::OnGunzipped(const uint8_t* p, size_t n) {
  if (gz_content == kTarContent) {
    tar->Feed(p, n);
    return;
  }
  if (gz_content == kPlain) {
    Data(p, n);
    return;
  }
  size_t take = std::min(n, 512 - gz_head.size());
  gz_head.append(reinterpret_cast<const char*>(p), take);
  if (gz_head.size() < 512) return;
  // One full block: a tar header decides tar.gz.
  std::string head = std::move(gz_head);
  gz_head.clear();
  if (TarChecksumOk(reinterpret_cast<const uint8_t*>(head.data()))) {
    gz_content = kTarContent;
    format = "tar.gz";
    tar.reset(new TarParser(this));
    tar->Feed(reinterpret_cast<const uint8_t*>(head.data()), head.size());
    if (!failed) tar->Feed(p + take, n - take);
  } else {
    gz_content = kPlain;
    Begin("", ArchiveReader::kUnknownSize);
    Data(reinterpret_cast<const uint8_t*>(head.data()), head.size());
    Data(p + take, n - take);
  }
}

void ArchiveReader::Impl::FinishGunzipped() {
  if (failed) return;
  if (gz_content == kUndecided) {  // less than one tar block came out: plain data
    gz_content = kPlain;
    Begin("", ArchiveReader::kUnknownSize);
    Data(reinterpret_cast<const uint8_t*>(gz_head.data()), gz_head.size());
    gz_head.clear();
  }
  if (gz_content == kTarContent) {
    tar->Finish();
  } else {
    End(true, "");
  }
}

// ------------------------------------------------------------------ zip

// Reads a zip front to back by its local headers (the central directory at the
// end is not needed, so the archive streams).
class ZipParser {
 public:
  explicit ZipParser(ArchiveReader::Impl* a) : a_(a), buf_(kOutBuffer) {
    std::memset(&zs_, 0, sizeof(zs_));
    if (inflateInit2(&zs_, -15) != Z_OK) a_->Fail("zip: cannot initialize zlib");
    g_.Start(4);
  }
  ~ZipParser() { inflateEnd(&zs_); }

  void Feed(const uint8_t* p, size_t n) {
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
        case kEnd:
          offset_ += end - p;
          return;  // central directory and whatever follows: not needed
      }
      offset_ += p - before;
    }
  }

  void Finish() {
    if (a_->failed) return;
    switch (st_) {
      case kSig:
        if (!g_.buf.empty()) a_->Fail("zip ends inside a header at offset " + std::to_string(offset_));
        else if (entries_ == 0) a_->Fail("zip holds no entries (no local file header)");
        break;
      case kEnd:
        break;
      case kLocal:
      case kNameExtra:
        a_->Fail("zip ends inside a local header at offset " + std::to_string(offset_));
        break;
      case kStored:
      case kDeflate:
      case kSkip:
      case kDescriptor:
        a_->Fail("zip member " + Quote(name_) + " is cut short: the archive ends inside it (offset " +
                 std::to_string(offset_) + (size_known_ ? ", claimed " + std::to_string(csize_) + " compressed bytes)" : ")"));
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
    a_->Fail("not a zip local header at offset " + std::to_string(offset_ - 4) + " (the zip is corrupt or truncated)");
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
    if (!safe) why = "unsafe path";
    else if (flags_ & 1) why = "encrypted";
    else if (method_ != 0 && method_ != 8) why = "unsupported compression method " + std::to_string(method_);
    deliver_ = why.empty() && !dir && !path.empty();
    if (!why.empty()) a_->warnings.push_back("skipped zip member " + Quote(name_) + ": " + why);

    if (descriptor && method_ != 8) {
      // Only deflate marks its own end; a stored member's length is then nowhere
      // before its data, and the central directory is at the far end.
      a_->Fail("zip member " + Quote(name_) +
               " is stored with a data descriptor: its size is not in the local header, so the zip cannot be read "
               "as a stream (re-create the zip with compression, or unzip it and open the folder)");
      return;
    }
    if (!deliver_ && !descriptor) {
      remaining_ = csize_;
      if (remaining_ == 0) Next(); else st_ = kSkip;
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
        a_->Fail("zip member " + Quote(name_) + " has corrupt deflate data (" + (zs_.msg ? zs_.msg : "zlib error") + ")");
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

// ------------------------------------------------------------------ ArchiveReader

ArchiveReader::Impl::~Impl() = default;

ArchiveReader::ArchiveReader(ContentKind kind, Sink* sink, const Limits& limits)
    : impl_(new Impl(kind, sink, limits)) {
  Impl* a = impl_.get();
  switch (kind) {
    case ContentKind::kGzip:
      a->format = "gzip";
      a->gunzip.reset(new Gunzip(a));
      break;
    case ContentKind::kTar:
      a->format = "tar";
      a->tar.reset(new TarParser(a));
      break;
    case ContentKind::kZip:
      a->format = "zip";
      a->zip.reset(new ZipParser(a));
      break;
    default:
      a->Fail("not an archive");
  }
}

ArchiveReader::~ArchiveReader() = default;

void ArchiveReader::Push(const uint8_t* data, size_t size) {
  Impl* a = impl_.get();
  // zlib counts in 32 bits: hand over at most 1 GiB at a time.
  while (size > 0 && !a->failed) {
    size_t n = std::min<size_t>(size, 1u << 30);
    a->in += n;
    if (a->gunzip) {
      a->gunzip->Feed(data, n);
    } else if (a->tar) {
      a->tar->Feed(data, n);
    } else if (a->zip) {
      a->zip->Feed(data, n);
    }
    data += n;
    size -= n;
  }
}

void ArchiveReader::Finish() {
  Impl* a = impl_.get();
  if (a->failed) return;
  if (a->gunzip) {
    a->gunzip->Finish();
    a->FinishGunzipped();
  } else if (a->tar) {
    a->tar->Finish();
  } else if (a->zip) {
    a->zip->Finish();
  }
}

bool ArchiveReader::failed() const { return impl_->failed; }
bool ArchiveReader::limit_reached() const { return impl_->limit_reached; }
const std::string& ArchiveReader::error() const { return impl_->error; }
const std::vector<std::string>& ArchiveReader::warnings() const { return impl_->warnings; }
const char* ArchiveReader::format_name() const { return impl_->format; }
uint64_t ArchiveReader::members() const { return impl_->members; }
uint64_t ArchiveReader::bytes_in() const { return impl_->in; }
uint64_t ArchiveReader::bytes_out() const { return impl_->out; }

}  // namespace tbview
