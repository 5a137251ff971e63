// Typeset the math of built HTML pages in place: node prerender_math.js page.html ...
// Each <span|div class="math ...">\(TeX\) or \[TeX\]</...> that Sphinx wrote becomes
// MathJax's SVG with hidden MathML for screen readers; the page gets MathJax's stylesheet
// and its glyphs, defined once. A page typeset already is skipped. A TeX error names the
// page and the formula and exits with status 1, leaving the page as it was.
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
// tex-chtml.js's packages and those its `autoload` loaded (MathJax 3.2.2); not `noundefined`.
const AUTOLOADED = ['action', 'amscd', 'bbox', 'boldsymbol', 'braket', 'bussproofs', 'cancel',
  'color', 'enclose', 'extpfeil', 'html', 'mhchem', 'unicode', 'verb'];
const PACKAGES = ['base', 'ams', 'newcommand', 'configmacros', ...AUTOLOADED];
const ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0'};

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

const unescapeHtml = (text) => text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name) =>
  (name[0] === '#' ? String.fromCodePoint(Number('0' + name.slice(1))) : ENTITIES[name] ?? entity));

// MathJax wraps every MathML node in an SVG group, most holding one glyph and a shift; the
// browser styles and lays out each, which was most of a math page's loading time. A group
// carrying nothing but its node's name and a translate/scale is dissolved into its
// children, the shift moved into theirs. Groups MathJax's stylesheet selects stay.
const STYLED_NODES = new Set(['mtable', 'mtr', 'mlabeledtr', 'merror', 'maction']);
const SHIFTABLE = new Set(['g', 'use', 'rect', 'path']);
const PLAIN_GROUP_ATTRIBUTES = new Set(['data-mml-node', 'data-mjx-texclass', 'transform']);
const TRANSFORM = /\s*(translate|scale)\(\s*([-\d.e]+)(?:[\s,]+([-\d.e]+))?\s*\)/gy;

// A transform as [sx, sy, tx, ty] (p -> (sx px + tx, sy py + ty)); null if it is not only
// translations and scalings.
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

const isElement = (node) => node.kind !== '#text' && node.kind !== '#comment';

function dissolvable(group, parent) {
  return parent.kind === 'g'
    && ![parent, group].some((node) => STYLED_NODES.has(node.attributes['data-mml-node']))
    && Object.keys(group.attributes).every((name) => PLAIN_GROUP_ATTRIBUTES.has(name))
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
    const [sx, sy, tx, ty] = parseTransform(child.attributes.transform);
    for (const grandchild of child.children) {
      const [gx, gy, hx, hy] = parseTransform(grandchild.attributes.transform);
      const transform = formatTransform([sx * gx, sy * gy, tx + sx * hx, ty + sy * hy]);
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
  const tex = new TeX({packages: PACKAGES, formatError: (jax, error) => { throw error; }});
  const svg = new SVG({fontCache: 'global'}); // each glyph's path once, reused by <use>
  const document = mathjax.document('', {InputJax: tex, OutputJax: svg});
  const typeset = html.replace(MATH, (whole, open, tag, inner, close) => {
    const match = inner.match(DELIMITED[tag]);
    if (!match) throw new Error(`math element without \\( \\) or \\[ \\]: ${whole.slice(0, 200)}`);
    let node;
    try {
      node = document.convert(unescapeHtml(match[1]), {display: tag === 'div'});
    } catch (error) {
      throw new Error(`TeX error "${error.message}" in ${match[0].slice(0, 300)}`);
    }
    if (flatten) flattenGroups(adaptor.firstChild(node)); // the <svg>
    return open + inner.slice(0, match.index) + adaptor.outerHTML(node) + close; // keeps a label
  });
  if (typeset === html) return html; // no math on this page
  const style = `<style id="${STYLE_ID}">\n${adaptor.textContent(svg.styleSheet(document))}</style>\n`;
  const cache = svg.pageElements(document);
  return typeset
    .replace(/<\/head>/, `${style}</head>`)
    .replace(/^(\s*<body[^>]*>)/m, `$1\n${cache ? adaptor.outerHTML(cache) : ''}`);
}

function typesetFile(path) { // true if it went well
  const html = fs.readFileSync(path, 'utf8');
  try {
    if (!html.includes(`<style id="${STYLE_ID}">`)) fs.writeFileSync(path, typesetPage(html));
    return true;
  } catch (error) {
    console.error(`${path}: ${error.message}`);
    return false;
  }
}

module.exports = {typesetPage};
if (require.main === module) process.exit(process.argv.slice(2).map(typesetFile).every(Boolean) ? 0 : 1);
