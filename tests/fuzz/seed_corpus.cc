// Builds the fuzzers' seed corpus: `tbview_fuzz_seeds OUTDIR [CORPUS_FILES_DIR]`
// writes OUTDIR/<target>/seed-N for every target of tests/fuzz/*_fuzz.cc, each
// seed already carrying the config bytes its harness reads first (see
// fuzz_harness.h). Seeds come from event files written here with EventWriter
// (every kind of value) and from the real logs of the corpus (their first bytes
// and records, kept small so executions stay fast): CORPUS_FILES_DIR when given,
// else the files/ of the corpus that tests/support/corpus.h locates, when present.
// Seeds are inputs only; nothing is kept in the repo.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "record_reader.h"
#include "support/archives.h"
#include "support/corpus.h"
#include "support/files.h"
#include "writer.h"

namespace fs = std::filesystem;
using namespace tbview;

namespace {

constexpr size_t kMaxSeed = 64 << 10;

struct Out {
  fs::path dir;
  std::set<std::string> seen;
  int n = 0;
  void Add(const std::string& bytes) {
    if (bytes.size() > kMaxSeed + 16 || !seen.insert(bytes).second) return;
    std::ofstream(dir / ("seed-" + std::to_string(n++)), std::ios::binary) << bytes;
  }
};

std::string Generated() {
  EventWriter w;
  w.WriteFileVersion(1.0);
  const uint8_t pixels[12] = {0, 50, 100, 150, 200, 250, 1, 2, 3, 4, 5, 6};
  for (int step = 0; step < 3; ++step) {
    const double t = 1e9 + step;
    w.WriteScalar(t, step, "loss", 1.0f / (step + 1));
    w.WriteTensorScalar(t, step, "acc", 0.5f + step);
    w.WriteHistogram(t, step, "h", {1.0, 2.0, 2.5, -1.0});
    w.WriteHistogramTensor(t, step, "h2", {{0, 1, 2}, {1, 2, 3}});
    w.WriteImage(t, step, "img", pixels, 2, 2, 3);
    w.WriteAudio(t, step, "snd", {0.1f, -0.2f, 0.3f}, 1, 8000.0f);
    w.WriteText(t, step, "note", "*hi*");
    w.WriteTextTensor(t, step, "table", {"a", "b", "c", "d"}, {2, 2});
    w.WritePrCurve(t, step, "pr", std::vector<float>(12, 0.5f));
    w.WriteLogMessage(t, step, proto::LogMessage::WARN, "careful");
  }
  w.WriteSessionLog(2e9, 3);
  w.WriteGraphDef(2e9, "graph bytes");
  w.WriteTaggedRunMetadata(2e9, 3, "meta", "run metadata");
  w.WriteScalar(2e9, 1, "loss", 9.0f);  // a restart
  return w.Take();
}

std::vector<std::string> Records(const std::string& file, size_t max) {
  std::vector<std::string> out;
  RecordReader r;
  r.push(reinterpret_cast<const uint8_t*>(file.data()), file.size());
  std::string_view p;
  while (out.size() < max && r.next(&p) == RecordReader::Status::kRecord) out.emplace_back(p);
  return out;
}

std::string Prefixed(std::string prefix, const std::string& bytes) {
  return prefix + bytes.substr(0, kMaxSeed);
}

void AddFile(std::vector<Out>& outs, const std::string& file, bool is_event_file) {
  Out& rr = outs[0];
  Out& ev = outs[1];
  Out& te = outs[2];
  Out& ar = outs[3];
  Out& ld = outs[4];
  rr.Add(Prefixed(std::string("\x00\x03", 2), file));
  rr.Add(Prefixed(std::string("\x81\x02", 2), file));
  ld.Add(Prefixed(std::string("\x00\x03\x80", 3), file));
  ld.Add(Prefixed(std::string("\xff\x01\xff", 3), file));
  if (!is_event_file) return;
  for (const std::string& payload : Records(file, 40)) {
    ev.Add(payload);
    proto::Event e;
    if (!e.ParseFromString(payload)) continue;
    for (const auto& v : e.summary().value()) {
      if (v.has_tensor()) te.Add(std::string("\x10", 1) + v.tensor().SerializeAsString());
    }
  }
  const std::string small = file.substr(0, 16 << 10);
  const std::string tar = test::TarEntry("run/events.out.tfevents.1", small) + test::TarEnd();
  const std::string zip = test::Zip({{"a/events.out.tfevents.2", small}, {"b/x.txt", "text", 0}});
  ar.Add(std::string("\x00\x03", 2) + test::Gzip(small));
  ar.Add(std::string("\x00\x02", 2) + test::Gzip(tar));
  ar.Add(std::string("\x01\x03", 2) + tar);
  ar.Add(std::string("\x02\x03", 2) + zip);
  ld.Add(std::string("\x08\x03\x80", 3) + test::Gzip(tar));
  ld.Add(std::string("\x10\x02\x80", 3) + zip);
  ld.Add(std::string("\x18\x00\x80", 3) + test::Gzip(small));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUTDIR [CORPUS_FILES_DIR]\n", argv[0]);
    return 2;
  }
  const char* names[] = {"record_reader", "event", "tensor", "archive", "logdir"};
  std::vector<Out> outs;
  for (const char* n : names) {
    Out o;
    o.dir = fs::path(argv[1]) / n;
    fs::create_directories(o.dir);
    outs.push_back(std::move(o));
  }
  AddFile(outs, Generated(), true);
  // Hand-made tensors: every encoding.
  proto::TensorProto t;
  t.set_dtype(proto::DT_HALF);
  t.mutable_tensor_shape()->add_dim()->set_size(2);
  t.add_half_val(0x3c00);
  outs[2].Add(std::string("\x08", 1) + t.SerializeAsString());
  t.Clear();
  t.set_dtype(proto::DT_COMPLEX64);
  t.mutable_tensor_shape()->add_dim()->set_size(1);
  t.add_scomplex_val(1);
  t.add_scomplex_val(2);
  outs[2].Add(std::string("\x08", 1) + t.SerializeAsString());
  t.Clear();
  t.set_dtype(proto::DT_INT64);
  t.mutable_tensor_shape()->add_dim()->set_size(2);
  t.set_tensor_content(std::string(16, '\x01'));
  outs[2].Add(std::string("\x08", 1) + t.SerializeAsString());
  t.Clear();
  t.set_dtype(proto::DT_STRING);
  t.mutable_tensor_shape()->add_dim()->set_size(3);
  t.add_string_val("abc");
  outs[2].Add(std::string("\x08", 1) + t.SerializeAsString());

