/** Small DOM helpers: every value is added as text, never parsed as HTML. */

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, String(value));
  }
  node.append(...children.map((c) => (c instanceof Node ? c : String(c))));
  return node;
}

/** An HTML element with attributes and text or element children. */
export function el(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element with attributes and children. */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** The element with this id. */
export const byId = (id) => document.getElementById(id);

/** `2030-01-01T10:30:00.000Z` as `2030-01-01 10:30Z`. */
export function shortTime(iso) {
  return typeof iso === 'string'
    ? `${iso.slice(0, 16).replace('T', ' ')}Z`
    : '';
}

/** A coloured status label. */
export function statusBadge(status) {
  return el('span', { class: `badge status-${status.toLowerCase()}` }, status);
}

/** A paragraph that says what failed to load. */
export function errorNote(error) {
  return el('p', { class: 'error' }, `Could not load: ${error.message}`);
}
