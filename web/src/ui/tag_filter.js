/**
 * The tag filter box, shared by every dashboard's toolbar. The filter is a
 * case-insensitive regular expression matched anywhere in the tag; an invalid
 * expression is flagged on the input and filters nothing. (Grouping and
 * ordering of tags: ui/tag_groups.js.)
 */
import { compileFilter } from '../shell/state.js';

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
