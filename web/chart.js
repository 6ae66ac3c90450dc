/** A line chart drawn as inline SVG, no chart library. */
import { el, shortTime, svg } from './dom.js';

const BOX = {
  width: 480,
  height: 170,
  left: 34,
  right: 10,
  top: 10,
  bottom: 24,
};
const TICKS = [0, 50, 100];

function scales(count) {
  const { width, height, left, right, top, bottom } = BOX;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  return {
    x: (i) => left + (count === 1 ? plotW / 2 : (i * plotW) / (count - 1)),
    y: (v) => top + plotH - (Math.min(Math.max(v, 0), 100) * plotH) / 100,
  };
}

function grid(y) {
  const { left, right, width } = BOX;
  return TICKS.flatMap((tick) => [
    svg('line', {
      x1: left,
      x2: width - right,
      y1: y(tick),
      y2: y(tick),
      class: 'grid',
    }),
    svg(
      'text',
      { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'tick' },
      tick,
    ),
  ]);
}

function timeLabels(first, last) {
  const { left, right, width, height } = BOX;
  return [
    svg('text', { x: left, y: height - 6, class: 'tick' }, shortTime(first.at)),
    svg(
      'text',
      { x: width - right, y: height - 6, 'text-anchor': 'end', class: 'tick' },
      shortTime(last.at),
    ),
  ];
}

/**
 * Draws `values` ({ at, value } with value in 0..100, oldest first) into
 * `box`, one point per reading, or says there is no data yet.
 */
export function lineChart(box, values, label) {
  if (values.length === 0) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No data yet.'));
    return;
  }
  const { x, y } = scales(values.length);
  const first = values[0];
  const last = values[values.length - 1];
  const d = values.map(
    (p, i) =>
      `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`,
  );
  if (values.length === 1) d.push('h0.1');
  const dots = values.map((p, i) =>
    svg(
      'circle',
      { cx: x(i), cy: y(p.value), r: 3, class: 'dot' },
      svg('title', {}, `${shortTime(p.at)}: ${p.value}`),
    ),
  );
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${BOX.width} ${BOX.height}`,
      role: 'img',
      'aria-label': `${label}: ${values.length} points, latest ${last.value}`,
      class: 'chart',
    },
    ...grid(y),
    svg('path', { d: d.join(' '), class: 'line' }),
    ...dots,
    ...timeLabels(first, last),
  );
  box.replaceChildren(chart);
}
