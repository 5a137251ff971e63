// Typeset the math of built HTML pages in place, as MathJax 3 did in the browser.
//
//   node docs/_ext/prerender_math.js page.html [page.html ...]
//
// Sphinx writes each formula as <span class="math ...">\(TeX\)</span> or
// <div class="math ...">\[TeX\]</div> (HTML-escaped). Each one becomes MathJax's SVG
// output with hidden MathML beside it for screen readers; the page gets MathJax's
// stylesheet in its head and the shared glyph definitions at the start of its body.
// The SVG is flattened (see flattenGroups): nearly half of its elements go, and it
// draws the same.
// The rest of the page is left byte for byte as it was. A page that already has the
// stylesheet is skipped, so running twice changes nothing. A TeX error names the
// page and the formula and exits with status 1 (that page is left untouched).
'use strict';

const fs = require('fs');
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');
const {AssistiveMmlHandler} = require('mathjax-full/js/a11y/assistive-mml.js');
require('mathjax-full/js/input/tex/AllPackages.js'); // registers every TeX package

const STYLE_ID = 'MJX-SVG-styles';
const MATH = /(<(span|div) class="math notranslate nohighlight[^"]*"[^>]*>)([\s\S]*?)(<\/\2>)/g;
const DELIMITED = {span: /^\\\(([\s\S]*)\\\)$/, div: /\\\[([\s\S]*)\\\]\s*$/};

// The browser's tex-chtml.js component had these packages, and `autoload` loaded the
// extensions below (its default list in MathJax 3.2.2) whenever a formula used one of
// their macros; here they are all on from the start, which typesets the same.
// `noundefined` (an unknown macro drawn in red) is left out on purpose: here an unknown
// macro is an error. `require` and `autoload` load files at run time; nothing to load here.
const AUTOLOADED = ['action', 'amscd', 'bbox', 'boldsymbol', 'braket', 'bussproofs', 'cancel',
  'color', 'enclose', 'extpfeil', 'html', 'mhchem', 'unicode', 'verb'];
const PACKAGES = ['base', 'ams', 'newcommand', 'configmacros', ...AUTOLOADED];

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

function newDocument() {
  const tex = new TeX({
    packages: PACKAGES,
    formatError: (jax, error) => {
      throw error;
    },
  });
  // One glyph cache per page: each glyph's path is written once, then reused by <use>.
  const svg = new SVG({fontCache: 'global'});
  return {svg, document: mathjax.document('', {InputJax: tex, OutputJax: svg})};
}

const ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0'};

function unescapeHtml(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name) => {
    if (name[0] === '#') {
      const hex = name[1] === 'x' || name[1] === 'X';
      return String.fromCodePoint(parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    if (!(name in ENTITIES)) throw new Error(`unknown HTML entity ${entity}`);
    return ENTITIES[name];
  });
}

// MathJax wraps every MathML node in its own SVG group, most of them holding one glyph
// and a shift. The browser styles and lays out each of those elements, so a page with
// hundreds of formulas spends most of its loading time on them. A group that carries
// nothing but its node name (and TeX class) and a translate/scale is dissolved: its
// shift moves into its children. Groups that MathJax's stylesheet selects (tables, errors, actions, and
// their children) and groups holding anything but glyphs, rules and groups stay.
const STYLED_NODES = new Set(['mtable', 'mtr', 'mlabeledtr', 'merror', 'maction']);
const SHIFTABLE = new Set(['g', 'use', 'rect', 'path']);
const PLAIN_GROUP_ATTRIBUTES = new Set(['data-mml-node', 'data-mjx-texclass', 'transform']);
const TRANSFORM = /\s*(translate|scale)\(\s*([-\d.e]+)(?:[\s,]+([-\d.e]+))?\s*\)/gy;

// A transform as [sx, sy, tx, ty] (p -> (sx px + tx, sy py + ty)), or null if it is
// anything but translations and scalings.
function parseTransform(text = '') {
  let [sx, sy, tx, ty] = [1, 1, 0, 0];
  let end = 0;
  TRANSFORM.lastIndex = 0;
  for (let match; (match = TRANSFORM.exec(text)); end = TRANSFORM.lastIndex) {
    const a = Number(match[2]);
    const b = match[3] === undefined ? (match[1] === 'scale' ? a : 0) : Number(match[3]);
    if (match[1] === 'translate') [tx, ty] = [tx + sx * a, ty + sy * b];
    else [sx, sy] = [sx * a, sy * b];
  }
  return text.slice(end).trim() === '' ? [sx, sy, tx, ty] : null;
}

