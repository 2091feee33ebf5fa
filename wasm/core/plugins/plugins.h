// Plain views of the plugin data the browser's dashboards need, one module per
// plugin: hparams.h, custom_scalars.h, distributions.h, pr_curves.h, text.h.
//
// Everything there is read from a Logdir (or one Tensor) and returned as plain
// structs of strings, doubles, vectors and maps. Nothing keeps a pointer into
// the Logdir. Each view follows what TensorBoard's own backend serves
// (tensorboard/plugins/{hparams,custom_scalar,distribution,pr_curve,text});
// where it deliberately differs, the comment says so and why. Strings taken
// from protos are made valid UTF-8 (ToValidUtf8), since they end up as JS
// strings.
//
// This header includes the five, for callers that use several.
#pragma once
#include "custom_scalars.h"
#include "distributions.h"
#include "hparams.h"
#include "pr_curves.h"
#include "text.h"