  std::string corpus_files;
  if (argc > 2)
    corpus_files = argv[2];
  else if (test::HaveCorpus())
    corpus_files = test::CorpusDir() + "/files";
  if (corpus_files.empty() || !fs::is_directory(corpus_files)) {
    std::printf("seeds: no corpus at %s (set TBVIEW_CORPUS); generated seeds only\n",
                argc > 2 ? argv[2] : test::CorpusDir().c_str());
  } else {
    size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_files)) {
      if (!entry.is_regular_file()) continue;
      const std::string bytes = test::ReadHead(entry.path().string(), kMaxSeed * 4);
      if (bytes.empty()) continue;
      std::string payload;
      const bool events = Records(bytes, 1).size() == 1;
      AddFile(outs, bytes, events);
      const std::string name = entry.path().filename().string();
      if (name.size() > 4 && (name.rfind(".gz") == name.size() - 3 || name.rfind(".tgz") == name.size() - 4))
        outs[3].Add(std::string("\x00\x03", 2) + bytes.substr(0, kMaxSeed));
      if (name.size() > 4 && name.rfind(".zip") == name.size() - 4)
        outs[3].Add(std::string("\x02\x03", 2) + bytes.substr(0, kMaxSeed));
      ++files;
    }
    std::printf("seeds: %zu corpus files read\n", files);
  }
  for (size_t i = 0; i < outs.size(); ++i) std::printf("seeds: %s %d\n", names[i], outs[i].n);
  return 0;
}
