// node bundled_styles.js <sources.css> <bundle.css> <content file>... (see bundled_styles.py):
// the @imports of sources.css inlined, their url()s rebased, without the comments and the
// rules that name a class, id or element that none of the content files spells out.
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

const purge = purgeCSSPlugin({ content, safelist: { greedy: assembled } });
postcss([atImport(), rebaseUrls({ url: "rebase" }), purge, discardComments({ removeAll: true })])
  .process(fs.readFileSync(sources, "utf8"), { from: sources, to: bundle })
  .then((result) => fs.writeFileSync(bundle, result.css))
  .catch((error) => {
    console.error(`${sources}: ${error.message}`);
    process.exit(1);
  });
