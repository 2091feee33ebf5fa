// ArchiveReader: member bookkeeping, limits, the gzip layer and the API.
// The tar and zip layers are in archive_tar.cc and archive_zip.cc; what they
// share is in archive_internal.h (which also describes the structure).
#include "archive.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "archive_internal.h"

namespace tbview {

using namespace archive_internal;

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

namespace {

// Inflates gzip members one after another (concatenated members are one
// stream, as gunzip reads them); bytes after the last member that do not start
// another one are ignored with a warning.
class Gunzip : public ByteLayer {
 public:
  explicit Gunzip(ArchiveReader::Impl* a) : a_(a), buf_(kOutBuffer) {
    std::memset(&zs_, 0, sizeof(zs_));
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) a_->Fail("gzip: cannot initialize zlib");
  }
  ~Gunzip() { inflateEnd(&zs_); }

  void Feed(const uint8_t* p, size_t n) override {
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

  void Finish() override {
    if (a_->failed) return;
    if (st_ == kStream) {
      a_->Fail(a_->in == 0 ? std::string("gzip: empty input")
                           : "gzip data is cut short: the stream ends before its end marker (after " +
                                 std::to_string(a_->in) + " compressed bytes)");
    } else if (st_ == kBetween && !magic_.empty() &&
               !AllZero(reinterpret_cast<const uint8_t*>(magic_.data()), magic_.size())) {
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
        a_->Fail(std::string("gzip data is corrupt (") + (zs_.msg ? zs_.msg : "zlib error") +
                 ") near compressed offset " + std::to_string(a_->in - (zs_.avail_in)));
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

}  // namespace

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
    tar = archive_internal::MakeTarParser(this);
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

// ------------------------------------------------------------------ ArchiveReader

ArchiveReader::Impl::~Impl() = default;

ArchiveReader::ArchiveReader(ContentKind kind, Sink* sink, const Limits& limits)
    : impl_(new Impl(kind, sink, limits)) {
  Impl* a = impl_.get();
  switch (kind) {
    case ContentKind::kGzip:
      a->format = "gzip";
      a->gunzip = std::make_unique<Gunzip>(a);
      break;
    case ContentKind::kTar:
      a->format = "tar";
      a->tar = archive_internal::MakeTarParser(a);
      break;
    case ContentKind::kZip:
      a->format = "zip";
      a->zip = archive_internal::MakeZipParser(a);
      break;
    default: a->Fail("not an archive");
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
