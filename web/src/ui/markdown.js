/**
 * Markdown from logs, rendered with `marked` and sanitized with DOMPurify.
 *
 * Threat model: a log is untrusted input. Whatever its text says, rendering it
 * must not run script, must not load anything from the network (a remote
 * <img> is a beacon; CSS url() too), and must not submit or frame anything.
 * So, on top of DOMPurify's own defences (no <script>, no on* handlers, no
 * javascript: URLs):
 *   - an allow-list of tags: text structure, tables, code, links, images;
 *     no iframe/object/embed/form/input(except disabled checkboxes)/style/
 *     link/meta/base/svg/math/video/audio;
 *   - an allow-list of attributes: no `style` (so no url()), no srcset, no
 *     id/name (no DOM clobbering);
 *   - <img> keeps its src only for data:image/ (not SVG) and blob: URLs; a
 *     remote image becomes an inert placeholder showing its alt text;
 *   - links keep http(s)/mailto/# hrefs only and open in a new tab with
 *     rel="noopener noreferrer nofollow"; following one is the user's click.
 */
import { marked } from 'marked';
import DOMPurify from 'dompurify';

export const ALLOWED_TAGS = Object.freeze([
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'input',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
  'var',
]);

export const ALLOWED_ATTR = Object.freeze([
  'href',
  'src',
  'alt',
  'title',
  'align',
  'colspan',
  'rowspan',
  'start',
  'type',
  'checked',
  'disabled',
  'class',
  'lang',
  'dir',
  'open',
  'reversed',
  'value',
]);

export const FORBID_TAGS = Object.freeze([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'button',
  'select',
  'textarea',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'portal',
  'template',
  'noscript',
]);

export const FORBID_ATTR = Object.freeze([
  'style',
  'srcset',
  'id',
  'name',
  'formaction',
  'action',
  'background',
  'poster',
  'ping',
  'xlink:href',
]);

/** The DOMPurify configuration (hooks add the URL rules below). */
export const PURIFY_CONFIG = Object.freeze({
  ALLOWED_TAGS: [...ALLOWED_TAGS],
  ALLOWED_ATTR: [...ALLOWED_ATTR],
  FORBID_TAGS: [...FORBID_TAGS],
  FORBID_ATTR: [...FORBID_ATTR],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  SAFE_FOR_TEMPLATES: false,
  WHOLE_DOCUMENT: false,
  ADD_DATA_URI_TAGS: ['img'],
});

/** An <img> src that loads nothing from the network and cannot run script. */
export function isSafeImageSrc(src) {
  const s = String(src || '')
    .trim()
    .toLowerCase();
  if (s.startsWith('blob:')) return true;
  return (
    /^data:image\/(png|jpeg|jpg|gif|bmp|webp|avif);/.test(s) ||
    /^data:image\/(png|jpeg|jpg|gif|bmp|webp|avif),/.test(s)
  );
}

/** A link target a click may follow. */
export function isSafeHref(href) {
  const s = String(href || '').trim();
  if (s.startsWith('#')) return true;
  return /^(https?:|mailto:)/i.test(s);
}

let purifier = null;

/** A DOMPurify instance with our hooks, bound to `win` (the page's window). */
function getPurifier(win) {
  if (purifier) return purifier;
  const p = DOMPurify(win);
  p.addHook('uponSanitizeElement', (node, data) => {
    // Task-list checkboxes are the only inputs kept, and they stay disabled.
    if (
      data.tagName === 'input' &&
      String(/** @type {Element} */ (node).getAttribute('type') || '').toLowerCase() !== 'checkbox'
    ) {
      node.parentNode && node.parentNode.removeChild(node);
    }
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    const tag = node.nodeName.toLowerCase();
    // Only Markdown's own classes (code languages, ours): a log must not dress
    // its text in the app's class names to fake the app's UI.
    if (node.hasAttribute && node.hasAttribute('class')) {
      const kept = node
        .getAttribute('class')
        .split(/\s+/)
        .filter((c) => /^(language|lang|md)-[\w-]+$/.test(c));
      if (kept.length) node.setAttribute('class', kept.join(' '));
      else node.removeAttribute('class');
    }
    if (tag === 'img') {
      const src = node.getAttribute('src');
      if (src !== null && !isSafeImageSrc(src)) {
        node.removeAttribute('src');
        node.setAttribute('class', 'md-blocked-img');
        const alt = node.getAttribute('alt') || '';
        node.setAttribute('alt', alt ? `[remote image: ${alt}]` : '[remote image blocked]');
        node.setAttribute('title', `Remote image not loaded: ${src.slice(0, 200)}`);
      }
    } else if (tag === 'a') {
      const href = node.getAttribute('href');
      if (href !== null && !isSafeHref(href)) node.removeAttribute('href');
      if (node.hasAttribute('href') && !node.getAttribute('href').startsWith('#')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    } else if (tag === 'input') {
      node.setAttribute('disabled', '');
      node.setAttribute('type', 'checkbox');
    }
  });
  purifier = p;
  return p;
}

/**
 * Markdown to a sanitized DocumentFragment of the page's document. Blocked
 * images (remote, or with no usable src) become a text placeholder so no
 * broken-image icon shows.
 * @param {string} text
 * @param {Window} [win]
 * @returns {DocumentFragment}
 */
export function renderMarkdown(text, win = globalThis.window) {
  const html = marked.parse(String(text), { async: false, gfm: true, breaks: false });
  const p = getPurifier(win);
  const frag = p.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
  for (const img of frag.querySelectorAll('img')) {
    if (img.getAttribute('src')) continue;
    const span = win.document.createElement('span');
    span.className = 'md-blocked-img';
    span.textContent = img.getAttribute('alt') || '[image not loaded]';
    const title = img.getAttribute('title');
    if (title) span.title = title;
    img.replaceWith(span);
  }
  return frag;
}

/** Renders sanitized Markdown into a container (replacing its children). */
export function setMarkdown(container, text) {
  container.replaceChildren(renderMarkdown(text));
}
