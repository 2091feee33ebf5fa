// `tbview demo OUTDIR`: the demo log set the viewer opens when given no logdir.
//
// Written with tbview's own writer, shaped like a small hyperparameter sweep:
//   OUTDIR/events.out.tfevents.*         hparams experiment + custom_scalars layout (run ".")
//   OUTDIR/lr=<lr>,batch=<b>/...         the hparams session (start and end)
//   OUTDIR/lr=<lr>,batch=<b>/train/...   scalars (TF2 tensor form and legacy), histograms,
//                                        images, audio, text, PR curves
//   OUTDIR/lr=<lr>,batch=<b>/eval/...    legacy scalars
// One sweep member was "preempted": its second event file restarts at an earlier
// step, which the viewer's restart rule resolves. Everything is deterministic.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "commands.h"
#include "proto/plugins.pb.h"
#include "writer.h"

namespace fs = std::filesystem;

namespace tbview::cli {

namespace {

constexpr double kStart = 1763000000.0;  // 2025-11-13, a fixed time so output is reproducible
constexpr int kSteps = 1000;

struct Member {
  double lr;
  int batch;
  std::string name() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "lr=%g,batch=%d", lr, batch);
    return buf;
  }
};

std::string FileName(double wall_time, int index) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "events.out.tfevents.%d.demo-host.%d.0", static_cast<int>(wall_time),
                1000 + index);
  return buf;
}

// A small RGB image: a soft blob whose position moves with the step.
std::vector<uint8_t> DemoImage(int w, int h, int step, int seed) {
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * 3);
  double cx = w * (0.3 + 0.4 * std::sin(step * 0.01 + seed)),
         cy = h * (0.5 + 0.3 * std::cos(step * 0.013 + seed));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double d = std::hypot(x - cx, y - cy) / (w * 0.25);
      double v = std::exp(-d * d);
      uint8_t* p = &px[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = static_cast<uint8_t>(255 * v);
      p[1] = static_cast<uint8_t>(255 * (0.5 * v + 0.5 * x / w));
      p[2] = static_cast<uint8_t>(255 * (1 - v) * y / h);
    }
  return px;
}

proto::Value Number(double v) {
  proto::Value out;
  out.set_number_value(v);
  return out;
}

void WriteHparamsEvent(EventWriter* w, double wall_time, const proto::HParamsPluginData& data,
                       const char* tag) {
  proto::Event e = MakeEvent(wall_time, 0);
  proto::Summary::Value* v = AddSummaryValue(&e, tag);
  SetPluginMetadata(v, "hparams", data.SerializeAsString(), proto::DATA_CLASS_UNKNOWN);
  w->WriteEvent(e);
}

void WriteExperiment(EventWriter* w, const std::vector<Member>& members) {
  proto::HParamsPluginData data;
  data.set_version(0);
  proto::Experiment* ex = data.mutable_experiment();
  ex->set_time_created_secs(kStart);
  proto::HParamInfo* lr = ex->add_hparam_infos();
  lr->set_name("lr");
  lr->set_type(proto::DATA_TYPE_FLOAT64);
  lr->mutable_domain_interval()->set_min_value(1e-4);
  lr->mutable_domain_interval()->set_max_value(1.0);
  proto::HParamInfo* batch = ex->add_hparam_infos();
  batch->set_name("batch");
  batch->set_type(proto::DATA_TYPE_FLOAT64);
  for (const Member& m : members) *batch->mutable_domain_discrete()->add_values() = Number(m.batch);
  for (const char* tag : {"loss", "accuracy"}) {
    proto::MetricInfo* mi = ex->add_metric_infos();
    mi->mutable_name()->set_tag(tag);
    mi->mutable_name()->set_group("eval");
    mi->set_dataset_type(proto::DATASET_VALIDATION);
  }
  WriteHparamsEvent(w, kStart, data, "_hparams_/experiment");
}

void WriteCustomScalars(EventWriter* w) {
  proto::Layout layout;
  proto::Category* c = layout.add_category();
  c->set_title("Training");
  proto::Chart* loss = c->add_chart();
  loss->set_title("losses");
  loss->mutable_multiline()->add_tag("loss.*");
  proto::Chart* margin = c->add_chart();
  margin->set_title("accuracy with bounds");
  proto::MarginChartContent::Series* s = margin->mutable_margin()->add_series();
  s->set_value("accuracy");
  s->set_lower("accuracy/lower");
  s->set_upper("accuracy/upper");
  proto::Event e = MakeEvent(kStart, 0);
  proto::Summary::Value* v = AddSummaryValue(&e, "custom_scalars__config__");
  SetPluginMetadata(v, "custom_scalars", "", proto::DATA_CLASS_UNKNOWN);
  proto::TensorProto* t = v->mutable_tensor();
  t->set_dtype(proto::DT_STRING);
  t->add_string_val(layout.SerializeAsString());
  w->WriteEvent(e);
}

