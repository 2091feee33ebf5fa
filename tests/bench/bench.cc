// tbview_bench: load-throughput and memory figures for the native core.
//
// Generates synthetic logs with EventWriter (to files, in batches, so the
// generator's memory does not count), then loads each through a Logdir the way
// the browser worker does (4 MiB pushes) and prints:
//   - events/s and MB/s of the whole load (framing with both CRCs verified,
//     decoding, storing), and the same for framing only and framing + the
//     fast scalar decode only, so the cost of each stage can be read off;
//   - bytes retained per scalar point after Shrink();
//   - peak RSS (VmHWM, reset before each load through /proc/self/clear_refs).
// Times are thread CPU time (see Now()), so figures hold on a busy machine.
// Logs: legacy simple_value scalars, TF2 rank-0 tensor scalars (metadata on each
// tag's first value), and a mixed log of histograms, images and scalars.
//
// Usage: tbview_bench [--events N] [--tags K] [--chunk-mib M] [--only legacy|tensor|mixed]
//                     [--dir DIR] [--keep] [--file EVENT_FILE] [--no-breakdown]
//                     [--generate-only]
// --generate-only writes the logs (of --only's kinds, into --dir) and exits
// without loading them: the browser benchmark uses it to make its logdirs.
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "data_compat.h"
#include "logdir.h"
#include "record_reader.h"
#include "support/files.h"
#include "writer.h"

using namespace tbview;

namespace {

// Times are this thread's CPU time: on a shared machine (other builds running)
// wall-clock time measures the neighbours; CPU time measures the code.
double Now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
double WallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Peak resident set size in MiB (VmHWM), or -1.
double PeakRssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

double RssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0), so each phase's peak is its own.
void ResetPeakRss() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return;
  std::fputs("5", f);
  std::fclose(f);
}

struct Options {
  uint64_t events = 5000000;
  int tags = 100;
  size_t chunk = 4u << 20;
  std::string only;
  std::string dir;
  std::string file;  // bench this existing event file instead of generating
  bool keep = false;
  bool breakdown = true;  // also time framing only and framing + decode
  bool generate_only = false;
};

// Appends the writer's bytes to `out` and clears it (generation in batches).
void Flush(EventWriter* w, FILE* out) {
  const std::string& b = w->bytes();
  std::fwrite(b.data(), 1, b.size(), out);
  w->Clear();
}

std::vector<std::string> TagNames(int k) {
  std::vector<std::string> names;
  const char* groups[] = {"train", "eval", "optim", "grad_norm", "system"};
  for (int i = 0; i < k; ++i) names.push_back(std::string(groups[i % 5]) + "/metric_" + std::to_string(i));
  return names;
}

uint64_t GenerateScalars(const std::string& path, const Options& o, bool tensor) {
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) {
    std::perror(path.c_str());
    std::exit(1);
  }
  EventWriter w;
  w.WriteFileVersion(1.6e9);
  const std::vector<std::string> tags = TagNames(o.tags);
  for (uint64_t i = 0; i < o.events; ++i) {
    const int t = static_cast<int>(i % static_cast<uint64_t>(o.tags));
    const int64_t step = static_cast<int64_t>(i / static_cast<uint64_t>(o.tags));
    const double wall = 1.6e9 + static_cast<double>(step) * 0.05;
    const float v = static_cast<float>(std::exp(-step * 1e-4) + 0.01 * std::sin(static_cast<double>(i)));
    if (tensor) {
      w.WriteTensorScalar(wall, step, tags[t], v);
    } else {
      w.WriteScalar(wall, step, tags[t], v);
    }
    if ((i & 0xffff) == 0xffff) Flush(&w, out);
  }
  Flush(&w, out);
  std::fclose(out);
  return o.events + 1;  // + file_version
}

