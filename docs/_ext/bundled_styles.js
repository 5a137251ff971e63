// The stylesheet bundle (see bundled_styles.py): the @imports of <sources> inlined in
// order, their url()s rebased to <bundle>, and every rule dropped that names a class, id
// or element none of the <content> files (pages and the scripts they load) spells out,
// and the comments.
// Usage: node bundled_styles.js <sources.css> <bundle.css> <content file>...
const fs = require("node:fs");
const postcss = require("postcss");
const atImport = require("postcss-import");
const rebaseUrls = require("postcss-url");
const discardComments = require("postcss-discard-comments");
const purgeCSSPlugin = require("@fullhuman/postcss-purgecss");

const [sources, bundle, ...content] = process.argv.slice(2);
// Classes that scripts put together at run time, so no page or script spells them out:
// Bootstrap's tooltip placement (`bs-${NAME}-auto`), Sphinx's search results (`kind-${kind}`).
const assembled = [/^bs-(tooltip|popover)-/, /^kind-/];

const plugins = [
  atImport(),
  rebaseUrls({ url: "rebase" }),
  purgeCSSPlugin({ content, safelist: { greedy: assembled } }),
  discardComments({ removeAll: true }),
];
postcss(plugins)
  .process(fs.readFileSync(sources, "utf8"), { from: sources, to: bundle })
  .then((result) => fs.writeFileSync(bundle, result.css))
  .catch((error) => {
    console.error(`${sources}: ${error.message}`);
    process.exit(1);
  });