function formatTransform([sx, sy, tx, ty]) {
  const n = (x, digits) => String(Number(x.toFixed(digits)));
  const parts = [];
  if (n(tx, 2) !== '0' || n(ty, 2) !== '0') parts.push(`translate(${n(tx, 2)},${n(ty, 2)})`);
  if (n(sx, 5) !== '1' || n(sy, 5) !== '1') {
    parts.push(sx === sy ? `scale(${n(sx, 5)})` : `scale(${n(sx, 5)},${n(sy, 5)})`);
  }
  return parts.join(' ');
}

function compose([sx1, sy1, tx1, ty1], [sx2, sy2, tx2, ty2]) {
  return [sx1 * sx2, sy1 * sy2, tx1 + sx1 * tx2, ty1 + sy1 * ty2];
}

function isElement(node) {
  return node.kind !== '#text' && node.kind !== '#comment';
}

function dissolvable(group, parent) {
  const attributes = Object.keys(group.attributes);
  return parent.kind === 'g'
    && !STYLED_NODES.has(parent.attributes['data-mml-node'])
    && !STYLED_NODES.has(group.attributes['data-mml-node'])
    && attributes.every((name) => PLAIN_GROUP_ATTRIBUTES.has(name))
    && group.children.every((child) => isElement(child) && SHIFTABLE.has(child.kind))
    && [group, ...group.children].every((node) => parseTransform(node.attributes.transform));
}

// Dissolve the plain groups below `element`, deepest first.
function flattenGroups(element) {
  const children = [];
  for (const child of element.children) {
    if (isElement(child)) flattenGroups(child);
    if (!(isElement(child) && child.kind === 'g' && dissolvable(child, element))) {
      children.push(child);
      continue;
    }
    const shift = parseTransform(child.attributes.transform);
    for (const grandchild of child.children) {
      const own = parseTransform(grandchild.attributes.transform);
      const transform = formatTransform(compose(shift, own));
      if (transform) grandchild.attributes.transform = transform;
      else delete grandchild.attributes.transform;
      grandchild.parent = element;
      children.push(grandchild);
    }
  }
  element.children = children;
}

// The page with its formulas typeset; `flatten: false` keeps MathJax's own SVG.
function typesetPage(html, {flatten = true} = {}) {
  const {svg, document} = newDocument();
  const typeset = html.replace(MATH, (whole, open, tag, inner, close) => {
    const match = inner.match(DELIMITED[tag]);
    if (!match) throw new Error(`math element without \\( \\) or \\[ \\]: ${whole.slice(0, 200)}`);
    const tex = unescapeHtml(match[1]);
    let node;
    try {
      node = document.convert(tex, {display: tag === 'div'});
    } catch (error) {
      throw new Error(`TeX error "${error.message}" in ${match[0].slice(0, 300)}`);
    }
    if (flatten) flattenGroups(adaptor.firstChild(node)); // the <svg>
    const before = inner.slice(0, match.index); // a numbered equation's label
    return open + before + adaptor.outerHTML(node) + close;
  });
  if (typeset === html) return html; // no math on this page
  const style = `<style id="${STYLE_ID}">\n${adaptor.textContent(svg.styleSheet(document))}</style>\n`;
  const cache = svg.pageElements(document);
  const glyphs = cache ? adaptor.outerHTML(cache) : '';
  return typeset
    .replace(/<\/head>/, `${style}</head>`)
    .replace(/^(\s*<body[^>]*>)/m, `$1\n${glyphs}`); // the tag, not a comment naming it
}

function main(paths) {
  let failed = false;
  for (const path of paths) {
    const html = fs.readFileSync(path, 'utf8');
    if (html.includes(`<style id="${STYLE_ID}">`)) continue; // typeset by an earlier run
    try {
      const result = typesetPage(html);
      if (result !== html) fs.writeFileSync(path, result);
    } catch (error) {
      console.error(`${path}: ${error.message}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

module.exports = {typesetPage};
if (require.main === module) process.exit(main(process.argv.slice(2)));