// Histograms, images and scalars: per step 2 histograms (legacy and TF2),
// 1 image (64x64 RGB PNG) and 10 scalars.
uint64_t GenerateMixed(const std::string& path, uint64_t steps) {
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) {
    std::perror(path.c_str());
    std::exit(1);
  }
  EventWriter w;
  w.WriteFileVersion(1.6e9);
  std::vector<double> samples;
  for (int i = 0; i < 1000; ++i) samples.push_back(std::sin(i * 0.37) * 3 + i * 0.001);
  const proto::HistogramProto histo = MakeHistogramProto(samples);
  const std::vector<HistogramBucket> buckets = MakeHistogramBuckets(samples, 30);
  std::vector<uint8_t> pixels(64 * 64 * 3);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>((i * 7) ^ (i >> 5));
  const std::vector<std::string> tags = TagNames(10);
  uint64_t events = 1;
  for (uint64_t s = 0; s < steps; ++s) {
    const double wall = 1.6e9 + s;
    const int64_t step = static_cast<int64_t>(s);
    w.WriteHistogramProto(wall, step, "weights/legacy", histo);
    w.WriteHistogramTensor(wall, step, "weights/tf2", buckets);
    if (s % 10 == 0) {
      w.WriteImage(wall, step, "samples/image", pixels.data(), 64, 64, 3);
      ++events;
    }
    for (const std::string& t : tags) w.WriteScalar(wall, step, t, static_cast<float>(s) * 0.1f);
    events += 2 + tags.size();
    if (s % 1000 == 999) Flush(&w, out);
  }
  Flush(&w, out);
  std::fclose(out);
  return events;
}

