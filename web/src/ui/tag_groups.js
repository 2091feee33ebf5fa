/**
 * The one tag grouping and ordering of the page, TensorBoard's (display only:
 * it decides where cards go, never what the data means):
 * - a tag's group is its prefix before the first "/", or the whole tag when it
 *   has none (TensorBoard's categorizeByPrefix: "/x" is in the group "");
 * - tags, runs and group names sort in natural order, so "layer2" comes before
 *   "layer10" (TensorBoard's tag sort), ties broken by code-unit order so the
 *   order is total.
 * Every dashboard uses these: Scalars through groupTags, the card grids of the
 * others through ui/base.js (pluginEntries, CardGrid).
 */

/** Natural comparison, so "layer2" sorts before "layer10". */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export const compareNatural = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The group a tag belongs to.
 * @param {string} tag
 */
export function groupName(tag) {
  const i = tag.indexOf('/');
  return i < 0 ? tag : tag.slice(0, i);
}

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
