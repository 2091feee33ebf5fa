/**
 * Tag grouping and the tag filter box.
 *
 * Groups follow TensorBoard: a tag's group is its prefix before the first
 * "/" (a tag without "/" is its own group's name). The filter is a
 * case-insensitive regular expression matched anywhere in the tag; an invalid
 * expression is flagged on the input and filters nothing.
 */
import { compileFilter } from '../shell/state.js';

/** The group a tag belongs to. */
export function groupName(tag) {
  const i = tag.indexOf('/');
  return i < 0 ? tag : tag.slice(0, i);
}

/** Natural comparison, so "layer2" sorts before "layer10". */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export const compareNatural = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Groups the tags that match `filter`, groups and tags in natural order.
 * @param {string[]} tags
 * @param {RegExp|null} filter  null (invalid pattern) matches everything
 * @returns {{name: string, tags: string[]}[]}
 */
export function groupTags(tags, filter) {
  const groups = new Map();
  for (const tag of [...tags].sort(compareNatural)) {
    if (filter && !filter.test(tag)) continue;
    const g = groupName(tag);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(tag);
  }
  return [...groups.keys()].sort(compareNatural).map((name) => ({ name, tags: groups.get(name) }));
}

/**
 * A labelled regex input bound to `store.tagFilter`.
 * @param {import('../shell/state.js').ViewStateStore} store
 * @param {string} iconSvg
 */
export function createTagFilter(store, iconSvg) {
  const wrap = document.createElement('label');
  wrap.className = 'sc-filter sc-tag-filter';
  const ic = document.createElement('span');
  ic.className = 'sc-filter-icon';
  ic.innerHTML = iconSvg;
  const input = document.createElement('input');
  input.type = 'search';
  input.placeholder = 'Filter tags (regular expression)';
  input.setAttribute('aria-label', 'Filter tags (regular expression, case-insensitive)');
  input.spellcheck = false;
  input.value = store.get().tagFilter;
  const sync = () => {
    const ok = compileFilter(input.value) !== null;
    wrap.classList.toggle('invalid', !ok);
    input.title = ok ? '' : 'Invalid regular expression';
  };
  let timer = 0;
  input.addEventListener('input', () => {
    sync();
    clearTimeout(timer);
    timer = setTimeout(() => store.update({ tagFilter: input.value }), 150);
  });
  sync();
  wrap.append(ic, input);
  return { el: wrap, input };
}
