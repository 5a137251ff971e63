// Typeset the math of built HTML pages in place, as MathJax 3 did in the browser.
//
//   node docs/_ext/prerender_math.js page.html [page.html ...]
//
// Sphinx writes each formula as <span class="math ...">\(TeX\)</span> or
// <div class="math ...">\[TeX\]</div> (HTML-escaped). Each one becomes MathJax's SVG
// output with hidden MathML beside it for screen readers; the page gets MathJax's
// stylesheet in its head and the shared glyph definitions at the start of its body.
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

function typesetPage(html) {
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

let failed = false;
for (const path of process.argv.slice(2)) {
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
process.exit(failed ? 1 : 0);