// Calls fn(chunk, n) for each chunk of the file; exits when it cannot be read.
template <typename Fn>
uint64_t ForEachChunk(const std::string& path, size_t chunk, Fn fn) {
  const int64_t total = test::ForEachFileChunk(path, chunk, fn);
  if (total < 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
  return static_cast<uint64_t>(total);
}

void Report(const char* what, double seconds, uint64_t events, uint64_t bytes) {
  std::printf("  %-34s %8.3f s  %8.2f M events/s  %8.1f MB/s\n", what, seconds, events / seconds / 1e6,
              bytes / seconds / 1e6);
}

void Bench(const std::string& name, const std::string& path, uint64_t events, const Options& o,
           bool breakdown) {
  std::printf("\n== %s: %llu events, %s\n", name.c_str(), static_cast<unsigned long long>(events),
              path.c_str());
  // Warm the page cache (and measure what reading alone costs).
  double t0 = Now();
  uint64_t sink = 0;
  uint64_t bytes = ForEachChunk(path, o.chunk, [&](const uint8_t* p, size_t n) { sink += p[n - 1]; });
  const double read_s = Now() - t0;
  t0 = Now();
  ForEachChunk(path, o.chunk, [&](const uint8_t* p, size_t n) { sink += p[n - 1]; });
  const double read2_s = Now() - t0;
  std::printf("  file: %.1f MB; reading it alone (page cache): %.3f s\n", bytes / 1e6,
              std::min(read_s, read2_s));

  if (breakdown && o.breakdown) {
    // Framing only: RecordReader with both CRCs.
    RecordReader reader(256u << 20);
    uint64_t records = 0;
    t0 = Now();
    ForEachChunk(path, o.chunk, [&](const uint8_t* p, size_t n) {
      reader.push(p, n);
      std::string_view payload;
      while (reader.next(&payload) == RecordReader::Status::kRecord) ++records;
    });
    const double framing_s = Now() - t0;
    Report("framing only (CRCs verified)", framing_s, records, bytes);

    // Framing + the fast scalar decode, no storing.
    RecordReader reader2(256u << 20);
    FastScalarEvent ev;
    uint64_t fast = 0;
    double acc = 0;
    t0 = Now();
    ForEachChunk(path, o.chunk, [&](const uint8_t* p, size_t n) {
      reader2.push(p, n);
      std::string_view payload;
      while (reader2.next(&payload) == RecordReader::Status::kRecord) {
        if (TryDecodeScalarEvent(payload, &ev)) {
          ++fast;
          for (const FastScalar& v : ev.values) acc += v.value;
        }
      }
    });
    const double decode_s = Now() - t0;
    Report("framing + fast decode", decode_s, records, bytes);
    std::printf("  %-34s %8.3f s  (%.1f ns/event; %llu of %llu events took the fast path)\n",
                "  decode alone", decode_s - framing_s, (decode_s - framing_s) / records * 1e9,
                static_cast<unsigned long long>(fast), static_cast<unsigned long long>(records));
    if (acc == 12345) std::printf("%f", acc);
  }

  ResetPeakRss();
  const double rss_before = RssMiB();
  double load_s;
  {
    Logdir d;
    const double w0 = WallNow();
    t0 = Now();
    int id = d.OpenFile("bench/run/events.out.tfevents.1600000000.host.1.0");
    ForEachChunk(path, o.chunk, [&](const uint8_t* p, size_t n) { d.Push(id, p, n); });
    d.EndOfData(id);
    load_s = Now() - t0;
    const double load_wall_s = WallNow() - w0;
    const FileInfo& f = d.files()[id];
    if (f.status != FileStatus::kOk)
      std::printf("  file status %s: %s\n", FileStatusName(f.status), f.message.c_str());
    Report("Logdir load (4 MiB pushes)", load_s, f.records, bytes);
    std::printf("  %-34s %8.3f s  (wall clock, includes other processes' load)\n", "", load_wall_s);
    const double t1 = Now();
    d.Shrink();
    const double shrink_s = Now() - t1;
    uint64_t scalar_points = 0, scalar_bytes = 0;
    for (const TagInfo& t : d.Tags()) {
      if (!t.is_scalar) continue;
      const ScalarSeries* s = d.Scalars(t.run, t.tag);
      scalar_points += s->size();
      scalar_bytes += s->RetainedBytes();
    }
    std::printf("  records %llu, tags %zu, points %llu; Shrink %.3f s\n",
                static_cast<unsigned long long>(f.records), d.Tags().size(),
                static_cast<unsigned long long>(d.TotalPoints()), shrink_s);
    std::printf("  retained: %.1f MB in all series; scalars %.2f bytes/point (%llu points)\n",
                d.RetainedBytes() / 1e6,
                scalar_points ? static_cast<double>(scalar_bytes) / scalar_points : 0.0,
                static_cast<unsigned long long>(scalar_points));
    std::printf("  RSS before load %.1f MiB, peak during load %.1f MiB\n", rss_before, PeakRssMiB());
  }
  (void)sink;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events")
      o.events = std::stoull(next());
    else if (a == "--tags")
      o.tags = std::max(1, std::stoi(next()));
    else if (a == "--chunk-mib")
      o.chunk = std::stoull(next()) << 20;
    else if (a == "--only")
      o.only = next();
    else if (a == "--dir")
      o.dir = next();
    else if (a == "--keep")
      o.keep = true;
    else if (a == "--file")
      o.file = next();
    else if (a == "--no-breakdown")
      o.breakdown = false;
    else if (a == "--generate-only")
      o.generate_only = true;
    else {
      std::fprintf(stderr,
                   "usage: tbview_bench [--events N] [--tags K] [--chunk-mib M] [--only legacy|tensor|mixed] "
                   "[--dir DIR] [--keep] [--file EVENT_FILE] [--no-breakdown] [--generate-only]\n");
      return 2;
    }
  }
  if (!o.file.empty()) {
    Bench("existing file", o.file, 0, o, true);
    return 0;
  }
  if (o.dir.empty()) o.dir = "/tmp/tbview_bench." + std::to_string(getpid());
  std::string mk = "mkdir -p '" + o.dir + "'";
  if (std::system(mk.c_str()) != 0) return 1;

  std::printf("tbview_bench: %llu scalar events over %d tags, %zu MiB pushes\n",
              static_cast<unsigned long long>(o.events), o.tags, o.chunk >> 20);
  std::vector<std::string> made;
  if (o.only.empty() || o.only == "legacy") {
    std::string p = o.dir + "/legacy.tfevents";
    double t0 = Now();
    uint64_t n = GenerateScalars(p, o, false);
    std::printf("(generated %s in %.1f s)\n", p.c_str(), Now() - t0);
    if (!o.generate_only) Bench("legacy simple_value scalars", p, n, o, true);
    made.push_back(p);
  }
  if (o.only.empty() || o.only == "tensor") {
    std::string p = o.dir + "/tensor.tfevents";
    double t0 = Now();
    uint64_t n = GenerateScalars(p, o, true);
    std::printf("(generated %s in %.1f s)\n", p.c_str(), Now() - t0);
    if (!o.generate_only) Bench("TF2 rank-0 tensor scalars", p, n, o, true);
    made.push_back(p);
  }
  if (o.only.empty() || o.only == "mixed") {
    std::string p = o.dir + "/mixed.tfevents";
    double t0 = Now();
    uint64_t n = GenerateMixed(p, std::max<uint64_t>(1, o.events / 250));
    std::printf("(generated %s in %.1f s)\n", p.c_str(), Now() - t0);
    if (!o.generate_only) Bench("mixed: histograms, images, scalars", p, n, o, false);
    made.push_back(p);
  }
  if (!o.keep && !o.generate_only) {
    for (const std::string& p : made) std::remove(p.c_str());
    rmdir(o.dir.c_str());
  }
  return 0;
}
