/**
 * From a pasted link to a Source: the one place that picks the kind.
 *
 *   sourceForText(text, baseHref, prefixFor)
 *     a provider link (links.js parseLink: Hugging Face, GitHub, gs://, s3://
 *     and their https forms)  -> hf.js, github.js, buckets.js (ListedSource)
 *     one file of a provider  -> UrlFileSource on its resolve/raw/object URL
 *     any other http(s) URL   -> manifest.js classifyUrl: UrlFolderSource
 *                                (manifest, else the HTML index: webdir.js)
 *                                or UrlFileSource
 * `prefixFor(name)` gives the prefix of its runs (url_open.js: '' for the
 * first thing opened). Throws an Error saying why a text cannot be opened.
 * Returns {source, title}: title names it in the header.
 */
import { bucketSource } from './buckets.js';
import { githubSource } from './github.js';
import { hfSource } from './hf.js';
import { providerHosts } from './hosts.js';
import { parseLink } from './links.js';
import { classifyUrl } from './manifest.js';
import { UrlFileSource, UrlFolderSource } from './url.js';

export function sourceForText(text, baseHref, prefixFor = () => '') {
  const hosts = providerHosts();
  const link = parseLink(text, hosts);
  if (link) {
    const prefix = prefixFor(link.name);
    if (link.provider === 'hf')
      return { source: hfSource(link, { hosts }, prefix), title: text.trim() };
    if (link.provider === 'github')
      return { source: githubSource(link, { hosts }, prefix), title: text.trim() };
    if (link.provider === 'gcs' || link.provider === 's3') {
      return { source: bucketSource(link, { hosts }, prefix), title: text.trim() };
    }
    return { source: new UrlFileSource({ url: link.url, name: link.name }), title: text.trim() };
  }
  const c = classifyUrl(text, baseHref);
  if (c.kind === 'folder')
    return { source: new UrlFolderSource(c, prefixFor(c.name)), title: c.base };
  return { source: new UrlFileSource(c), title: c.url };
}
