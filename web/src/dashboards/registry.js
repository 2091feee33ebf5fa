/**
 * Every dashboard but Scalars, in tab order. Each entry:
 *   {id, title, hasData(tags), mount(container, client, ctx) -> {update(), destroy()}}
 * ctx = {state (ViewStateStore or its value), colors (run => colour, or a
 * ColorAssigner), onStateChange(fn) -> optional unsubscribe}.
 *
 * Contract with the shell: call `update()` when the client fires 'change' or
 * 'idle' (the dashboards do not listen to the client themselves, so a hidden
 * dashboard can be left alone); view-state changes arrive through
 * ctx.onStateChange. Every dashboard root has data-dashboard="<id>".
 */
import './dashboards.css';
import { imagesDashboard } from './images/images.js';
import { audioDashboard } from './audio/audio.js';
import { textDashboard } from './text/text.js';
import { histogramsDashboard } from './histograms/histograms.js';
import { distributionsDashboard } from './distributions/distributions.js';
import { prCurvesDashboard } from './pr_curves/pr_curves.js';
import { hparamsDashboard } from './hparams/hparams.js';
import { customScalarsDashboard } from './custom_scalars/custom_scalars.js';
import { runsTableDashboard } from './runs_table/runs_table.js';

export const dashboards = [
  customScalarsDashboard,
  imagesDashboard,
  audioDashboard,
  histogramsDashboard,
  distributionsDashboard,
  textDashboard,
  prCurvesDashboard,
  hparamsDashboard,
  runsTableDashboard,
];