void WriteTrain(const fs::path& dir, const Member& m, int index, bool preempted) {
  std::mt19937 rng(1234 + index);
  std::normal_distribution<double> noise(0.0, 1.0);
  EventWriter w;
  double t0 = kStart + 60 * index;
  w.WriteFileVersion(t0);
  w.WriteSessionLog(t0, 0);
  w.WriteText(t0, 0, "notes/config",
              "## Demo run\n\nLearning rate **" + std::to_string(m.lr) + "**, batch " +
                  std::to_string(m.batch) + ".\n\n- written by `tbview demo`\n- no data leaves your browser");
  w.WriteTextTensor(t0, 0, "notes/table",
                    {"param", "value", "lr", std::to_string(m.lr), "batch", std::to_string(m.batch)}, {3, 2});
  double loss = 2.5;
  int first_end = preempted ? 700 : kSteps;
  auto write_range = [&](EventWriter& out, int from, int to, double tstart) {
    for (int step = from; step < to; ++step) {
      double wall = tstart + step * 0.5;
      loss = 2.5 * std::exp(-step * m.lr * 0.02 * (32.0 / m.batch) * 10) + 0.05 + 0.03 * noise(rng);
      if (step == 400 + index * 37) loss += 1.5;  // a spike the min/max reduction must keep
      out.WriteTensorScalar(wall, step, "loss", static_cast<float>(loss));
      double acc = 1.0 - 0.9 * std::exp(-step * 0.004 * (1 + m.lr * 5)) + 0.01 * noise(rng);
      out.WriteScalar(wall, step, "accuracy", static_cast<float>(acc));
      out.WriteScalar(wall, step, "accuracy/lower", static_cast<float>(acc - 0.03));
      out.WriteScalar(wall, step, "accuracy/upper", static_cast<float>(acc + 0.03));
      out.WriteScalar(wall, step, "learning_rate", static_cast<float>(m.lr * std::pow(0.5, step / 300)));
      if (step % 50 == 0) {
        std::vector<double> samples(2000);
        for (double& s : samples) s = noise(rng) * (1.0 + step / 500.0) + step / 1000.0;
        out.WriteHistogram(wall, step, "weights/dense1", samples);
        std::vector<HistogramBucket> buckets = MakeHistogramBuckets(samples, 30);
        out.WriteHistogramTensor(wall, step, "activations/relu", buckets);
      }
      if (step % 100 == 0) {
        std::vector<uint8_t> px = DemoImage(64, 48, step, index);
        out.WriteImage(wall, step, "samples/blob", px.data(), 64, 48, 3);
        std::vector<float> audio(8000);
        double f = 220.0 * (1 + index) * (1 + step / 1000.0);
        for (size_t i = 0; i < audio.size(); ++i)
          audio[i] =
              static_cast<float>(0.4 * std::sin(2 * M_PI * f * i / 8000.0) * std::exp(-3.0 * i / 8000.0));
        out.WriteAudio(wall, step, "audio/tone", audio, 1, 8000.0f);
        const int n = 21;
        std::vector<float> pr(6 * n);
        double sharp = 2 + step / 200.0;
        for (int k = 0; k < n; ++k) {
          double th = static_cast<double>(k) / (n - 1);
          double tp = 500 * (1 - std::pow(th, sharp)), fp = 500 * std::pow(1 - th, sharp);
          double fn = 500 - tp, tn = 500 - fp;
          pr[0 * n + k] = static_cast<float>(tp);
          pr[1 * n + k] = static_cast<float>(fp);
          pr[2 * n + k] = static_cast<float>(tn);
          pr[3 * n + k] = static_cast<float>(fn);
          pr[4 * n + k] = static_cast<float>(tp + fp > 0 ? tp / (tp + fp) : 1.0);
          pr[5 * n + k] = static_cast<float>(tp / 500);
        }
        out.WritePrCurve(wall, step, "pr/positive", pr);
      }
    }
  };
  write_range(w, 0, first_end, t0);
  std::string error;
  fs::create_directories(dir);
  if (!w.WriteToFile((dir / FileName(t0, index)).string(), &error))
    std::fprintf(stderr, "tbview: %s\n", error.c_str());
  if (preempted) {
    // The job restarted from its step-600 checkpoint: steps 600..699 are written again.
    EventWriter w2;
    double t1 = t0 + 1000;
    w2.WriteFileVersion(t1);
    w2.WriteSessionLog(t1, 600);
    write_range(w2, 600, kSteps, t1 - 300);
    if (!w2.WriteToFile((dir / FileName(t1, index)).string(), &error))
      std::fprintf(stderr, "tbview: %s\n", error.c_str());
  }
}

