/**
 * Every dashboard, in tab order (the Files view comes after them). Each entry
 * is a `Dashboard` (dashboards/dashboard.js: the one contract, with its life
 * cycle and how URL state is kept); the shell hosts each the same way
 * (shell/dashboard_host.js). The first one, Scalars, is the view the shell
 * opens by itself when it has data. Every dashboard root has
 * data-dashboard="<id>".
 *
 * To add a dashboard: a folder dashboards/<name>/ exporting a `Dashboard`,
 * and one line here.
 */
import './dashboards.css';
import { scalarsDashboard } from './scalars/scalars.js';
import { imagesDashboard } from './images/images.js';
import { audioDashboard } from './audio/audio.js';
import { textDashboard } from './text/text.js';
import { histogramsDashboard } from './histograms/histograms.js';
import { distributionsDashboard } from './distributions/distributions.js';
import { prCurvesDashboard } from './pr_curves/pr_curves.js';
import { hparamsDashboard } from './hparams/hparams.js';
import { customScalarsDashboard } from './custom_scalars/custom_scalars.js';
import { runsTableDashboard } from './runs_table/runs_table.js';

/** @type {import('./dashboard.js').Dashboard[]} */
export const dashboards = [
  scalarsDashboard,
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