// The hparams session of one sweep member, in the member's own run (the parent
// of train/ and eval/), as TensorFlow's hparams API lays it out: the metrics
// named in the experiment ("eval" group) are then found in the sub-run "eval".
void WriteSession(const fs::path& dir, const Member& m, int index) {
  EventWriter w;
  double t0 = kStart + 60 * index;
  w.WriteFileVersion(t0);
  proto::HParamsPluginData start;
  auto& hp = *start.mutable_session_start_info()->mutable_hparams();
  hp["lr"] = Number(m.lr);
  hp["batch"] = Number(m.batch);
  start.mutable_session_start_info()->set_start_time_secs(t0);
  WriteHparamsEvent(&w, t0, start, "_hparams_/session_start_info");
  proto::HParamsPluginData end;
  end.mutable_session_end_info()->set_status(proto::STATUS_SUCCESS);
  end.mutable_session_end_info()->set_end_time_secs(t0 + 2000);
  WriteHparamsEvent(&w, t0 + 2000, end, "_hparams_/session_end_info");
  std::string error;
  fs::create_directories(dir);
  if (!w.WriteToFile((dir / FileName(t0, index)).string(), &error))
    std::fprintf(stderr, "tbview: %s\n", error.c_str());
}

void WriteEval(const fs::path& dir, const Member& m, int index) {
  std::mt19937 rng(99 + index);
  std::normal_distribution<double> noise(0.0, 1.0);
  EventWriter w;
  double t0 = kStart + 60 * index + 5;
  w.WriteFileVersion(t0);
  for (int step = 0; step <= kSteps; step += 50) {
    double wall = t0 + step * 0.5;
    double loss = 2.6 * std::exp(-step * m.lr * 0.02 * (32.0 / m.batch) * 10) + 0.08 + 0.02 * noise(rng);
    double acc = 1.0 - 0.92 * std::exp(-step * 0.0038 * (1 + m.lr * 5)) + 0.01 * noise(rng);
    w.WriteScalar(wall, step, "loss", static_cast<float>(loss));
    w.WriteScalar(wall, step, "accuracy", static_cast<float>(acc));
  }
  std::string error;
  fs::create_directories(dir);
  if (!w.WriteToFile((dir / FileName(t0, index)).string(), &error))
    std::fprintf(stderr, "tbview: %s\n", error.c_str());
}

}  // namespace

int CmdDemo(const Args& args) {
  if (args.size() != 1) {
    std::fputs("usage: tbview demo OUTDIR\n", stderr);
    return 2;
  }
  fs::path out(args[0]);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "tbview: cannot create %s: %s\n", out.string().c_str(), ec.message().c_str());
    return 1;
  }
  const std::vector<Member> members = {{0.1, 32}, {0.01, 32}, {0.01, 128}, {0.001, 64}};
  EventWriter root;
  root.WriteFileVersion(kStart);
  WriteExperiment(&root, members);
  WriteCustomScalars(&root);
  std::string error;
  if (!root.WriteToFile((out / FileName(kStart, 0)).string(), &error)) {
    std::fprintf(stderr, "tbview: %s\n", error.c_str());
    return 1;
  }
  for (size_t i = 0; i < members.size(); ++i) {
    fs::path run = out / members[i].name();
    WriteSession(run, members[i], static_cast<int>(i) + 1);
    WriteTrain(run / "train", members[i], static_cast<int>(i) + 1, /*preempted=*/i == 1);
    WriteEval(run / "eval", members[i], static_cast<int>(i) + 1);
  }
  std::printf("wrote the demo logs to %s (%zu runs)\n", out.string().c_str(), 1 + 3 * members.size());
  return 0;
}

}  // namespace tbview::cli
